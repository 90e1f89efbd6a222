/**
 * Security suite — limits and bad input over HTTP (spec 08 §Security, spec 04 §HTTP API):
 * - rate limits on the PIN and token endpoints: per address, 429 `RATE_LIMITED` with Retry-After,
 *   another address unaffected (the client address comes from X-Forwarded-For of a trusted proxy);
 * - oversize and malformed JSON and uploads: every one a coded 4xx with a Japanese and an English
 *   message, never a 5xx, and the server answers normally afterwards;
 * - formula neutralisation in the upload report and the export's administrator list (spreadsheet
 *   files), while the certificate information file (interchange) stays byte-faithful.
 * (PIN lockout across processes: tests/scale/nginx.test.ts; constant-time comparison: code review of
 * api/secrets, `timingSafeEqual`.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { addTestInstitution, enrollTestOfficer, officerRequest, uploadBody, uploadViaApi, type OfficerCredentials } from '../helpers/officer.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.ts';
import { api, pickUp } from '../helpers/pickup-client.ts';
import { linksIn, parseMail } from '../helpers/world.ts';
import { person } from '../unit/tsv-builders.ts';

let srv: TestServer;
let officer: OfficerCredentials;
let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
  srv = await startTestServer({ env: { TRUSTED_PROXIES: '127.0.0.1', SMTP_URL: smtp.url } });
  await addTestInstitution(srv);
  officer = await enrollTestOfficer(srv, 'sample-u');
});
afterAll(async () => {
  await srv?.dispose();
  await smtp?.close();
});

const TOKEN = 'B'.repeat(43);
let address = 0;
/** A fresh client address for each test (X-Forwarded-For from the trusted loopback proxy). */
const nextAddress = () => `203.0.113.${++address}`;

/** The error body every 4xx must have: a stable code and a message in both languages. */
function expectCoded(body: unknown, code?: string): void {
  const b = body as { code?: unknown; message?: { ja?: unknown; en?: unknown } };
  expect(typeof b.code).toBe('string');
  expect(b.code).toMatch(/^[A-Z0-9_]+$/);
  if (code) expect(b.code).toBe(code);
  expect(String(b.message?.ja ?? '')).not.toBe('');
  expect(String(b.message?.en ?? '')).not.toBe('');
}

describe('rate limits on the PIN and token endpoints', () => {
  it('NG the 21st PIN attempt of a minute from one address → 429 RATE_LIMITED with Retry-After; another address goes on', async () => {
    const ip = nextAddress();
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 21; i++) {
      last = await fetch(`${srv.httpUrl}/api/pickup/${TOKEN}/verify`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ pin: 'WRONGPINWRONGPIN' }) });
      statuses.push(last.status);
      if (i < 20) await last.arrayBuffer();
    }
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expectCoded(await last!.json(), 'RATE_LIMITED');
    // The PIN URL retrieval counts in the same bucket for that address…
    const retrieve = await fetch(`${srv.httpUrl}/api/pin/${TOKEN}/retrieve`, { method: 'POST', headers: { 'x-forwarded-for': ip } });
    expect(retrieve.status).toBe(429);
    // …and another address is not affected.
    const other = await fetch(`${srv.httpUrl}/api/pickup/${TOKEN}/verify`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': nextAddress() }, body: JSON.stringify({ pin: 'WRONGPINWRONGPIN' }) });
    expect(other.status).toBe(404);
  });

  it('NG token reads: the 121st GET of a minute from one address → 429', async () => {
    const ip = nextAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++) {
      const r = await fetch(`${srv.httpUrl}/api/${i % 2 ? 'pin' : 'pickup'}/${TOKEN}`, { headers: { 'x-forwarded-for': ip } });
      statuses.push(r.status);
      await r.arrayBuffer();
    }
    expect(statuses.slice(0, 120).join(",")).toBe(Array(120).fill(404).join(","));
    expect(statuses[120]).toBe(429);
  });
});

