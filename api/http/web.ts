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

/** Caching and Vary for a file being sent (`file`: the path served, maybe its .br/.gz variant). */
function cacheHeaders(headers: Headers, urlPath: string, file: string): void {
  headers.set('Cache-Control', urlPath.startsWith('/_app/immutable/') ? IMMUTABLE : 'no-cache');
  // serveStatic adds Vary only when it sent a variant; a cache must also know the plain answer varies.
  const variant = /\.(br|gz)$/.test(file);
  if (!variant && (existsSync(file + '.br') || existsSync(file + '.gz'))) headers.set('Vary', 'Accept-Encoding');
}

export function webApp(root: string): MiddlewareHandler<AppEnv> {
  const absRoot = path.resolve(root);
  // serveStatic reports the file it sends through onFound, after building the response.
  const served = new WeakMap<Context, string>();
  const onFound = (file: string, c: Context<AppEnv>) => void served.set(c, file);
  const files = serveStatic<AppEnv>({ root: absRoot, precompressed: true, onFound });
  const page = serveStatic<AppEnv>({ root: absRoot, path: 'index.html', precompressed: true, onFound });
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const answer = await files(c, async () => {
      if (isAsset(c.req.path)) return next();
      const index = await page(c, next);
      if (index) c.res = index;
    });
    const file = served.get(c);
    if (file === undefined) return answer;
    const res = answer ?? c.res;
    cacheHeaders(res.headers, c.req.path, file);
    return res;
  };
}
