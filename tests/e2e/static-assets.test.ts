/**
 * The real build served by the real server (issue 9 "Also"): the build emits .br/.gz beside its text
 * assets (adapter-static `precompress`), the server sends them by Accept-Encoding with
 * `Vary: Accept-Encoding`, hashed assets immutable for a year, HTML and the service worker no-cache,
 * the CSP header on every page; and Chromium, which asks for br, renders the start page from them
 * without a CSP violation.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ensureWebBuild } from '../helpers/build-web.ts';
import { launchChromium, openWatchedPage, screenshot } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let build: string;
let srv: TestServer;
let browser: Browser;
let chunk: string;

beforeAll(async () => {
  build = await ensureWebBuild();
  srv = await startTestServer({ webRoot: build });
  browser = await launchChromium();
  chunk = /(\/_app\/immutable\/entry\/start\.[^"]+\.js)/.exec(readFileSync(path.join(build, 'index.html'), 'utf8'))![1]!;
});
afterAll(async () => {
  await browser?.close();
  await srv?.dispose();
});

describe('the built web app', () => {
  it('ok the build has .br and .gz beside index.html, the service worker and the hashed chunks', () => {
    for (const f of ['index.html', 'service-worker.js', chunk.slice(1)]) {
      expect(existsSync(path.join(build, f + '.br')), f).toBe(true);
      expect(existsSync(path.join(build, f + '.gz')), f).toBe(true);
    }
  });

  it('ok brotli by Accept-Encoding, Vary, immutable hashed chunks, no-cache HTML and service worker, CSP on pages', async () => {
    const js = await fetch(srv.httpUrl + chunk, { headers: { 'accept-encoding': 'br' } });
    expect(js.headers.get('content-encoding')).toBe('br');
    expect(js.headers.get('vary')).toBe('Accept-Encoding');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // fetch decodes the brotli body; the build's .br file is what was sent.
    expect(await js.text()).toBe(brotliDecompressSync(readFileSync(path.join(build, chunk + '.br'))).toString());
    for (const p of ['/', '/officer', '/service-worker.js']) {
      const r = await fetch(srv.httpUrl + p, { headers: { 'accept-encoding': 'gzip' } });
      expect(r.headers.get('cache-control'), p).toBe('no-cache');
      expect(r.headers.get('vary'), p).toBe('Accept-Encoding');
    }
    for (const p of ['/', '/officer', '/tool']) expect((await fetch(srv.httpUrl + p)).headers.get('content-security-policy'), p).toMatch(/script-src 'self' 'sha256-.*frame-ancestors 'none'/);
    expect((await fetch(srv.httpUrl + '/_app/immutable/entry/start.gone.js')).status).toBe(404);
  });

  it('ok Chromium loads the start page from the brotli files without a CSP violation', async () => {
    const { page, context, problems } = await openWatchedPage(browser);
    const encodings = new Map<string, string | undefined>();
    page.on('response', (r) => encodings.set(new URL(r.url()).pathname, r.headers()['content-encoding']));
    await page.goto(srv.httpUrl + '/');
    await page.locator('main h1').waitFor();
    expect(encodings.get('/')).toBe('br');
    expect(encodings.get(chunk)).toBe('br');
    expect(problems).toEqual([]);
    await screenshot(page, 'static-start-br');
    await context.close();
  });
});
