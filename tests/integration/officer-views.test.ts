/**
 * The officer dashboard's API beyond the information file (spec 06 §Dashboard, §API), on PGlite and
 * PostgreSQL, over HTTPS with the officer's certificate: the certificate list (search by CN, OU, mail,
 * serial in decimal and hex; the state filters; paging and its limits), the detail page's decoded
 * certificate (checked against OpenSSL's reading), history and mails, the PEM, the administrator
 * change (rules of format D), uploads and requests, the allowlist, and export.zip checked with unzip.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { officerRequest, SAMPLE_INSTITUTION } from '../helpers/officer.ts';
import { buildOfficerFixture, jsonBody, OPEN_DN, type OfficerFixture } from '../helpers/officer-fixture.ts';
import { decodeTsv } from '../../api/domain/tsv/codec.ts';

describe.each(await backends())('officer views on $name', (backend) => {
  let srv: TestServer;
  let f: OfficerFixture;
  const get = (p: string, who = () => f.a) => officerRequest(srv, who(), 'GET', p);
  const list = async (query: string) => {
    const r = await get(`/api/officer/certificates${query}`);
    expect(r.status, r.text).toBe(200);
    return r.json() as { items: { serial: string; state: string; dn: string }[]; total: number; page: number; size: number };
  };

  beforeAll(async () => {
    srv = await startTestServer({ backend, env: { TRUSTED_PROXIES: '127.0.0.1' } });
    f = await buildOfficerFixture(srv);
  }, 240_000);
  afterAll(async () => {
    await srv?.dispose();
  });

  it('ok the list: the institution\'s four certificates, newest first, with their states', async () => {
    const all = await list('');
    expect(all).toMatchObject({ total: 4, page: 1, size: 50 });
    expect(all.items.map((c) => [c.serial, c.state])).toEqual([
      [f.renewal.serial, 'valid'], [f.issued[2]!.serial, 'awaiting-revocation'], [f.issued[1]!.serial, 'revoked'], [f.issued[0]!.serial, 'valid'],
    ]);
  });

  it.each([
    ['valid', 3], ['revoked', 1], ['awaiting-revocation', 1], ['expired', 0],
  ] as const)('ok state=%s selects %i', async (state, n) => {
    const r = await list(`?state=${state}`);
    expect(r.total).toBe(n);
    if (state !== 'valid') for (const c of r.items) expect(c.state).toBe(state);
  });

  it('ok search by CN part, mail, decimal serial and colon-hex serial; case-insensitive; never another institution', async () => {
    const c = f.issued[0]!;
    const k = /CN=Crl User (\d+),/.exec(c.dn)![1]!;
    expect((await list(`?q=${encodeURIComponent(`crl user ${k}`)}`)).items.map((x) => x.serial)).toEqual([c.serial]);
    expect((await list(`?q=user${k}%40sample`)).items.map((x) => x.serial)).toEqual([c.serial]);
    expect((await list(`?q=${c.serial}`)).items.map((x) => x.serial)).toEqual([c.serial]);
    const hex = new X509Certificate(c.certPem).serialNumber.match(/../g)!.join(':');
    expect((await list(`?q=${encodeURIComponent(hex)}`)).items.map((x) => x.serial)).toEqual([c.serial]);
    expect((await list(`?q=${f.foreign[0]!.serial}`)).total).toBe(0);
    expect((await list('?q=other.ac.jp')).total).toBe(0);
    expect((await list('?q=100%25_')).total).toBe(0);
  });

  it('ok paging: size and page; NG size over 200, page 0, an unknown state → 400 BAD_REQUEST with JA/EN issues; beyond row 100,000 → 400 PAGE_TOO_DEEP', async () => {
    const p2 = await list('?size=3&page=2');
    expect(p2).toMatchObject({ total: 4, page: 2, size: 3 });
    expect(p2.items.map((c) => c.serial)).toEqual([f.issued[0]!.serial]);
    for (const q of ['?size=201', '?page=0', '?state=lost', '?size=abc']) {
      const r = await get(`/api/officer/certificates${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json().code).toBe('BAD_REQUEST');
      expect(r.json().issues[0].in).toBe('query');
      expect(r.json().message.ja).toMatch(/クエリの (size|page|state) は/);
      expect(r.json().message.en).toMatch(/query field (size|page|state)/);
    }
    const deep = await get('/api/officer/certificates?size=200&page=501');
    expect([deep.status, deep.json().code]).toEqual([400, 'PAGE_TOO_DEEP']);
  });

  it('ok the detail: decoded as OpenSSL reads it, with request, history and mails; PEM download', async () => {
    const c = f.issued[1]!;
    const r = await get(`/api/officer/certificates/${c.serial}`);
    expect(r.status, r.text).toBe(200);
    const d = r.json();
    const x = new X509Certificate(c.certPem);
    expect(d.decoded.sha256).toBe(x.fingerprint256);
    expect(d.decoded.serialHex).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2})*$/);
    expect(BigInt('0x' + d.decoded.serialHex.replaceAll(':', ''))).toBe(BigInt('0x' + x.serialNumber));
    expect(d.decoded.serialDecimal).toBe(c.serial);
    expect(d.decoded.notAfter).toBe(x.validToDate.toISOString());
    expect(d.decoded.extendedKeyUsage.map((e: { name: string }) => e.name)).toEqual(['clientAuth']);
    expect(d.decoded.subjectAltNames.some((n: string) => n.startsWith('email:user'))).toBe(true);
    expect(d.decoded.publicKey).toBe('RSA 2048');
    // The policy OID in dotted decimal as OpenSSL prints it (the 2.25.<UUID> arc is longer than a JS number).
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: c.certPem, encoding: 'utf8' });
    expect(d.decoded.policies).toEqual([/Policy: ([\d.]+)/.exec(text)![1]]);
    expect(d.certificate).toMatchObject({ serial: c.serial, state: 'revoked', revocationReason: 3, revocationComment: '所属変更' });
    expect(d.request).toMatchObject({ state: 'completed', serial: c.serial, canReissue: false, canCancel: false });
    expect(d.history.map((h: { action: string }) => h.action)).toEqual(expect.arrayContaining(['request.created', 'pin.retrieve', 'certificate.issued', 'pickup.confirmed', 'certificate.revoked']));
    expect(d.mails.map((m: { kind: string }) => m.kind)).toEqual(expect.arrayContaining(['pin-notice', 'pickup-notice', 'pickup-completed', 'revocation-completed']));
    expect(JSON.stringify(d.mails)).not.toMatch(/\/(pin|pickup)\/[A-Za-z0-9_-]{43}/);
    const pem = await get(`/api/officer/certificates/${c.serial}/certificate.pem`);
    expect(pem.headers['content-type']).toBe('application/x-pem-file');
    expect(pem.headers['content-disposition']).toBe(`attachment; filename="certificate-${c.serial}.pem"`);
    expect(new X509Certificate(pem.text).raw.equals(x.raw)).toBe(true);
  });

  it('NG unknown or foreign serial → 404 NOT_FOUND; malformed serial → 400', async () => {
    expect((await get(`/api/officer/certificates/${f.foreign[0]!.serial}`)).status).toBe(404);
    expect((await get('/api/officer/certificates/123456789123456789')).status).toBe(404);
    expect((await get(`/api/officer/certificates/${f.foreign[0]!.serial}/certificate.pem`)).status).toBe(404);
    expect((await get('/api/officer/certificates/12ab')).status).toBe(400);
  });

  it('ok administrator change with the format D rules: later shown on the request; NG a bad mail → 422 with the TSV code', async () => {
    const c = f.issued[0]!;
    const post = (body: unknown) => officerRequest(srv, f.a, 'POST', `/api/officer/certificates/${c.serial}/administrator`, jsonBody(body));
    const bad = await post({ name: '管理 次郎', affiliation: '工学部事務', mail: 'not a mail' });
    expect(bad.status).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION', problems: [{ code: '203', column: 10 }] });
    expect(bad.json().message.ja).toContain('利用管理者メールアドレス');
    const long = await post({ name: 'あ'.repeat(65), affiliation: '工学部事務', mail: 'b@sample.ac.jp' });
    expect(long.json().problems).toEqual([{ code: '202', column: 8 }]);
    expect((await post({ name: '管理 次郎' })).status).toBe(400);
    const ok = await post({ name: ' 管理 次郎 ', affiliation: '工学部事務', mail: 'admin-b@sample.ac.jp' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json()).toEqual({ serial: c.serial, admin: { name: '管理 次郎', affiliation: '工学部事務', mail: 'admin-b@sample.ac.jp' } });
    const d = (await get(`/api/officer/certificates/${c.serial}`)).json();
    expect(d.request.admin).toEqual({ name: '管理 次郎', affiliation: '工学部事務', mail: 'admin-b@sample.ac.jp' });
    expect(d.history.at(-1)).toMatchObject({ action: 'certificate.admin-changed', actor: `cert:${f.a.serial}`, actorName: '登録 太郎' });
    expect((await officerRequest(srv, f.b, 'POST', `/api/officer/certificates/${c.serial}/administrator`, jsonBody({ name: 'x', affiliation: 'y', mail: 'z@other.ac.jp' }))).status).toBe(404);
  });

  it('ok uploads and their result table; requests by upload and state, with URL expiry while open', async () => {
    const ups = (await get('/api/officer/uploads')).json();
    expect(ups.total).toBe(3);
    expect(ups.items[0]).toMatchObject({ id: f.openUpload, kind: 'issue', mode: 'abort', fileName: 'open.tsv', registered: 1, rejected: 0, officer: { name: '登録 太郎' } });
    const up = (await get(`/api/officer/uploads/${f.openUpload}`)).json();
    expect(up.rows).toEqual([{ seq: 1, ok: true, messages: [], institution: { ja: SAMPLE_INSTITUTION.ja, en: SAMPLE_INSTITUTION.en }, affiliation: '工学部', name: '髙橋 開', mail: 'open@sample.ac.jp' }]);
    const open = (await get(`/api/officer/requests?upload=${f.openUpload}`)).json();
    expect(open.total).toBe(1);
    expect(open.items[0]).toMatchObject({ dn: OPEN_DN, state: 'pin-pending', canReissue: true, canCancel: true, serial: null, pickedUpAt: null });
    expect(Date.parse(open.items[0].pinUrlExpiresAt)).toBeGreaterThan(Date.now());
    expect(Date.parse(open.items[0].pickupUrlExpiresAt)).toBeGreaterThan(Date.now());
    const done = (await get('/api/officer/requests?state=completed')).json();
    expect(done.total).toBe(4);
    for (const r of done.items) expect(r).toMatchObject({ pinUrlExpiresAt: null, pickupUrlExpiresAt: null, canReissue: false });
    expect(done.items.every((r: { pickedUpAt: string | null }) => r.pickedUpAt !== null)).toBe(true);
    expect((await get('/api/officer/requests?q=open%20user')).json().total).toBe(1);
    expect((await get(`/api/officer/uploads/${f.openUpload}`, () => f.b)).status).toBe(404);
    expect((await get(`/api/officer/requests?upload=${f.openUpload}`, () => f.b)).json().total).toBe(0);
  });

  it('NG /api/me with a user\'s certificate → 403 NOT_AN_OFFICER reason not-an-officer; with a revoked one → reason revoked', async () => {
    const asUser = (c: { certPem: string; keyPem: string }) => officerRequest(srv, { ...f.a, certPem: c.certPem, keyPem: c.keyPem }, 'GET', '/api/me');
    const user = await asUser(f.issued[0]!);
    expect([user.status, user.json().code, user.json().reason]).toEqual([403, 'NOT_AN_OFFICER', 'not-an-officer']);
    const revoked = await asUser(f.issued[1]!);
    expect([revoked.status, revoked.json().reason]).toEqual([403, 'revoked']);
    const me = await get('/api/me');
    expect(me.json()).toEqual({ name: '登録 太郎', email: 'ra@sample.ac.jp', role: 'officer', institution: { code: 'sample-u', ja: SAMPLE_INSTITUTION.ja, en: SAMPLE_INSTITUTION.en } });
  });

  it('ok the allowlist of the officer\'s institution', async () => {
    const r = (await get('/api/officer/institution')).json();
    expect(r).toMatchObject({ code: 'sample-u', o: SAMPLE_INSTITUTION.o, l: SAMPLE_INSTITUTION.l, st: 'Tokyo', domains: ['sample.ac.jp'], review: 'complete', status: 'active', whoisCheck: false });
    expect((await get('/api/officer/institution', () => f.b)).json().code).toBe('other-u');
  });

  it('ok export.zip: a valid ZIP (unzip -t) with the information file, every certificate and CSR as PEM and the administrator list', async () => {
    const r = await get('/api/officer/export.zip');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="sample-u-certificates-\d{8}\.zip"$/);
    const dir = mkdtempSync(path.join(tmpdir(), 'hakko-zip-'));
    try {
      writeFileSync(path.join(dir, 'e.zip'), r.bytes);
      expect(execFileSync('unzip', ['-t', 'e.zip'], { cwd: dir, encoding: 'utf8' })).toMatch(/No errors detected/);
      execFileSync('unzip', ['-q', 'e.zip'], { cwd: dir });
      const names = execFileSync('unzip', ['-Z1', 'e.zip'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
      expect(names).toEqual(['README.txt', expect.stringMatching(/^sample-u-certificates-\d{8}\.tsv$/), 'certificates.pem', 'csrs.pem', 'administrators.tsv']);
      const certs = readFileSync(path.join(dir, 'certificates.pem'), 'utf8');
      const serials = [...f.issued, f.renewal].map((c) => c.serial);
      for (const c of [...f.issued, f.renewal]) expect(certs).toContain(new X509Certificate(c.certPem).toString().trim());
      expect(certs).not.toContain(f.foreign[0]!.serial);
      // openssl reads every block of the bundle (text before each block is allowed, RFC 7468).
      const texts = execFileSync('openssl', ['storeutl', '-noout', '-text', '-certs', 'certificates.pem'], { cwd: dir, encoding: 'utf8' });
      expect((texts.match(/Certificate:/g) ?? []).length).toBe(4);
      const csrs = readFileSync(path.join(dir, 'csrs.pem'), 'utf8');
      expect((csrs.match(/BEGIN CERTIFICATE REQUEST/g) ?? []).length).toBe(4);
      for (const s of serials) expect(csrs).toContain(`Serial: ${s}\n`);
      const admins = decodeTsv(new Uint8Array(readFileSync(path.join(dir, 'administrators.tsv'))));
      if (!admins.ok) throw new Error('administrators.tsv undecodable');
      const lines = admins.text.trim().split('\r\n').map((l) => l.split('\t'));
      expect(lines[0]).toEqual(['シリアル番号', '主体者DN', '利用者氏名', '利用者メールアドレス', '利用管理者氏名', '利用管理者所属', '利用管理者メールアドレス', '状態']);
      expect(lines.slice(1).map((l) => l[0]).sort()).toEqual([...serials].sort());
      const tsv = names[1]!;
      const info = (await get('/api/officer/export.tsv')).bytes;
      expect(readFileSync(path.join(dir, tsv)).equals(info)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
