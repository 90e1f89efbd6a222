import { describe, expect, it } from 'vitest';
import { fetchPublicHttpsUrl, officerDashboardHref } from './health.ts';

const answer = (status: number, body: unknown): typeof fetch =>
  (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;

describe('fetchPublicHttpsUrl', () => {
  it('ok https url', async () => {
    expect(await fetchPublicHttpsUrl(answer(200, { ok: true, publicHttpsUrl: 'https://localhost:8443' }))).toBe(
      'https://localhost:8443',
    );
  });
  it('null when missing', async () => {
    expect(await fetchPublicHttpsUrl(answer(200, { ok: true }))).toBeNull();
  });
  it('null when not https', async () => {
    expect(await fetchPublicHttpsUrl(answer(200, { ok: true, publicHttpsUrl: 'http://x' }))).toBeNull();
    expect(await fetchPublicHttpsUrl(answer(200, { ok: true, publicHttpsUrl: 'javascript:alert(1)' }))).toBeNull();
  });
  it('null on error status', async () => {
    expect(await fetchPublicHttpsUrl(answer(503, { ok: false }))).toBeNull();
  });
  it('null on network error', async () => {
    const failing = (async () => {
      throw new TypeError('offline');
    }) as typeof fetch;
    expect(await fetchPublicHttpsUrl(failing)).toBeNull();
  });
});

describe('officerDashboardHref', () => {
  it('other origin: absolute link', () => {
    expect(officerDashboardHref('https://localhost:8443', 'http://localhost:8080')).toBe('https://localhost:8443/officer');
  });
  it('same origin: relative link', () => {
    expect(officerDashboardHref('https://localhost:8443/', 'https://localhost:8443')).toBe('/officer');
  });
  it('unknown: relative link', () => {
    expect(officerDashboardHref(null, 'http://localhost:8080')).toBe('/officer');
  });
});
