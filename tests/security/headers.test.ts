/**
 * Security suite — response headers on every page and every API route (spec 08 §Security):
 * - every route of /api/openapi.json, each method, called with and without the officer's client
 *   certificate (answers of every kind, errors included), plus /pki and /dev/mailbox;
 * - every page of web/routes (parameters filled in), and a path that is no page (404 fallback);
 * - CSP as an HTTP header: `frame-ancestors 'none'`, and no inline script — script-src (or
 *   default-src where script-src is absent) without 'unsafe-inline' (SvelteKit's boot script is
 *   allowed by hash); `Cache-Control: no-store` on every API answer and every token page;
 *   `Referrer-Policy: no-referrer` on token pages (Hakko sends it everywhere);
 * - HSTS by the spec's rule (spec README): only on HTTPS and only when PUBLIC_URL and
 *   PUBLIC_HTTPS_URL are both https on non-loopback hosts — also behind a trusted TLS proxy that says
 *   `X-Forwarded-Proto: https`, never on plain HTTP or on loopback deployments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureWebBuild } from '../helpers/build-web.ts';
import { addTestInstitution, enrollTestOfficer, officerRequest, type OfficerCredentials } from '../helpers/officer.ts';
import { ROOT, startTestServer, httpsRequest, type TestServer } from '../helpers/server.ts';

let srv: TestServer;
let officer: OfficerCredentials;
let webRoot: string;

beforeAll(async () => {
  webRoot = await ensureWebBuild();
  srv = await startTestServer({ webRoot, env: { TRUSTED_PROXIES: '10.0.0.1' } });
  await addTestInstitution(srv);
  officer = await enrollTestOfficer(srv, 'sample-u');
});
afterAll(async () => {
  await srv?.dispose();
});

type Headers = Record<string, string | string[] | undefined>;
const h = (headers: Headers, name: string) => String(headers[name] ?? '');

/** The CSP's directives, name → sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...v]) => [name!.toLowerCase(), v]));
}

/** What every answer must carry; returns the problems. */
function checkCommon(where: string, headers: Headers, opts: { api: boolean; tokenPage: boolean }): string[] {
  const problems: string[] = [];
  const csp = h(headers, 'content-security-policy');
  const d = directives(csp);
  if (!csp) problems.push(`${where}: no Content-Security-Policy header`);
  if ((d.get('frame-ancestors') ?? []).join(' ') !== "'none'") problems.push(`${where}: frame-ancestors is not 'none' (${csp})`);
  const scripts = d.get('script-src') ?? d.get('default-src') ?? [];
  if (scripts.includes("'unsafe-inline'")) problems.push(`${where}: script-src allows 'unsafe-inline'`);
  if (scripts.includes("'unsafe-eval'")) problems.push(`${where}: script-src allows 'unsafe-eval'`);
  if (!d.has('script-src') && !d.has('default-src')) problems.push(`${where}: neither script-src nor default-src`);
  if (h(headers, 'x-content-type-options') !== 'nosniff') problems.push(`${where}: no X-Content-Type-Options: nosniff`);
  if ((opts.api || opts.tokenPage) && !/\bno-store\b/.test(h(headers, 'cache-control'))) problems.push(`${where}: no Cache-Control: no-store (${h(headers, 'cache-control')})`);
  if (opts.tokenPage && h(headers, 'referrer-policy') !== 'no-referrer') problems.push(`${where}: no Referrer-Policy: no-referrer`);
  if (headers['strict-transport-security'] !== undefined) problems.push(`${where}: HSTS on a loopback deployment`);
  return problems;
}

const TOKEN = 'A'.repeat(43);
const fill = (p: string) => p.replace(/\{token\}/g, TOKEN).replace(/\{serial\}/g, '12345').replace(/\{code\}/g, 'sample-u').replace(/\{[A-Za-z]+\}/g, '1');

