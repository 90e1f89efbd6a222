/**
 * Serving the built web app (api/http/web.ts, issue 9 "Also"): @hono/node-server's serveStatic with
 * the build's precompressed .br/.gz chosen by Accept-Encoding and `Vary: Accept-Encoding`, a year of
 * `immutable` caching for hashed assets, `no-cache` for HTML and the service worker, the SPA
 * fallback for page routes, a real 404 for a missing asset, and the CSP on every page.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { webApp } from '../../api/http/web.ts';
import { securityHeaders } from '../../api/http/security-headers.ts';
import { notFoundJson } from '../../api/http/error-handler.ts';
import type { AppEnv } from '../../api/http/types.ts';

const root = mkdtempSync(path.join(tmpdir(), 'hakko-web-'));
const INDEX = '<!doctype html><html><head><title>Hakko</title></head><body>' + 'x'.repeat(2000) + '</body></html>';
const CHUNK = 'export const x = 1;' + '/* padding */'.repeat(200);
function put(rel: string, text: string, variants = true): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
  if (variants) {
    writeFileSync(path.join(root, rel + '.br'), brotliCompressSync(text));
    writeFileSync(path.join(root, rel + '.gz'), gzipSync(text));
  }
}
put('index.html', INDEX);
put('service-worker.js', 'self.addEventListener("fetch", () => {});');
put('_app/immutable/chunks/abc123.js', CHUNK);
put('icons/icon-192.png', 'PNG', false);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const app = new Hono<AppEnv>();
app.use('*', securityHeaders({ csp: "default-src 'self'; frame-ancestors 'none'", hsts: false }));
app.use('*', webApp(root));
app.notFound(notFoundJson);

const get = (p: string, headers: Record<string, string> = {}, method = 'GET') => app.request(p, { method, headers });

describe('web app files', () => {
  it('ok brotli when accepted (preferred over gzip), gzip when only it is accepted, identity otherwise; Vary on all three', async () => {
    const br = await get('/_app/immutable/chunks/abc123.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(Buffer.from(await br.arrayBuffer())).toEqual(brotliCompressSync(CHUNK));
    const gz = await get('/_app/immutable/chunks/abc123.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.from(await gz.arrayBuffer())).toEqual(gzipSync(CHUNK));
    const plain = await get('/_app/immutable/chunks/abc123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(CHUNK);
    for (const r of [br, gz, plain]) expect(r.headers.get('vary')).toBe('Accept-Encoding');
  });

  it('ok hashed assets are immutable for a year; HTML, the service worker and other files are revalidated', async () => {
    expect((await get('/_app/immutable/chunks/abc123.js')).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const p of ['/', '/index.html', '/service-worker.js', '/officer', '/icons/icon-192.png']) {
      expect((await get(p, { 'accept-encoding': 'br' })).headers.get('cache-control'), p).toBe('no-cache');
    }
  });

  it('ok page routes get index.html (compressed when accepted) with the CSP; token pages are no-store', async () => {
    for (const p of ['/', '/officer', '/tool/check', '/pin/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      const r = await get(p, { 'accept-encoding': 'br' });
      expect(r.status, p).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(r.headers.get('content-encoding')).toBe('br');
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    expect(await (await get('/officer')).text()).toBe(INDEX);
    expect((await get('/pickup/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).headers.get('cache-control')).toBe('no-store');
  });

  it('NG a missing asset is a real 404, not the page', async () => {
    for (const p of ['/_app/immutable/chunks/old999.js', '/_app/version.json', '/missing.png', '/favicon.ico', '/../package.json', '/%2e%2e/package.json']) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(await r.text()).not.toContain('<html>');
    }
  });

  it('ok HEAD answers headers only; other methods fall through', async () => {
    const head = await get('/_app/immutable/chunks/abc123.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(brotliCompressSync(CHUNK).length));
    expect(await head.text()).toBe('');
    expect((await get('/', {}, 'POST')).status).toBe(404);
  });
});
