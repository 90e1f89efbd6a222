/** Serves the built PWA (adapter-static output) with the SPA fallback to index.html. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './types.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function webApp(root: string): MiddlewareHandler<AppEnv> {
  const absRoot = path.resolve(root);
  const indexHtml = path.join(absRoot, 'index.html');
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    let rel: string;
    try {
      rel = decodeURIComponent(c.req.path);
    } catch {
      return next();
    }
    const file = path.join(absRoot, path.normalize(rel));
    const inside = file.startsWith(absRoot + path.sep) || file === absRoot;
    const found = inside && existsSync(file) && statSync(file).isFile();
    // A missing asset (a file name with an extension, or anything under /_app/) is a real 404, not
    // the SPA page: an old hashed chunk after a deploy must fail visibly.
    if (!found && (/\.[a-z0-9]+$/i.test(rel) || rel.startsWith('/_app/'))) return next();
    const target = found ? file : existsSync(indexHtml) ? indexHtml : null;
    if (!target) return next();
    const ext = path.extname(target);
    c.header('Content-Type', TYPES[ext] ?? 'application/octet-stream');
    if (rel.startsWith('/_app/immutable/')) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    else c.header('Cache-Control', 'no-cache');
    return c.req.method === 'HEAD' ? c.body(null) : c.body(new Uint8Array(readFileSync(target)));
  };
}
