/**
 * A tiny static server for web e2e tests until the real server (api/main.ts) can be started from
 * tests: serves build/ on 127.0.0.1 with a free port, the SPA fallback (index.html for page routes),
 * and the CSP lifted from index.html's meta tag into a header, as the real server does.
 * `routes` answers extra paths (e.g. `/api/health`); `/api/`, `/pki/` and `/dev/` are 404 otherwise.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

const API_PREFIXES = ['/api/', '/pki/', '/dev/'];

/** The CSP SvelteKit wrote into the fallback page (hash mode), plus what only a header can carry. */
export function cspFromIndexHtml(html: string): string | null {
  const match = /<meta http-equiv="content-security-policy" content="([^"]+)">/i.exec(html);
  return match?.[1] ? `${match[1].replaceAll('&#39;', "'")}; frame-ancestors 'none'` : null;
}

/** Serve `root` (the adapter-static build) until `close()`. */
export async function startStaticServer(
  root: string,
  routes: Readonly<Record<string, RouteHandler>> = {},
): Promise<StaticServer> {
  const indexHtml = await readFile(path.join(root, 'index.html'), 'utf8');
  const csp = cspFromIndexHtml(indexHtml);

  const sendShell = (res: ServerResponse): void => {
    res.writeHead(200, {
      'content-type': MIME['.html'] as string,
      'cache-control': 'no-cache',
      ...(csp ? { 'content-security-policy': csp } : {}),
      'x-content-type-options': 'nosniff',
    });
    res.end(indexHtml);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      const route = routes[pathname];
      if (route) return route(req, res);
      if (API_PREFIXES.some((p) => pathname.startsWith(p))) {
        res.writeHead(404, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        return res.end(JSON.stringify({ code: 'NOT_FOUND', message: { ja: '見つかりません', en: 'Not found' } }));
      }
      const file = path.join(root, path.normalize(decodeURIComponent(pathname)));
      if (file.startsWith(root + path.sep) && !file.endsWith('index.html')) {
        const info = await stat(file).catch(() => null);
        if (info?.isFile()) {
          res.writeHead(200, {
            'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
            'cache-control': pathname.startsWith('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache',
            'x-content-type-options': 'nosniff',
          });
          return res.end(await readFile(file));
        }
      }
      // SPA fallback: every page route is the same shell; a missing asset (with an extension) is a 404.
      if (path.extname(pathname) && !pathname.endsWith('.html')) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('not found');
      }
      sendShell(res);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