describe('headers on every API route (from /api/openapi.json)', () => {
  it('ok every documented route and method, anonymous over HTTP and as the officer over HTTPS', async () => {
    const doc = (await (await fetch(`${srv.httpUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((m) => [m.toUpperCase(), p] as const));
    expect(routes.length).toBeGreaterThan(20);
    const problems: string[] = [];
    const statuses = new Set<number>();
    for (const [method, p] of routes) {
      const url = fill(p);
      const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
      const anon = await fetch(srv.httpUrl + url, { method, headers: body ? { 'content-type': 'application/json', 'x-hakko-request': '1' } : {}, body });
      await anon.arrayBuffer();
      statuses.add(anon.status);
      problems.push(...checkCommon(`${method} ${url} (anonymous)`, Object.fromEntries(anon.headers), { api: true, tokenPage: false }));
      const asOfficer = await officerRequest(srv, officer, method, url, body ? { bytes: new TextEncoder().encode(body), contentType: 'application/json' } : undefined);
      statuses.add(asOfficer.status);
      problems.push(...checkCommon(`${method} ${url} (officer)`, asOfficer.headers, { api: true, tokenPage: false }));
      if (asOfficer.status >= 500) problems.push(`${method} ${url}: ${asOfficer.status}`);
    }
    expect(problems).toEqual([]);
    console.info(`headers checked on ${routes.length} API routes × 2 callers; statuses seen: ${[...statuses].sort().join(', ')}`);
  });

  it('ok /pki, /dev/mailbox and unknown /api paths too', async () => {
    const problems: string[] = [];
    for (const p of ['/pki/ca/root.crt', '/pki/ca/issuing.pem', '/pki/crl/issuing.crl', '/pki/crl/root.pem', '/pki/ocsp/MAMCAQ%3D%3D', '/dev/mailbox', '/api/nothing-here']) {
      const r = await fetch(srv.httpUrl + p);
      await r.arrayBuffer();
      problems.push(...checkCommon(`GET ${p}`, Object.fromEntries(r.headers), { api: p.startsWith('/api/'), tokenPage: false }));
    }
    expect(problems).toEqual([]);
  });
});

/** Every page route of the SvelteKit app: web/routes/**\/+page.svelte → URL with parameters filled in. */
function pageRoutes(): string[] {
  const base = path.join(ROOT, 'web/routes');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const full = path.join(dir, e);
      if (statSync(full).isDirectory()) walk(full);
      else if (e === '+page.svelte') {
        const rel = path.relative(base, dir).split(path.sep).filter(Boolean).filter((s) => !/^\(.*\)$/.test(s));
        out.push('/' + rel.map((s) => (s === '[token]' ? TOKEN : /^\[.*\]$/.test(s) ? '1' : s)).join('/'));
      }
    }
  };
  walk(base);
  return out;
}

describe('headers on every page', () => {
  it('ok every page of web/routes, over HTTP and HTTPS, and the 404 fallback', async () => {
    const pages = [...pageRoutes(), '/no-such-page'];
    expect(pages).toContain(`/pickup/${TOKEN}`);
    expect(pages).toContain(`/pin/${TOKEN}`);
    const problems: string[] = [];
    for (const p of pages) {
      const tokenPage = /^\/(pin|pickup)\//.test(p);
      const r = await fetch(srv.httpUrl + p);
      const html = await r.text();
      problems.push(...checkCommon(`GET ${p}`, Object.fromEntries(r.headers), { api: false, tokenPage }));
      if (r.status === 200 && /<script(?![^>]*\bsrc=)[^>]*>[^<]/i.test(html)) {
        // An inline script in the page must be allowed by hash (SvelteKit's boot script), never by 'unsafe-inline'.
        const csp = directives(r.headers.get('content-security-policy') ?? '');
        if (!(csp.get('script-src') ?? []).some((s) => s.startsWith("'sha256-"))) problems.push(`GET ${p}: inline script without a hash in script-src`);
      }
      const s = await httpsRequest(srv.httpsUrl + p);
      problems.push(...checkCommon(`GET ${p} (HTTPS)`, s.headers, { api: false, tokenPage }));
    }
    expect(problems).toEqual([]);
    console.info(`headers checked on ${pages.length} pages × HTTP/HTTPS`);
  });
});

describe('HSTS by the spec rule', () => {
  let pub: TestServer;
  let other: TestServer;
  const names = { PUBLIC_URL: 'https://hakko.example.ac.jp', PUBLIC_HTTPS_URL: 'https://hakko.example.ac.jp:8443' };
  beforeAll(async () => {
    // A real deployment's names (non-loopback, https); the listeners are still on 127.0.0.1.
    pub = await startTestServer({ webRoot, env: { ...names, TRUSTED_PROXIES: '127.0.0.1' } });
    other = await startTestServer({ webRoot, env: { ...names, TRUSTED_PROXIES: '10.0.0.1' } });
  });
  afterAll(async () => {
    await pub?.dispose();
    await other?.dispose();
  });

  it('ok HTTPS on a non-loopback deployment → HSTS on pages and API; plain HTTP → none', async () => {
    for (const p of ['/', '/api/health', `/pickup/${TOKEN}`]) {
      const s = await httpsRequest(pub.httpsUrl + p);
      expect(s.headers['strict-transport-security'], p).toBe('max-age=31536000');
      const plain = await fetch(pub.httpUrl + p);
      expect(plain.headers.get('strict-transport-security'), p).toBeNull();
    }
  });

  it('ok behind a trusted TLS proxy (X-Forwarded-Proto: https) → HSTS; the header from anyone else → none', async () => {
    const viaProxy = await fetch(pub.httpUrl + '/api/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(viaProxy.headers.get('strict-transport-security')).toBe('max-age=31536000');
    const untrusted = await fetch(`${other.httpUrl}/api/health`, { headers: { 'x-forwarded-proto': 'https' } }); // we are not 10.0.0.1
    expect(untrusted.headers.get('strict-transport-security')).toBeNull();
  });

  it('ok a loopback deployment never sends HSTS, not even on HTTPS (it would break plain-HTTP pickup on localhost)', async () => {
    const s = await httpsRequest(srv.httpsUrl + '/');
    expect(s.headers['strict-transport-security']).toBeUndefined();
  });
});
