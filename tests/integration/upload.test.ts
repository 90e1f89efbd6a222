/**
 * TSV uploads end to end (spec 02 §Upload modes, spec 06 `POST /api/officer/uploads` and the report),
 * on PGlite and PostgreSQL: the workflow directly (fake clock) and the real HTTPS API with an officer
 * certificate. abort / valid-only, file-level problems, 400s, the URL tokens and notices of each
 * download method, renewal / revocation / administrator change against certificates picked up through
 * the pickup API, 212 against open requests and certificates, the CP932 report, institution isolation;
 * two uploads at once (212, 230: one registers), renewal after a completed renewal, a body over the
 * size limit answered as 216, W227 as an error, the revocation notice's recipients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { backends } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { keyAndCsr } from '../helpers/pickup-client.ts';
import {
  addTestInstitution, authenticatedOfficer, enrollTestOfficer, officerRequest, SAMPLE_INSTITUTION, uploadViaApi,
  type OfficerCredentials, type UploadFields,
} from '../helpers/officer.ts';
import { person } from '../unit/tsv-builders.ts';
import { encodeTsv, splitTsv, decodeTsv } from '../../api/domain/tsv/codec.ts';
import { encodeCp932 } from '../../api/domain/tsv/cp932.ts';
import { MULTIPART_OVERHEAD, uploadTsv, type UploadAnswer, type UploadInput } from '../../api/workflows/upload-tsv.ts';
import { formatProblem } from '../../api/domain/errors/format.ts';
import { writeSetting } from '../../db/repos/settings.ts';
import { loadConfig } from '../../api/config.ts';
import { silentLogger } from '../../api/log.ts';
import { openServices } from '../../api/runtime/bootstrap.ts';
import { hashPin } from '../../api/secrets/pin.ts';
import { unsealDeep } from '../../api/secrets/sealed.ts';
import type { AuthenticatedOfficer } from '../../api/domain/officer.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/tsv');
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));
/** A fixture's lines as columns (CP932 decoded), to build variants in the same shape. */
const fixtureRows = (name: string) => splitTsv((decodeTsv(fixture(name)) as { text: string }).text).lines.map((l) => [...l.columns]);
const OTHER = { code: 'other-u', ja: '別大学', en: 'Other University', o: 'Other University', l: 'Chiyoda-ku', st: 'Tokyo', domains: ['other.ac.jp'] };
const ADMIN = 'pki-admin@sample.ac.jp';