describe('oversize and malformed JSON', () => {
  const post = (path: string, body: string | Uint8Array, contentType = 'application/json') =>
    fetch(srv.httpUrl + path, { method: 'POST', headers: { 'content-type': contentType, 'x-forwarded-for': nextAddress() }, body: typeof body === 'string' ? body : new Uint8Array(body) });

  it.each([
    ['a JSON body over 64 KiB', () => post(`/api/pickup/${TOKEN}/verify`, JSON.stringify({ pin: 'x'.repeat(70_000) })), 413, 'PAYLOAD_TOO_LARGE'],
    ['a CSR call over 8 MiB', () => post(`/api/pickup/${TOKEN}/csr`, JSON.stringify({ csrs: [{ id: '1', csr: 'A'.repeat(9 * 1024 * 1024) }] })), 413, 'PAYLOAD_TOO_LARGE'],
    ['broken JSON', () => post(`/api/pickup/${TOKEN}/verify`, '{"pin": '), 400, undefined],
    ['JSON that is not an object', () => post(`/api/pickup/${TOKEN}/verify`, '[1,2,3]'), 400, undefined],
    ['a PIN of the wrong type', () => post(`/api/pickup/${TOKEN}/verify`, '{"pin": {"$ne": null}}'), 400, undefined],
    ['text/plain instead of JSON', () => post(`/api/pickup/${TOKEN}/verify`, '{"pin":"x"}', 'text/plain'), 415, undefined],
    ['NUL bytes and invalid UTF-8', () => post(`/api/pickup/${TOKEN}/verify`, new Uint8Array([0x7b, 0x22, 0x70, 0x00, 0xff, 0xfe, 0x22, 0x7d])), 400, undefined],
    ['a 1 MB token in the path', () => fetch(`${srv.httpUrl}/api/pin/${'C'.repeat(100_000)}`, { headers: { 'x-forwarded-for': nextAddress() } }), -4, undefined],
  ] as const)('NG %s → a coded 4xx', async (_what, send, status, code) => {
    const r = await send();
    if (status === -4) expect(r.status).toBeGreaterThanOrEqual(400);
    else expect(r.status).toBe(status);
    expect(r.status).toBeLessThan(500);
    const text = await r.text();
    if (r.status !== 431 && r.status !== 414) expectCoded(JSON.parse(text), code);
  });
});

