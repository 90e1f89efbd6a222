/**
 * Serves the built PWA (adapter-static output, spec README §Process) with @hono/node-server's
 * `serveStatic`: the build's precompressed `.br` / `.gz` files are chosen by Accept-Encoding (with
 * `Vary: Accept-Encoding` on every file that has them), hashed assets under `/_app/immutable/` are
 * cached for a year, everything else — HTML, the service worker, the manifest — is revalidated
 * (`no-cache`). Page routes fall back to index.html (the SPA); a missing asset (a file name with an
 * extension, or anything under /_app/) is a real 404, so an old hashed chunk after a deploy fails visibly.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './types.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';

function isAsset(p: string): boolean {
  return /\.[a-z0-9]+$/i.test(p) || p.startsWith('/_app/');
}

/** Caching and Vary for a file about to be sent (`file`: the path served, maybe a .br/.gz variant). */
function cacheHeaders(file: string, c: Context<AppEnv>): void {
  c.header('Cache-Control', c.req.path.startsWith('/_app/immutable/') ? IMMUTABLE : 'no-cache');
  // serveStatic adds Vary only when it sent a variant; a cache must also know the plain answer varies.
  const variant = /\.(br|gz)$/.test(file);
  if (!variant && (existsSync(file + '.br') || existsSync(file + '.gz'))) c.header('Vary', 'Accept-Encoding');
}

export function webApp(root: string): MiddlewareHandler<AppEnv> {
  const absRoot = path.resolve(root);
  const files = serveStatic<AppEnv>({ root: absRoot, precompressed: true, onFound: cacheHeaders });
  const page = serveStatic<AppEnv>({ root: absRoot, path: 'index.html', precompressed: true, onFound: cacheHeaders });
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    return files(c, async () => {
      if (isAsset(c.req.path)) return next();
      const answer = await page(c, next);
      if (answer) c.res = answer;
    });
  };
}