describe.each(await backends())('uploads on $name', (backend) => {
  let srv: TestServer;
  let a: OfficerCredentials;
  let b: OfficerCredentials;
  let officerA: AuthenticatedOfficer;
  const clock = new FakeClock(new Date());
  let ipN = 0;

  beforeAll(async () => {
    // Pickups in this file come from their own X-Forwarded-For addresses: the per-address rate limits stay apart.
    srv = await startTestServer({ backend, clock, env: { TRUSTED_PROXIES: '127.0.0.1' } });
    await addTestInstitution(srv);
    await addTestInstitution(srv, OTHER);
    a = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code, '登録 太郎', 'ra@sample.ac.jp');
    b = await enrollTestOfficer(srv, OTHER.code, '別 担当', 'ra@other.ac.jp');
    officerA = await authenticatedOfficer(srv, a);
  });
  afterAll(async () => {
    await srv?.dispose();
  });

  async function q<T = Record<string, unknown>>(query: SQL): Promise<T[]> {
    const r = await srv.services.db.execute(query);
    return ((r as unknown as { rows?: T[] }).rows ?? (r as unknown as T[]));
  }
  async function counts() {
    const [c] = await q<Record<string, number>>(sql`select
      (select count(*)::int from requests where kind in ('issue','renew')) as requests,
      (select count(*)::int from url_tokens) as url_tokens,
      (select count(*)::int from outbox) as outbox,
      (select count(*)::int from uploads) as uploads,
      (select count(*)::int from certificates where revoked_at is not null) as revoked`);
    return c!;
  }
  const direct = (input: Partial<UploadInput> & Pick<UploadInput, 'file'>): Promise<UploadAnswer> =>
    uploadTsv(srv.services, officerA, { kind: 'issue', mode: 'abort', lang: 'ja', ...input });
  const viaApi = (fields: UploadFields, who = a) => uploadViaApi(srv, who, { kind: 'issue', mode: 'abort', reviewed: 'true', ...fields });
  const codes = (ans: Pick<UploadAnswer, 'rows'>) => ans.rows.map((r) => r.errors.map((e) => `${e.code}:${e.column}`).join(' '));
  const tsv = (rows: readonly (readonly string[])[], name = 'req.tsv') => ({ name, bytes: encodeTsv(rows) });

  /** The notices of a request, links opened (the outbox keeps them sealed). */
  async function mailsOf(requestId: string | number) {
    const rows = await q<{ kind: string; recipients: { address: string }[]; data: Record<string, unknown> }>(sql`select kind, recipients, data from outbox where request_id = ${Number(requestId)} order by id`);
    return rows.map((r) => ({ kind: r.kind, to: r.recipients.map((x) => x.address), data: unsealDeep(srv.services.keys.pinEnc, r.data) }));
  }

  /** The pickup API from an address of its own: PIN URL → PIN, then key, CSR, certificate, confirm. */
  async function pickUpRequest(requestId: string, dn: string): Promise<string> {
    const ip = `198.51.100.${++ipN}`;
    const call = async (p: string, body: unknown) => {
      const res = await fetch(srv.httpUrl + p, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    };
    const mails = await mailsOf(requestId);
    const pinToken = String(mails.find((m) => m.kind === 'pin-notice')!.data.pinUrl).split('/').pop();
    const pickupToken = String(mails.find((m) => m.kind === 'pickup-notice')!.data.pickupUrl).split('/').pop();
    const pin = (await call(`/api/pin/${pinToken}/retrieve`, {})).json.pins[0].pin as string;
    expect((await call(`/api/pickup/${pickupToken}/verify`, { pin })).status).toBe(204);
    const k = await keyAndCsr(dn);
    const c = await call(`/api/pickup/${pickupToken}/csr`, { pin, csr: k.csrPem });
    expect(c.status).toBe(201);
    expect((await call(`/api/pickup/${pickupToken}/confirm`, { pin })).status).toBe(204);
    return c.json.certificates[0].serial as string;
  }

  // ——— abort / valid-only ———

  const individual = fixtureRows('issue-p12-individual.tsv');
  const withBadRow = [...individual, person(9001, { 14: 'someone@elsewhere.example.jp' })];
  let issued: { seq: number; requestId: string; dn: string }[] = [];

  it('NG abort: one bad row registers nothing — requests, URL tokens and outbox unchanged; every row reported', async () => {
    const before = await counts();
    const ans = await direct({ file: tsv(withBadRow) });
    expect(ans).toMatchObject({ registered: 0, rejected: 4, errors: [] });
    expect(ans.rows.map((r) => [r.seq, r.ok, r.requestId])).toEqual([[1, true, null], [2, true, null], [3, true, null], [4, false, null]]);
    expect(codes(ans)).toEqual(['', '', '', '301:14']);
    expect(await counts()).toEqual({ ...before, uploads: before.uploads + 1 });
    const api = await viaApi({ file: tsv(withBadRow) });
    expect(api.status).toBe(422);
    expect(api.json()).toMatchObject({ registered: 0, rejected: 4 });
    expect(await counts()).toEqual({ ...before, uploads: before.uploads + 2 });
  });

  it('ok valid-only: exactly the clean rows are registered — 200, registered/rejected, requestId per row', async () => {
    const before = await counts();
    const res = await viaApi({ file: tsv(withBadRow), mode: 'valid-only' });
    expect(res.status).toBe(200);
    const ans = res.json<UploadAnswer>();
    expect(ans).toMatchObject({ registered: 3, rejected: 1, errors: [] });
    expect(typeof ans.upload).toBe('string');
    expect(ans.rows.map((r) => [r.seq, r.ok, r.requestId === null])).toEqual([[1, true, false], [2, true, false], [3, true, false], [4, false, true]]);
    const ids = ans.rows.flatMap((r) => (r.requestId ? [r.requestId] : []));
    expect(ids.every((id) => /^\d+$/.test(id))).toBe(true);
    const stored = await q<{ id: number; seq: number; dn: string; state: string; upload_id: number }>(sql`select id::int, seq, dn, state, upload_id::int from requests where upload_id = ${Number(ans.upload)} order by seq`);
    expect(stored.map((r) => [String(r.id), r.seq, r.state])).toEqual(ids.map((id, i) => [id, i + 1, 'pin-pending']));
    expect(stored.map((r) => r.dn)).toEqual(individual.map((r) => r[0]));
    expect(await counts()).toEqual({ ...before, requests: before.requests + 3, url_tokens: before.url_tokens + 6, outbox: before.outbox + 6, uploads: before.uploads + 1 });
    issued = stored.map((r) => ({ seq: r.seq, requestId: String(r.id), dn: r.dn }));
  });

  it('ok valid-only with nothing clean: 422, nothing registered', async () => {
    const before = await counts();
    const res = await viaApi({ file: tsv([person(9002, { 14: 'x@elsewhere.example.jp' })]), mode: 'valid-only' });
    expect(res.status).toBe(422);
    expect(res.json()).toMatchObject({ registered: 0, rejected: 1 });
    expect(await counts()).toEqual({ ...before, uploads: before.uploads + 1 });
  });

  it('NG 212 the same CN+OU as an open request', async () => {
    const ans = await direct({ file: { name: 'again.tsv', bytes: fixture('issue-p12-individual.tsv') }, mode: 'valid-only' });
    expect(codes(ans)).toEqual(['212:1', '212:1', '212:1']);
    expect(ans.registered).toBe(0);
  });

  // ——— download methods ———

  it('ok method 1: per row one PIN URL (→ administrator) and one pickup URL (→ user), expiring after pin/pickup.urlDays', async () => {
    const now = clock.now().getTime();
    const reqs = await q<{ id: number; user_mail: string; pin_url_id: number; pickup_url_id: number; pin_hash: Uint8Array | null }>(sql`select id::int, user_mail, pin_url_id::int, pickup_url_id::int, pin_hash from requests where id in (${sql.join(issued.map((i) => sql`${Number(i.requestId)}`), sql`, `)}) order by seq`);
    const pinUrls = new Set(reqs.map((r) => r.pin_url_id));
    const pickupUrls = new Set(reqs.map((r) => r.pickup_url_id));
    expect(pinUrls.size).toBe(3);
    expect(pickupUrls.size).toBe(3);
    expect(reqs.every((r) => r.pin_hash !== null)).toBe(true);
    const tokens = await q<{ id: number; purpose: string; state: string; expires_at: Date | string }>(sql`select id::int, purpose, state, expires_at from url_tokens where id in (${sql.join([...pinUrls, ...pickupUrls].map((x) => sql`${x}`), sql`, `)})`);
    for (const t of tokens) {
      expect(t.purpose).toBe(pinUrls.has(t.id) ? 'pin' : 'pickup');
      expect(t.state).toBe('active');
      expect(new Date(t.expires_at).getTime()).toBe(now + 30 * 86_400_000);
    }
    for (const r of reqs) {
      const mails = await mailsOf(r.id);
      expect(mails.map((m) => [m.kind, m.to])).toEqual([['pin-notice', [ADMIN]], ['pickup-notice', [r.user_mail]]]);
      expect(String(mails[0]!.data.pinUrl)).toMatch(new RegExp(`^${srv.services.config.publicUrl}/pin/[A-Za-z0-9_-]{43}$`));
      expect(String(mails[1]!.data.pickupUrl)).toMatch(new RegExp(`^${srv.services.config.publicUrl}/pickup/[A-Za-z0-9_-]{43}$`));
    }
  });

  it('ok method 3 (browser, S/MIME): one PIN URL and one pickup URL for the row', async () => {
    const before = await counts();
    const ans = await direct({ file: { name: 'smime.tsv', bytes: fixture('issue-browser-smime.tsv') } });
    expect(ans).toMatchObject({ registered: 1, rejected: 0 });
    expect(await counts()).toMatchObject({ requests: before.requests + 1, url_tokens: before.url_tokens + 2, outbox: before.outbox + 2 });
    const mails = await mailsOf(ans.rows[0]!.requestId!);
    expect(mails.map((m) => [m.kind, m.to, m.data.method])).toEqual([['pin-notice', [ADMIN], 3], ['pickup-notice', ['hanako.yamada@sample.ac.jp'], 3]]);
  });

  it('ok method 2 (bulk): one PIN URL for the file (→ uploading officer), one pickup URL per administrator; column-15 PINs kept', async () => {
    const bulk = fixtureRows('issue-p12-bulk.tsv');
    const third = [...bulk[0]!];
    third[0] = 'CN=LAB MEMBER03,OU=Lab B,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';
    third[9] = 'lab-b-admin@sample.ac.jp';
    third[11] = 'lab-b-03';
    third[13] = 'm03@sample.ac.jp';
    const before = await counts();
    const ans = await direct({ file: tsv([...bulk, third], 'bulk.tsv') });
    expect(ans).toMatchObject({ registered: 3, rejected: 0 });
    // 1 PIN URL + 2 pickup URLs (two administrators); 1 PIN notice + 2 pickup notices.
    expect(await counts()).toMatchObject({ requests: before.requests + 3, url_tokens: before.url_tokens + 3, outbox: before.outbox + 3 });
    const ids = ans.rows.map((r) => Number(r.requestId));
    const reqs = await q<{ id: number; pin_url_id: number; pickup_url_id: number; pin_hash: Uint8Array }>(sql`select id::int, pin_url_id::int, pickup_url_id::int, pin_hash from requests where id in (${sql.join(ids.map((x) => sql`${x}`), sql`, `)}) order by seq`);
    expect(new Set(reqs.map((r) => r.pin_url_id)).size).toBe(1);
    expect(reqs[0]!.pickup_url_id).toBe(reqs[1]!.pickup_url_id);
    expect(reqs[2]!.pickup_url_id).not.toBe(reqs[0]!.pickup_url_id);
    expect(Buffer.from(reqs[1]!.pin_hash).equals(Buffer.from(hashPin(srv.services.keys.pinHash, 'OwnPin_2026-abc')))).toBe(true);
    const notices = await q<{ kind: string; recipients: { address: string }[] }>(sql`select kind, recipients from outbox where request_id in (${sql.join(ids.map((x) => sql`${x}`), sql`, `)}) order by id`);
    expect(notices.map((n) => [n.kind, n.recipients.map((r) => r.address)])).toEqual([
      ['pin-notice', ['ra@sample.ac.jp']], ['pickup-notice', [ADMIN]], ['pickup-notice', ['lab-b-admin@sample.ac.jp']],
    ]);
    // The PIN URL reveals the three PINs: the one column 15 brought, two generated.
    const pinUrl = String((await mailsOf(ids[0]!)).find((m) => m.kind === 'pin-notice')!.data.pinUrl);
    const res = await fetch(srv.httpUrl + `/api/pin/${pinUrl.split('/').pop()}/retrieve`, { method: 'POST', headers: { 'x-forwarded-for': '198.51.100.250' } });
    const pins = (await res.json()).pins as { mail: string; pin: string }[];
    expect(pins.find((p) => p.mail === 'm02@sample.ac.jp')!.pin).toBe('OwnPin_2026-abc');
    expect(pins.filter((p) => p.mail !== 'm02@sample.ac.jp').every((p) => /^[A-Za-z2-9]{16}$/.test(p.pin))).toBe(true);
  });

  // ——— file-level problems and bad requests ———

  // [code, what, fields, physical lines in the upload record, setup, teardown]
  const fileCases: [string, string, () => Promise<UploadFields>, number, (() => Promise<void>)?, (() => Promise<void>)?][] = [
    ['208', 'no file was sent', async () => ({ file: undefined }), 0],
    ['213', 'the file is empty', async () => ({ file: { name: 'empty.tsv', bytes: new Uint8Array() } }), 0],
    ['214', 'more lines than upload.maxLines', async () => ({ file: tsv([person(9101), person(9102), person(9103)]) }), 3,
      () => writeSetting(srv.services.db, 'upload.maxLines', 2, clock.now()), () => writeSetting(srv.services.db, 'upload.maxLines', 10_000, clock.now())],
    ['216', 'larger than upload.maxBytes', async () => ({ file: tsv([person(9104), person(9108)]) }), 2,
      () => writeSetting(srv.services.db, 'upload.maxBytes', 100, clock.now()), () => writeSetting(srv.services.db, 'upload.maxBytes', 5_242_880, clock.now())],
    ['217', 'neither CP932 nor UTF-8', async () => ({ file: { name: 'bad.tsv', bytes: new Uint8Array([0x43, 0x4e, 0x3d, 0x82, 0x09, 0xff, 0xff, 0x0a, 0x41]) } }), 2],
    ['218', 'mixed download methods', async () => ({ file: tsv([person(9105), person(9106, { 3: '3' })]) }), 2],
  ];
  it.each(fileCases)('NG %s %s → 422, rows empty, nothing registered; lines recorded', async (code, _what, fields, lines, setup, teardown) => {
    await setup?.();
    try {
      const before = await counts();
      const res = await viaApi(await fields(), a);
      expect(res.status).toBe(422);
      const ans = res.json<UploadAnswer>();
      expect(ans.errors.map((e) => [e.code, e.line, e.column, e.level])).toContainEqual([code, 0, 0, 'error']);
      expect(ans.rows).toEqual([]);
      expect(ans.registered).toBe(0);
      expect(await counts()).toEqual({ ...before, uploads: before.uploads + 1 });
      const [up] = await q<{ lines: number }>(sql`select lines from uploads where id = ${Number(ans.upload)}`);
      expect(up!.lines).toBe(lines);
    } finally {
      await teardown?.();
    }
  });

  it.each(['abort', 'valid-only'])('NG 209 the name does not end in .tsv or .txt (%s) → 422, every row still reported, nothing registered', async (mode) => {
    const before = await counts();
    const res = await viaApi({ file: tsv([person(9100), person(9107, { 14: 'x@elsewhere.example.jp' })], 'req.csv'), mode });
    expect(res.status).toBe(422);
    const ans = res.json<UploadAnswer>();
    expect(ans.errors.map((e) => [e.code, e.line, e.column, e.level])).toEqual([['209', 0, 0, 'error']]);
    expect(ans).toMatchObject({ registered: 0, rejected: 2 });
    expect(ans.rows.map((r) => [r.seq, r.ok, r.requestId])).toEqual([[1, true, null], [2, false, null]]);
    expect(codes(ans)).toEqual(['', '301:14']);
    expect(await counts()).toEqual({ ...before, uploads: before.uploads + 1 });
    // The report carries the file-level line and both rows.
    const report = await officerRequest(srv, a, 'GET', `/api/officer/uploads/${ans.upload}/report.tsv`);
    const lines = new TextDecoder('shift_jis').decode(report.bytes).split('\r\n').filter((l) => l !== '').map((l) => l.split('\t').slice(0, 2).join(' '));
    expect(lines.slice(1)).toEqual(['0 NG', '1 OK', '2 NG']);
  });

  it('NG 218 in valid-only mode: the clean rows are not registered either (file-level errors stop both modes)', async () => {
    const before = await counts();
    const res = await viaApi({ file: tsv([person(9109), person(9110, { 3: '3' })]), mode: 'valid-only' });
    expect(res.status).toBe(422);
    expect(res.json()).toMatchObject({ registered: 0, rejected: 2, rows: [], errors: [{ code: '218', level: 'error' }] });
    expect(await counts()).toEqual({ ...before, uploads: before.uploads + 1 });
  });

  /** The upload route with a body sent in chunks, without Content-Length. */
  function chunkedUpload(o: OfficerCredentials, bytes: Uint8Array, contentType: string): Promise<{ status: number; json: any }> {
    return new Promise((resolve, reject) => {
      const req = https.request(srv.httpsUrl + '/api/officer/uploads', { method: 'POST', headers: { 'x-hakko-request': '1', 'content-type': contentType }, cert: o.certPem, key: o.keyPem, ca: o.rootPem, servername: 'localhost' }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      req.on('error', reject);
      for (let at = 0; at < bytes.length; at += 16_384) req.write(bytes.subarray(at, at + 16_384));
      req.end();
    });
  }

  it('NG 216 a body over upload.maxBytes + the multipart framing is not read: 422 in the upload answer shape, no upload recorded', async () => {
    await writeSetting(srv.services.db, 'upload.maxBytes', 1000, clock.now());
    try {
      const file = tsv(Array.from({ length: 600 }, (_, i) => person(9600 + i)));
      expect(file.bytes.length).toBeGreaterThan(1000 + MULTIPART_OVERHEAD);
      const expected = { upload: null, registered: 0, rejected: 0, errors: [{ code: '216', level: 'error', line: 0, column: 0, message: formatProblem('216', 0, { n: 1000 }, 'ja') }], rows: [] };
      const before = await counts();
      const res = await viaApi({ file });
      expect(res.status).toBe(422);
      expect(res.json()).toEqual(expected);
      // Without Content-Length the body is counted as it streams in.
      const form = new FormData();
      for (const [k, v] of Object.entries({ kind: 'issue', mode: 'abort', reviewed: 'true' })) form.set(k, v);
      form.set('file', new Blob([file.bytes]), file.name);
      const encoded = new Request('http://multipart.invalid/', { method: 'POST', body: form });
      const streamed = await chunkedUpload(a, new Uint8Array(await encoded.arrayBuffer()), encoded.headers.get('content-type')!);
      expect(streamed).toEqual({ status: 422, json: expected });
      expect(await counts()).toEqual(before);
    } finally {
      await writeSetting(srv.services.db, 'upload.maxBytes', 5_242_880, clock.now());
    }
  });

  it.each([
    ['kind missing', { kind: undefined }],
    ['kind unknown', { kind: 'delete' }],
    ['mode missing', { mode: undefined }],
    ['mode unknown', { mode: 'all' }],
    ['reviewed missing', { reviewed: undefined }],
    ['reviewed not true', { reviewed: 'false' }],
    ['lang unknown', { lang: 'fr' }],
  ] as [string, UploadFields][])('NG %s → 400, no upload recorded', async (_what, fields) => {
    const before = await counts();
    const res = await viaApi({ file: tsv([person(9200)]), ...fields });
    expect(res.status).toBe(400);
    expect(res.json().code).toBe('BAD_REQUEST');
    expect(await counts()).toEqual(before);
  });

  // ——— renewal, administrator change, revocation ———

  let serials: string[] = [];
  it('ok: the registered requests are picked up through the pickup API (certificates to renew and revoke)', async () => {
    serials = [];
    for (const r of issued) serials.push(await pickUpRequest(r.requestId, 'CN=ignored'));
    expect(serials.every((s) => /^\d+$/.test(s))).toBe(true);
  });

  it('NG 212 the same CN+OU as an issued certificate (the request is completed, the certificate exists)', async () => {
    const states = await q<{ state: string }>(sql`select state from requests where id = ${Number(issued[0]!.requestId)}`);
    expect(states[0]!.state).not.toBe('pin-pending');
    const ans = await direct({ file: tsv([individual[0]!]) });
    expect(codes(ans)).toEqual(['212:1']);
  });

  it('ok renewal: a renew request for the old serial, with its URLs and notices; a second renewal → 230', async () => {
    const renew = fixtureRows('renew.tsv');
    renew[0]![3] = serials[0]!;
    const before = await counts();
    const res = await viaApi({ file: tsv(renew, 'renew.tsv'), kind: 'renew' });
    expect(res.status).toBe(200);
    const ans = res.json<UploadAnswer>();
    expect(ans).toMatchObject({ registered: 1, rejected: 0 });
    const [req] = await q<{ kind: string; renewal_of: string; dn: string; state: string }>(sql`select kind, renewal_of, dn, state from requests where id = ${Number(ans.rows[0]!.requestId)}`);
    expect(req).toEqual({ kind: 'renew', renewal_of: serials[0], dn: renew[0]![0], state: 'pin-pending' });
    expect(await counts()).toMatchObject({ requests: before.requests + 1, url_tokens: before.url_tokens + 2, outbox: before.outbox + 2 });
    const again = await direct({ file: tsv(renew, 'renew.tsv'), kind: 'renew' });
    expect(codes(again)).toEqual(['230:4']);
  });

  let renewed = { serial: '', dn: '' };
  it('ok renewal again once the earlier renewal is picked up (completed): 230 is only for an OPEN renewal', async () => {
    const [open] = await q<{ id: number; dn: string }>(sql`select id::int, dn from requests where kind = 'renew' and renewal_of = ${serials[0]!} and state = 'pin-pending'`);
    renewed = { serial: await pickUpRequest(String(open!.id), open!.dn), dn: open!.dn };
    const [done] = await q<{ state: string }>(sql`select state from requests where id = ${open!.id}`);
    expect(done!.state).toBe('completed');
    const [old] = await q<{ renewed_by: string }>(sql`select renewed_by::text from certificates where serial = ${serials[0]!}::numeric`);
    expect(old!.renewed_by).toBe(renewed.serial);
    const renew = fixtureRows('renew.tsv');
    renew[0]![3] = serials[0]!;
    const again = await direct({ file: tsv(renew, 'renew.tsv'), kind: 'renew' });
    expect(codes(again)).toEqual(['']);
    expect(again).toMatchObject({ registered: 1, rejected: 0 });
  });

  /** Two uploads at once: on PostgreSQL through a second process's services (its own connections). */
  async function race(files: [UploadInput['file'], UploadInput['file']], kind: UploadInput['kind']): Promise<UploadAnswer[]> {
    const second = backend.name === 'postgres' ? await openServices(loadConfig(srv.env), silentLogger, { clock }) : null;
    try {
      const input = { kind, mode: 'abort', lang: 'ja' } as const;
      return await Promise.all([uploadTsv(srv.services, officerA, { ...input, file: files[0] }), uploadTsv(second?.services ?? srv.services, officerA, { ...input, file: files[1] })]);
    } finally {
      await second?.close();
    }
  }

  it('NG 212 race: two uploads of one CN+OU at once — exactly one registers, the other reports 212 on the row', async () => {
    for (let round = 0; round < 3; round++) {
      const dn = `CN=RACE ${round},OU=R${round},O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP`;
      const answers = await race([tsv([person(9700 + round, { 1: dn })], 'a.tsv'), tsv([person(9710 + round, { 1: dn })], 'b.tsv')], 'issue');
      expect(answers.map((x) => x.registered).sort()).toEqual([0, 1]);
      const lost = answers.find((x) => x.registered === 0)!;
      expect(codes(lost)).toEqual(['212:1']);
      expect(lost.rows[0]!.requestId).toBeNull();
      expect(await q(sql`select id from requests where dn = ${dn}`)).toHaveLength(1);
    }
  });

  it('NG 230 race: two renewals of one serial at once — exactly one registers, the other reports 230 on the row', async () => {
    const renew = fixtureRows('renew.tsv');
    renew[0]![3] = renewed.serial;
    renew[0]![0] = renewed.dn;
    const answers = await race([tsv(renew, 'a.tsv'), tsv(renew, 'b.tsv')], 'renew');
    expect(answers.map((x) => x.registered).sort()).toEqual([0, 1]);
    expect(codes(answers.find((x) => x.registered === 0)!)).toEqual(['230:4']);
    expect(await q(sql`select id from requests where renewal_of = ${renewed.serial}`)).toHaveLength(1);
  });

  it('NG 223 renewal of a serial that is not the institution\'s (the fixture\'s made-up serial; another institution\'s certificate)', async () => {
    const made = await direct({ file: { name: 'renew.tsv', bytes: fixture('renew.tsv') }, kind: 'renew' });
    expect(codes(made)).toEqual(['223:4']);
  });

  it('ok administrator change: later notifications go to the new administrator; no request id', async () => {
    const adminRow = ['', '', '', serials[2]!, '', '', '', '新任 管理者', '情報基盤センター', 'new-admin@sample.ac.jp', '', '', '', '', ''];
    adminRow[0] = issued[2]!.dn;
    const res = await viaApi({ file: tsv([adminRow], 'admin.tsv'), kind: 'admin' });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ registered: 1, rejected: 0, rows: [{ seq: 1, ok: true, requestId: null }] });
    const [r] = await q<{ admin_name: string; admin_mail: string }>(sql`select admin_name, admin_mail from requests where id = ${Number(issued[2]!.requestId)}`);
    expect(r).toEqual({ admin_name: '新任 管理者', admin_mail: 'new-admin@sample.ac.jp' });
    const audit = await q(sql`select action from audit_log where object = ${'serial:' + serials[2]} and action = 'certificate.admin-changed'`);
    expect(audit).toHaveLength(1);
  });

  it('NG abort revocation with one unknown serial revokes nothing', async () => {
    const rows = fixtureRows('revoke.tsv');
    rows[0]![3] = serials[0]!;
    const before = await counts();
    const ans = await direct({ file: tsv(rows, 'revoke.tsv'), kind: 'revoke' });
    expect(codes(ans)).toEqual(['W227:6', '223:4']);
    expect(ans.registered).toBe(0);
    expect(await counts()).toEqual({ ...before, uploads: before.uploads + 1 });
  });

  it('NG W227 as an error (tsv.w227IsError): reason 0 without a comment is refused; abort revokes nothing', async () => {
    await writeSetting(srv.services.db, 'tsv.w227IsError', true, clock.now());
    try {
      const rows = fixtureRows('revoke.tsv');
      rows[0]![3] = serials[0]!;
      rows[1]![3] = serials[1]!;
      rows[1]![0] = issued[1]!.dn;
      const before = await counts();
      const res = await viaApi({ file: tsv(rows, 'revoke.tsv'), kind: 'revoke' });
      expect(res.status).toBe(422);
      const ans = res.json<UploadAnswer>();
      expect(ans).toMatchObject({ registered: 0, rejected: 2, errors: [] });
      expect(ans.rows.map((r) => [r.ok, r.errors.map((e) => [e.code, e.level, e.column])])).toEqual([[false, [['W227', 'error', 6]]], [true, []]]);
      expect(await counts()).toEqual({ ...before, uploads: before.uploads + 1 });
    } finally {
      await writeSetting(srv.services.db, 'tsv.w227IsError', false, clock.now());
    }
  });

  it('ok revocation revokes at once: revoked_at set, reason and comment kept, revocation notice queued; W227 does not block', async () => {
    const rows = fixtureRows('revoke.tsv');
    rows[0]![3] = serials[0]!;
    rows[1]![3] = serials[1]!;
    rows[1]![0] = issued[1]!.dn;
    const before = await counts();
    clock.advance(60_000);
    const res = await viaApi({ file: tsv(rows, 'revoke.tsv'), kind: 'revoke' });
    expect(res.status).toBe(200);
    const ans = res.json<UploadAnswer>();
    expect(ans).toMatchObject({ registered: 2, rejected: 0 });
    expect(ans.rows.map((r) => [r.ok, r.requestId, r.errors.map((e) => [e.code, e.level])])).toEqual([[true, null, [['W227', 'warning']]], [true, null, []]]);
    const certs = await q<{ serial: string; revoked_at: Date | string; revocation_reason: number; revocation_comment: string | null }>(sql`select serial::text, revoked_at, revocation_reason, revocation_comment from certificates where serial in (${serials[0]}::numeric, ${serials[1]}::numeric) order by revocation_reason`);
    expect(certs.map((c) => [c.serial, new Date(c.revoked_at).getTime(), c.revocation_reason, c.revocation_comment])).toEqual([
      [serials[0], clock.now().getTime(), 0, null], [serials[1], clock.now().getTime(), 5, rows[1]![5]],
    ]);
    const notices = await q<{ serial: string; recipients: { address: string }[] }>(sql`select serial, recipients from outbox where kind = 'revocation-completed' and serial in (${serials[0]}, ${serials[1]}) order by id`);
    // spec 05 §Which mail goes to whom: the registration officer (who uploaded), the user administrator and the user.
    expect(notices.map((n) => [n.serial, n.recipients.map((r) => r.address)])).toEqual([
      [serials[0], ['ra@sample.ac.jp', ADMIN, individual[0]![13]]],
      [serials[1], ['ra@sample.ac.jp', ADMIN, individual[1]![13]]],
    ]);
    expect(await counts()).toMatchObject({ revoked: before.revoked + 2, requests: before.requests });
  });

  it('NG 225 revoking a revoked certificate again', async () => {
    const rows = fixtureRows('revoke.tsv');
    rows[1]![3] = serials[1]!;
    rows[1]![0] = issued[1]!.dn;
    const ans = await direct({ file: tsv([rows[1]!], 'revoke.tsv'), kind: 'revoke' });
    expect(codes(ans)).toEqual(['225:4']);
  });

  // ——— the report and isolation ———

  it('ok report.tsv: CP932, header + one row per line, formula cells neutralised', async () => {
    const rows = [
      person(9300, { 11: '=HYPERLINK("http://x")', 13: '+81 事務①' }),
      person(9301, { 11: '-1', 13: '@home' }),
      person(9302, { 14: 'x@elsewhere.example.jp' }),
    ];
    const up = await viaApi({ file: tsv(rows, 'report.tsv'), mode: 'valid-only' });
    expect(up.status).toBe(200);
    const id = up.json<UploadAnswer>().upload;
    const res = await officerRequest(srv, a, 'GET', `/api/officer/uploads/${id}/report.tsv`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/text\/tab-separated-values/);
    expect(res.bytes.includes(Buffer.from(encodeCp932('見本大学')))).toBe(true);
    const text = new TextDecoder('shift_jis', { fatal: true }).decode(res.bytes);
    const lines = text.split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(['SEQ', 'OK/NG', 'エラー内容', '機関名', '所属', '氏名', 'メールアドレス'].join('\t'));
    const cells = lines.slice(1).map((l) => l.split('\t'));
    expect(cells.every((c) => c.length === 7)).toBe(true);
    expect(cells[0]).toEqual(['1', 'OK', '', '見本大学', "'+81 事務①", `'=HYPERLINK("http://x")`, 'u9300@sample.ac.jp']);
    expect(cells[1]).toEqual(['2', 'OK', '', '見本大学', "'@home", "'-1", 'u9301@sample.ac.jp']);
    expect(cells[2]!.slice(0, 2)).toEqual(['3', 'NG']);
    expect(cells[2]![2]).toMatch(/^301:14,/);
  });

  it('NG another institution\'s officer cannot read the report (404, like a missing upload)', async () => {
    const up = await viaApi({ file: tsv([person(9400)]) });
    const id = up.json<UploadAnswer>().upload;
    expect((await officerRequest(srv, a, 'GET', `/api/officer/uploads/${id}/report.tsv`)).status).toBe(200);
    const foreign = await officerRequest(srv, b, 'GET', `/api/officer/uploads/${id}/report.tsv`);
    expect(foreign.status).toBe(404);
    expect(foreign.json().code).toBe('NOT_FOUND');
    expect((await officerRequest(srv, b, 'GET', `/api/officer/uploads/99999999/report.tsv`)).status).toBe(404);
    // Nor can B's upload touch A's certificates: A's serial is "not in the institution" for B.
    const rows = fixtureRows('revoke.tsv');
    rows[1]![3] = serials[2]!;
    rows[1]![0] = issued[2]!.dn;
    const res = await uploadViaApi(srv, b, { file: tsv([rows[1]!], 'revoke.tsv'), kind: 'revoke', mode: 'abort', reviewed: 'true' });
    expect(res.status).toBe(422);
    expect(codes(res.json())).toEqual(['223:4']);
  });
});