describe('oversize and malformed uploads', () => {
  const upload = (fields: Parameters<typeof uploadBody>[0]) => uploadViaApi(srv, officer, fields);

  it('NG a file over 5 MB → 422 with 216 (file level), not read further', async () => {
    const r = await upload({ file: { name: 'big.tsv', bytes: new Uint8Array(6 * 1024 * 1024).fill(0x41) }, kind: 'issue', mode: 'abort', reviewed: 'true' });
    expect(r.status).toBe(422);
    expect(r.json().errors.map((e: { code: string }) => e.code)).toContain('216');
  });

  it('NG binary garbage, an empty file, no file → 422 with file-level codes', async () => {
    for (const bytes of [new Uint8Array([0, 1, 2, 0xff, 0xfe, 0x80, 0x81, 0x82]), new Uint8Array(0)]) {
      const r = await upload({ file: { name: 'junk.tsv', bytes }, kind: 'issue', mode: 'abort', reviewed: 'true' });
      expect(r.status).toBe(422);
      expect(r.json().errors.length + r.json().rows.filter((x: { ok: boolean }) => !x.ok).length).toBeGreaterThan(0);
    }
    const none = await upload({ kind: 'issue', mode: 'abort', reviewed: 'true' });
    expect(none.status).toBe(422);
    expect(none.json().errors.map((e: { code: string }) => e.code)).toContain('208');
  });

  it('NG a missing or wrong kind, mode or review → 400 coded; a body that is not multipart → 4xx coded', async () => {
    const file = { name: 'r.tsv', bytes: encodeTsv([person(1)]) };
    for (const fields of [{ file, mode: 'abort', reviewed: 'true' }, { file, kind: 'steal', mode: 'abort', reviewed: 'true' }, { file, kind: 'issue', mode: 'abort' }, { file, kind: 'issue', mode: 'maybe', reviewed: 'true' }]) {
      const r = await upload(fields);
      expect(r.status).toBe(400);
      expectCoded(r.json());
    }
    for (const [contentType, bytes] of [['application/json', '{"kind":"issue"}'], ['multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="kind"\r\n\r\nissue'], ['multipart/form-data', 'no boundary at all']] as const) {
      const r = await officerRequest(srv, officer, 'POST', '/api/officer/uploads', { bytes: new TextEncoder().encode(bytes), contentType });
      expect(r.status, `${contentType}: ${r.text}`).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expectCoded(r.json());
    }
  });

  it('ok the report and the administrator list (spreadsheet files) neutralise formulas; the information file keeps them as uploaded', async () => {
    const rows = [person(1, { 11: '=HYPERLINK("http://evil.example/","x")' }), person(2, { 11: '+SUM(1,2)', 13: '@cmd' }), person(3, { 11: '-2+3', 13: '＝１＋１', 8: '=管理 花子' })];
    const up = await upload({ file: { name: 'f.tsv', bytes: encodeTsv(rows) }, kind: 'issue', mode: 'valid-only', reviewed: 'true' });
    expect([200, 422]).toContain(up.status);
    const report = await officerRequest(srv, officer, 'GET', `/api/officer/uploads/${up.json().upload}/report.tsv`);
    expect(report.status).toBe(200);
    const text = new TextDecoder('shift_jis').decode(report.bytes);
    const cells = text.split('\r\n').slice(1).filter(Boolean).flatMap((l) => l.split('\t'));
    const formulaLike = cells.filter((c) => /^[ \t\u3000]*[=+\-@＝＋－＠]/.test(c));
    expect(formulaLike).toEqual([]);
    expect(cells).toContain(`'=HYPERLINK("http://evil.example/","x")`);
    expect(cells).toContain(`'+SUM(1,2)`);

    // Row 3 picked up, so that the administrator list (one line per certificate) holds its '=…' administrator.
    const dn3 = person(3)[0]!;
    const end = Date.now() + 30_000;
    const links = () => smtp.received.map((m) => linksIn(parseMail(m).text));
    while ((links().flatMap((l) => l.pin).length < 3 || links().flatMap((l) => l.pickup).length < 4) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    let pin3 = '';
    for (const t of links().flatMap((l) => l.pin)) {
      const r = await api(srv.httpUrl, 'POST', `/api/pin/${t}/retrieve`);
      const hit = (r.json?.pins ?? []).find((x: { dn: string }) => x.dn === dn3);
      if (hit) pin3 = hit.pin;
    }
    expect(pin3).not.toBe('');
    let pickup3 = '';
    for (const t of links().flatMap((l) => l.pickup)) if ((await api(srv.httpUrl, 'GET', `/api/pickup/${t}`)).json?.rows?.[0]?.dn === dn3) pickup3 = t;
    await pickUp(srv.httpUrl, `/pickup/${pickup3}`, pin3, dn3);

    // The certificate information file (§E) is an interchange file: byte-faithful, no quote added.
    const info = await officerRequest(srv, officer, 'GET', '/api/officer/export.tsv');
    expect(info.status).toBe(200);
    const infoText = new TextDecoder('shift_jis').decode(info.bytes);
    expect(infoText).toContain('\t=HYPERLINK("http://evil.example/","x")\t');
    expect(infoText).not.toContain(`'=HYPERLINK`);
    // The ZIP's user-administrator list is for spreadsheets: neutralised like the report.
    const zip = await officerRequest(srv, officer, 'GET', '/api/officer/export.zip');
    expect(zip.status).toBe(200);
    const admins = Object.entries(unzipSync(new Uint8Array(zip.bytes))).find(([name]) => name.endsWith('administrators.tsv'));
    expect(admins).toBeDefined();
    const adminCells = new TextDecoder('shift_jis').decode(admins![1]).split('\r\n').slice(1).filter(Boolean).flatMap((l) => l.split('\t'));
    expect(adminCells.filter((c) => /^[ \t\u3000]*[=+\-@＝＋－＠]/.test(c))).toEqual([]);
    expect(adminCells).toContain(`'=管理 花子`);
    expect((await fetch(`${srv.httpUrl}/api/health`)).status).toBe(200);
  });
});
