/**
 * The certificate information file end to end (spec 06 `GET /api/officer/export.tsv`, spec 02 §E),
 * on PGlite and PostgreSQL: certificates issued and picked up through the real APIs, one revoked by
 * the officer, one request left open; the officer downloads the file over HTTPS with the client
 * certificate. Rows, state codes (5, 6 renewed, 7, 2), DER, headers and content type; another
 * institution's officer sees only its own rows.
 */
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { officerRequest, SAMPLE_INSTITUTION, type OfficerCredentials } from '../helpers/officer.ts';
import type { IssuedCertificate } from '../helpers/issued.ts';
import { buildOfficerFixture, OPEN_DN, OTHER } from '../helpers/officer-fixture.ts';
import { decodeTsv } from '../../api/domain/tsv/codec.ts';
import { infoFileHeader, jstTime } from '../../api/domain/tsv/info-file.ts';

/** Column `n` (1-based, as the spec numbers them). */
const col = (line: readonly string[], n: number) => line[n - 1]!;

describe.each(await backends())('certificate information file on $name', (backend) => {
  let srv: TestServer;
  let a: OfficerCredentials;
  let b: OfficerCredentials;
  let issued: readonly IssuedCertificate[];
  let foreign: readonly IssuedCertificate[];
  let renewal: IssuedCertificate;

  /** GET export.tsv as `who`; the body decoded with the project's decoder, split into CRLF lines. */
  async function download(who: OfficerCredentials, query = '') {
    const r = await officerRequest(srv, who, 'GET', `/api/officer/export.tsv${query}`);
    if (r.status !== 200) return { status: r.status, headers: r.headers, lines: [] as string[][], text: r.text };
    const d = decodeTsv(new Uint8Array(r.bytes));
    if (!d.ok) throw new Error(`undecodable at ${d.offset}`);
    expect(d.text.endsWith('\r\n')).toBe(true);
    const lines = d.text.slice(0, -2).split('\r\n').map((l) => l.split('\t'));
    return { status: r.status, headers: r.headers, lines, encoding: d.encoding, text: d.text };
  }

  beforeAll(async () => {
    srv = await startTestServer({ backend, env: { TRUSTED_PROXIES: '127.0.0.1' } });
    ({ a, b, issued, foreign, renewal } = await buildOfficerFixture(srv));
  }, 240_000);
  afterAll(async () => {
    await srv?.dispose();
  });

  it('ok CP932 attachment: header, one row per certificate or request, 30 columns', async () => {
    const f = await download(a);
    expect(f.status).toBe(200);
    expect(f.headers['content-type']).toBe('text/tab-separated-values; charset=Shift_JIS');
    expect(f.headers['content-disposition']).toMatch(/^attachment; filename="sample-u-certificates-\d{8}\.tsv"$/);
    expect(f.encoding).toBe('cp932');
    expect(f.text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(f.lines[0]).toEqual(infoFileHeader('ja'));
    expect(f.lines).toHaveLength(1 + 3 + 1 + 1);
    for (const line of f.lines) expect(line).toHaveLength(30);
    // Ordered by request id: the three picked-up certificates, the renewal, then the open request.
    expect(f.lines.slice(1).map((l) => col(l, 4))).toEqual([...issued.map((c) => c.dn), issued[2]!.dn, OPEN_DN]);
    const ids = f.lines.slice(1).map((l) => Number(col(l, 1)));
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
  });

  it('ok certificate rows: DN, state, mail, serial, not after, the DER of that certificate', async () => {
    const rows = (await download(a)).lines.slice(1, 4);
    for (const [i, line] of rows.entries()) {
      const c = issued[i]!;
      const k = /CN=Crl User (\d+),/.exec(c.dn)![1];
      expect(col(line, 2)).toBe(SAMPLE_INSTITUTION.ja);
      expect(col(line, 3)).toBe('発行');
      expect(col(line, 15)).toBe(`user${k}@sample.ac.jp`);
      expect(col(line, 24)).toBe(c.serial);
      const der = Buffer.from(col(line, 29), 'base64');
      expect(col(line, 29)).toBe(der.toString('base64'));
      const x = new X509Certificate(der);
      expect(BigInt(`0x${x.serialNumber}`).toString()).toBe(col(line, 24));
      expect(x.raw.equals(new X509Certificate(c.certPem).raw)).toBe(true);
      expect(col(line, 27)).toBe(jstTime(x.validToDate));
      expect(col(line, 22)).toBe(jstTime(x.validFromDate));
      for (const n of [6, 23, 25, 26, 28]) expect(col(line, n), `column ${n}`).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d$/);
    }
    expect(rows.map((l) => [col(l, 12), col(l, 30)])).toEqual([['5', '発行済み'], ['7', '失効済み'], ['6', '更新済み']]);
    expect(rows.map((l) => [col(l, 19), col(l, 20)])).toEqual([['', ''], ['', ''], ['', renewal.serial]]);
    const revoked = rows[1]!;
    expect(col(revoked, 16)).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d$/);
    expect([col(revoked, 17), col(revoked, 18)]).toEqual(['3', '所属変更']);
    for (const l of [rows[0]!, rows[2]!]) expect([16, 17, 18].map((n) => col(l, n))).toEqual(['', '', '']);
  });

  it('ok the renewal: kind 更新, code 5, renewal of the old serial', async () => {
    const line = (await download(a)).lines[4]!;
    expect([3, 4, 12, 19, 20, 24, 30].map((n) => col(line, n))).toEqual(['更新', issued[2]!.dn, '5', issued[2]!.serial, '', renewal.serial, '発行済み']);
    expect(new X509Certificate(Buffer.from(col(line, 29), 'base64')).raw.equals(new X509Certificate(renewal.certPem).raw)).toBe(true);
  });

  it('ok the open request: code 2, its facts, no certificate columns', async () => {
    const line = (await download(a)).lines.at(-1)!;
    expect([3, 4, 5, 7, 8, 10, 11, 12, 13, 14, 15, 30].map((n) => col(line, n))).toEqual([
      '発行', OPEN_DN, '5', '3', '管理 花子', 'admin-open@sample.ac.jp', '髙橋 開', '2', '工学部', 'open-user.p12', 'open@sample.ac.jp', 'PIN未取得',
    ]);
    for (const n of [16, 17, 18, 19, 20, 22, 23, 24, 25, 26, 27, 29]) expect(col(line, n), `column ${n}`).toBe('');
    expect(col(line, 21)).toMatch(/^\d+$/);
    expect(col(line, 28)).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d$/);
  });

  it('ok lang=en: English header and texts, same codes', async () => {
    const f = await download(a, '?lang=en');
    expect(f.status).toBe(200);
    expect(f.lines[0]).toEqual(infoFileHeader('en'));
    expect(f.lines.slice(1).map((l) => [col(l, 2), col(l, 3), col(l, 12), col(l, 30)])).toEqual([
      ['Sample University', 'issue', '5', 'issued'], ['Sample University', 'issue', '7', 'revoked'], ['Sample University', 'issue', '6', 'renewed'],
      ['Sample University', 'renew', '5', 'issued'], ['Sample University', 'issue', '2', 'PIN not retrieved'],
    ]);
  });

  it('NG 400 for an unknown lang', async () => {
    const r = await officerRequest(srv, a, 'GET', '/api/officer/export.tsv?lang=fr');
    expect(r.status).toBe(400);
    expect(r.json().code).toBe('BAD_REQUEST');
  });

  it('NG another institution never appears: each officer sees only its own rows', async () => {
    const mine = await download(a);
    const theirs = await download(b);
    expect(theirs.lines).toHaveLength(2);
    const [line] = theirs.lines.slice(1);
    expect([col(line!, 2), col(line!, 4), col(line!, 24)]).toEqual([OTHER.ja, foreign[0]!.dn, foreign[0]!.serial]);
    const serials = (f: typeof mine) => f.lines.slice(1).map((l) => col(l, 24));
    expect(serials(mine)).not.toContain(foreign[0]!.serial);
    for (const c of issued) expect(serials(theirs)).not.toContain(c.serial);
    expect(mine.text).not.toContain('other.ac.jp');
    expect(theirs.text).not.toContain('sample.ac.jp');
  });

  it('NG without a client certificate', async () => {
    const r = await fetch(`${srv.httpUrl}/api/officer/export.tsv`);
    expect(r.status).toBe(401);
  });
});
