/**
 * Officer access after a security review (issue 9), on PGlite and PostgreSQL, against a real server
 * mailing through a real SMTP server:
 * - defect 1: a revoked officer's enrollment link is dead (410 CANCELLED) and issues nothing, a
 *   confirmation cannot re-activate a revoked officer, a certificate being signed while the officer
 *   is revoked is not stored;
 * - defect 5: once the uploader is revoked, re-issue mails go to the officer who re-issues and the
 *   pickup-completed mail to the institution's active officers;
 * - defect 6: an officer cannot cancel (or re-issue) another officer's enrollment request;
 * - defect 7: JSON bodies over the limit are refused unread (413);
 * - defect 9: officer logins are audited once per officer, certificate and day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { issueCertificate } from '../../api/workflows/issue-certificate.ts';
import { revokeOfficer } from '../../api/workflows/officers.ts';
import type { Services } from '../../api/services.ts';
import type { Signer } from '../../api/pki/signer.ts';
import { resultRows } from '../../db/repos/bulk.ts';
import { backends } from '../helpers/db.ts';
import { keyAndCsr, pickUp } from '../helpers/pickup-client.ts';
import { enrollTestOfficer, officerRequest, uploadViaApi, type OfficerCredentials } from '../helpers/officer.ts';
import { httpsRequest, runCli } from '../helpers/server.ts';
import { freshIp, freshPerson, isMail, linksIn, mailbox, OFFICER_MAIL, pickupApi, requestTsv, startWorld, SUBJECTS, type World } from '../helpers/world.ts';

type Row = Record<string, unknown>;

describe.each(await backends())('officer access on $name', (backend) => {
  let w: World;
  let inbox: ReturnType<typeof mailbox>;
  let enrolled = 0;

  const rows = async (q: ReturnType<typeof sql>): Promise<Row[]> => resultRows<Row>(await w.srv.services.db.execute(q));
  const officerState = async (email: string) => (await rows(sql`select status from officers where email = ${email} order by id desc limit 1`))[0]!.status;
  const enrollmentRequest = async (email: string) => Number((await rows(sql`select id from requests where user_mail = ${email} and kind = 'officer' order by id desc limit 1`))[0]!.id);
  const me = (o: { certPem: string; keyPem: string }) => httpsRequest(w.srv.httpsUrl + '/api/me', { cert: o.certPem, key: o.keyPem, ca: w.rootPem });

  /** `hakko officer enroll` → the one-time link's token and the PIN. */
  async function enroll(): Promise<{ email: string; token: string; pin: string }> {
    const email = `enrolled-${++enrolled}@sample.ac.jp`;
    const r = await runCli(w.srv.env, ['officer', 'enroll', '--institution', 'sample-u', '--name', `担当 ${enrolled}`, '--email', email, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { url, pin } = JSON.parse(r.stdout) as { url: string; pin: string };
    return { email, token: url.split('/').pop()!, pin };
  }

  /** The pickup API from an address of its own (the per-address rate limits stay apart). */
  const api = (method: string, path: string, body?: unknown) => pickupApi(w.srv.httpUrl, freshIp()).call(method, path, body);
  const revoke = async (email: string) => expect((await runCli(w.srv.env, ['officer', 'revoke', email])).code).toBe(0);

  beforeAll(async () => {
    w = await startWorld(backend);
    inbox = mailbox(w.smtp);
  });
  afterAll(async () => {
    await w?.dispose();
  });

  it('NG defect 1: enroll → revoke → the enrollment link answers 410 CANCELLED everywhere and issues nothing', async () => {
    const e = await enroll();
    await revoke(e.email);
    const k = await keyAndCsr('CN=ignored');
    expect(await api('GET', `/api/pickup/${e.token}`)).toMatchObject({ status: 410, json: { code: 'CANCELLED' } });
    expect(await api('POST', `/api/pickup/${e.token}/verify`, { pin: e.pin })).toMatchObject({ status: 410, json: { code: 'CANCELLED' } });
    expect(await api('POST', `/api/pickup/${e.token}/csr`, { pin: e.pin, csr: k.csrPem })).toMatchObject({ status: 410, json: { code: 'CANCELLED' } });
    expect(await api('POST', `/api/pickup/${e.token}/confirm`, { pin: e.pin })).toMatchObject({ status: 410, json: { code: 'CANCELLED' } });
    // A pickup that got past the link before the revocation: issuance itself refuses.
    await expect(issueCertificate(w.srv.services, await enrollmentRequest(e.email), k.csrPem, 'pickup-url')).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await officerState(e.email)).toBe('revoked');
    expect(await rows(sql`select c.id from certificates c join officers o on o.id = c.officer_id where o.email = ${e.email}`)).toEqual([]);
    expect((await rows(sql`select state from requests where user_mail = ${e.email}`))[0]!.state).toBe('cancelled');
  });

  it('NG defect 1: certificate issued but not confirmed → revoke → confirming fails (410), /api/me stays 403', async () => {
    const e = await enroll();
    expect((await api('POST', `/api/pickup/${e.token}/verify`, { pin: e.pin })).status).toBe(204);
    const k = await keyAndCsr('CN=ignored');
    const issued = await api('POST', `/api/pickup/${e.token}/csr`, { pin: e.pin, csr: k.csrPem });
    expect(issued.status).toBe(201);
    const cert = { certPem: issued.json.certificates[0].certificate as string, keyPem: k.keyPem };
    expect((await me(cert)).status).toBe(403); // pending until confirmed
    await revoke(e.email);
    expect(await api('POST', `/api/pickup/${e.token}/confirm`, { pin: e.pin })).toMatchObject({ status: 410, json: { code: 'CANCELLED' } });
    expect(await officerState(e.email)).toBe('revoked');
    expect((await me(cert)).status).toBe(403);
    const [c] = await rows(sql`select revoked_at, revocation_reason from certificates where serial = ${issued.json.certificates[0].serial as string}`);
    expect(c!.revoked_at).not.toBeNull();
    expect(c!.revocation_reason).toBe(5);
  });

  it('ok defect 1: enroll → pick up → revoke → the old link is 410 and the certificate is refused', async () => {
    const e = await enroll();
    const officer = await pickUp(w.srv.httpUrl, `${w.srv.httpUrl}/pickup/${e.token}`, e.pin, 'CN=ignored');
    expect((await me(officer)).status).toBe(200);
    await revoke(e.email);
    expect((await api('GET', `/api/pickup/${e.token}`)).status).toBe(410);
    expect(await me(officer)).toMatchObject({ status: 403 });
    expect((await me(officer)).json().code).toBe('NOT_AN_OFFICER');
  });

  it('NG defect 1: revoked while its certificate is being signed → not stored (410 CANCELLED), the reservation revoked', async () => {
    const e = await enroll();
    expect((await api('POST', `/api/pickup/${e.token}/verify`, { pin: e.pin })).status).toBe(204);
    const requestId = await enrollmentRequest(e.email);
    // The issuing CA's signer held at a gate, so the revocation lands between reservation and storage.
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const real = w.srv.services.ca.issuer;
    const held: Signer = { name: real.signer.name, algorithm: real.signer.algorithm, certificate: real.signer.certificate, publicKey: real.signer.publicKey, sign: async (d) => (await gate, real.signer.sign(d)) };
    const slow = Object.create(w.srv.services.ca, { issuer: { value: { ...real, signer: held } } }) as Services['ca'];
    const k = await keyAndCsr('CN=ignored');
    const issuing = issueCertificate({ ...w.srv.services, ca: slow }, requestId, k.csrPem, 'pickup-url');
    issuing.catch(() => {});
    for (let i = 0; i < 200 && (await rows(sql`select id from certificates where request_id = ${requestId}`)).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await revokeOfficer(w.srv.services, e.email, 'test');
    open();
    await expect(issuing).rejects.toMatchObject({ code: 'CANCELLED' });
    const [c] = await rows(sql`select state, der, revoked_at from certificates where request_id = ${requestId}`);
    expect(c).toMatchObject({ state: 'reserved', der: null });
    expect(c!.revoked_at).not.toBeNull();
  });

  it('NG defect 6: an officer cannot cancel or re-issue another officer\'s enrollment request (404); it stays usable', async () => {
    const e = await enroll();
    const id = await enrollmentRequest(e.email);
    for (const action of ['cancel', 'reissue']) {
      const r = await officerRequest(w.srv, w.officer, 'POST', `/api/officer/requests/${id}/${action}`);
      expect(r.status, `${action}: ${r.text}`).toBe(404);
    }
    expect((await api('GET', `/api/pickup/${e.token}`)).status).toBe(200);
    await revoke(e.email);
  });

  it('NG defect 7: JSON bodies over 64 KiB are refused unread with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ reason: 0, comment: 'x'.repeat(100_000) });
    const body = { bytes: new TextEncoder().encode(big), contentType: 'application/json' };
    const revoke = await officerRequest(w.srv, w.officer, 'POST', '/api/officer/certificates/1/revoke', body);
    expect(revoke.status, revoke.text).toBe(413);
    expect(revoke.json().code).toBe('PAYLOAD_TOO_LARGE');
    for (const path of ['/api/pin/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/retrieve', '/api/pickup/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/verify', '/api/officer/requests/1/cancel']) {
      const res = await fetch(w.srv.httpUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hakko-request': '1' }, body: big });
      expect(res.status, path).toBe(413);
    }
    // A bulk pickup's CSRs may be larger (up to 8 MiB): not refused for its size.
    const csr = await fetch(w.srv.httpUrl + '/api/pickup/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/csr', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(csr.status).toBe(404);
  });

  it('ok defect 9: an officer\'s login is audited once per certificate and day, not per request', async () => {
    const e = await enroll();
    const officer = await pickUp(w.srv.httpUrl, `${w.srv.httpUrl}/pickup/${e.token}`, e.pin, 'CN=ignored');
    const logins = async () => rows(sql`select actor, object, details from audit_log where action = 'officer.login' and object = ${e.email} order by id`);
    expect(await logins()).toEqual([]);
    for (let i = 0; i < 3; i++) expect((await me(officer)).status).toBe(200);
    expect((await officerRequest(w.srv, { ...officer, rootPem: w.rootPem, email: e.email }, 'GET', '/api/officer/export.tsv')).status).toBe(200);
    const first = await logins();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ actor: `cert:${officer.serial}`, details: { role: 'officer', via: 'tls' } });
    w.clock.advanceDays(1);
    expect((await me(officer)).status).toBe(200);
    expect((await me(officer)).status).toBe(200);
    expect(await logins()).toHaveLength(2);
    expect((await runCli(w.srv.env, ['audit', 'verify'])).code).toBe(0);
  });

  it('ok defect 5: after the uploader is revoked, the re-issued PIN notice goes to the officer who re-issues, the pickup-completed mail to the active officers', async () => {
    const uploader: OfficerCredentials = await enrollTestOfficer(w.srv, 'sample-u', '転出 担当', 'leaving@sample.ac.jp');
    const other: OfficerCredentials = await enrollTestOfficer(w.srv, 'sample-u', '後任 担当', 'successor@sample.ac.jp');
    const admin = freshPerson('admin');
    const users = [freshPerson(), freshPerson()];
    const up = await uploadViaApi(w.srv, uploader, { file: { name: 'bulk.tsv', bytes: requestTsv(users.map((u, i) => ({ cn: u.cn, method: 2 as const, admin, user: u, p12FileName: `u${i}` }))) }, kind: 'issue', mode: 'abort', reviewed: 'true' });
    expect(up.status, up.text).toBe(200);
    const ids = up.json().rows.map((r: { requestId: string }) => r.requestId) as string[];
    await inbox.take(isMail(SUBJECTS.pinNotice, 'leaving@sample.ac.jp'));
    await inbox.take(isMail(SUBJECTS.pickupNotice, admin.mail));
    await revoke('leaving@sample.ac.jp');

    expect((await officerRequest(w.srv, other, 'POST', `/api/officer/requests/${ids[0]}/reissue`)).status).toBe(200);
    const [pinMail] = await inbox.take(isMail(SUBJECTS.pinNotice));
    expect(pinMail!.to).toEqual(['successor@sample.ac.jp']);
    const [pickupMail] = await inbox.take(isMail(SUBJECTS.pickupNotice, admin.mail));

    const pinToken = linksIn(pinMail!.text).pin[0]!;
    const pickupToken = linksIn(pickupMail!.text).pickup[0]!;
    expect((await api('POST', `/api/pin/${pinToken}/retrieve`)).status).toBe(200);
    const pins = await api('POST', `/api/pickup/${pickupToken}/pins`, {});
    expect(pins.status).toBe(200);
    const csrs = await Promise.all(ids.map(async (id) => ({ id, csr: (await keyAndCsr('CN=ignored')).csrPem })));
    expect((await api('POST', `/api/pickup/${pickupToken}/csr`, { csrs })).status).toBe(201);
    expect((await api('POST', `/api/pickup/${pickupToken}/confirm`, {})).status).toBe(204);
    const [done] = await inbox.take(isMail(SUBJECTS.pickupCompleted, admin.mail));
    const active = (await rows(sql`select email from officers where status = 'active' and role = 'officer'`)).map((r) => r.email as string);
    expect(active).toContain(OFFICER_MAIL);
    expect(active).not.toContain('leaving@sample.ac.jp');
    expect([...done!.to].sort()).toEqual([...active, admin.mail].sort());
  });
});
