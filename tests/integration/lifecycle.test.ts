/**
 * Issue 5 acceptance, the request lifecycle from outside (spec 01 §States, §Lifetimes; spec 04 §HTTP
 * API; spec 06 §Audit log), on PGlite and PostgreSQL: a real server on a fake clock, URLs taken from
 * the mails a real SMTP server received. PIN URL once, pickup only after the PIN, lockout at exactly
 * 5 wrong PINs, re-issue and cancel, expiry after 30 days, idempotent CSR submission, bulk pickup,
 * escrowed PINs erased when due, tokens stored only as SHA-256, no-store everywhere, rate limits,
 * an audit record for every state change and a chain `hakko audit verify` checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { backends } from '../helpers/db.ts';
import { runCli } from '../helpers/server.ts';
import { keyAndCsr } from '../helpers/pickup-client.ts';
import { officerRequest } from '../helpers/officer.ts';
import { parseDnBlocks } from '../helpers/upki-mail-parse.ts';
import { sweep } from '../../api/workflows/sweep.ts';
import {
  dnOf, freshIp, freshPerson, isMail, linksIn, mailbox, OFFICER_MAIL, pickupApi, requestTsv, startWorld, SUBJECTS, uploadRows,
  type Mail, type Person, type RowSpec, type World,
} from '../helpers/world.ts';

type Row = Record<string, unknown>;

describe.each(await backends())('request lifecycle on $name', (backend) => {
  let w: World;
  let inbox: ReturnType<typeof mailbox>;
  /** Every raw token seen in a mail, for the database-dump check. */
  const tokensSeen = new Set<string>();
  /** Every PIN handed out, to prove no mail ever carried one. */
  const pinsSeen = new Set<string>();
  const requestIds: Record<string, string> = {};

  const rows = async (q: ReturnType<typeof sql>): Promise<Row[]> => {
    const r = await w.srv.services.db.execute(q);
    return ((r as unknown as { rows?: Row[] }).rows ?? (r as unknown as Row[]));
  };
  const request = async (id: string) => (await rows(sql`select state, pin_enc, pin_hash, pin_url_id, pickup_url_id from requests where id = ${Number(id)}`))[0]!;

  async function upload(specs: RowSpec[]): Promise<string[]> {
    const r = await uploadRows(w, 'issue', requestTsv(specs));
    expect(r.status, r.text).toBe(200);
    const answer = r.json();
    expect(answer.registered).toBe(specs.length);
    return answer.rows.map((x: { requestId: string }) => x.requestId);
  }

  function remember(mails: Mail[]): Mail[] {
    for (const m of mails) {
      const l = linksIn(m.text);
      for (const t of [...l.pin, ...l.pickup]) tokensSeen.add(t);
    }
    return mails;
  }

  /** The PIN notice (to the administrator) and the pickup notice (to the user) of an individual request. */
  async function individualUrls(admin: Person, user: Person, reissued = false): Promise<{ pin: string; pickup: string }> {
    const mark = (m: Mail) => m.subject.includes('再発行') === reissued;
    const [pinMail] = remember(await inbox.take((m) => isMail(SUBJECTS.pinNotice, admin.mail)(m) && mark(m)));
    const [pickupMail] = remember(await inbox.take((m) => isMail(SUBJECTS.pickupNotice, user.mail)(m) && mark(m)));
    expect(pinMail!.to).toEqual([admin.mail]);
    expect(pickupMail!.to).toEqual([user.mail]);
    const pin = linksIn(pinMail!.text).pin;
    const pickup = linksIn(pickupMail!.text).pickup;
    expect(pin).toHaveLength(1);
    expect(pickup).toHaveLength(1);
    return { pin: pin[0]!, pickup: pickup[0]! };
  }

  beforeAll(async () => {
    w = await startWorld(backend, { timers: { sweepIntervalMs: 0, workerIntervalMs: 3_600_000 } });
    inbox = mailbox(w.smtp);
    const [enrollment] = remember(await inbox.take(isMail(SUBJECTS.enrollment, OFFICER_MAIL)));
    expect(linksIn(enrollment!.text).pickup).toHaveLength(1);
  });
  afterAll(async () => {
    await w?.dispose();
  });

  it('ok method 1: PIN URL once (410 ALREADY_USED after), pickup only after it (409 PIN_NOT_RETRIEVED), same CSR → 200 same certificate, another key → 409 ALREADY_ISSUED, confirm → 410 COMPLETED', async () => {
    const admin = freshPerson('admin');
    const user = freshPerson();
    const api = pickupApi(w.srv.httpUrl, freshIp());
    const [id] = await upload([{ cn: user.cn, method: 1, admin, user, p12FileName: 'user.p12' }]);
    requestIds.completed = id!;
    const urls = await individualUrls(admin, user);

    expect(await api.info(urls.pickup)).toMatchObject({ status: 409, json: { code: 'PIN_NOT_RETRIEVED' } });
    const early = await keyAndCsr();
    expect(await api.csr(urls.pickup, { pin: 'x', csr: early.csrPem })).toMatchObject({ status: 409, json: { code: 'PIN_NOT_RETRIEVED' } });

    const info = await api.pinInfo(urls.pin);
    expect(info.status).toBe(200);
    expect(info.json).toEqual({
      method: 1, count: 1, institution: { code: 'sample-u', ja: '見本大学', en: 'Sample University' },
      pickupExpiresAt: new Date(w.clock.now().getTime() + 30 * 86_400_000).toISOString(),
      rows: [{ dn: `CN=${user.cn},O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP`, name: user.name }],
    });
    const got = await api.retrieve(urls.pin);
    expect(got.status).toBe(200);
    expect(got.json.pins).toHaveLength(1);
    const pin = got.json.pins[0].pin as string;
    pinsSeen.add(pin);
    expect(got.json.pins[0]).toEqual({ name: user.name, mail: user.mail, pin, dn: info.json.rows[0].dn });
    // spec 04 §Secrets: methods 1 and 3 erase the escrowed copy once the PIN URL was used.
    expect((await request(id!)).pin_enc).toBeNull();
    expect((await request(id!)).state).toBe('ready');
    expect(await api.retrieve(urls.pin)).toMatchObject({ status: 410, json: { code: 'ALREADY_USED' } });
    expect(await api.pinInfo(urls.pin)).toMatchObject({ status: 410, json: { code: 'ALREADY_USED' } });

    const page = await api.info(urls.pickup);
    expect(page.status).toBe(200);
    expect(page.json).toMatchObject({ kind: 'user', method: 1, keyAlgorithm: 'RSA-2048', institution: { code: 'sample-u' }, rows: [{ id: id, profile: 13, name: user.name, mail: user.mail, p12FileName: 'user.p12', state: 'ready' }] });
    expect(await api.confirm(urls.pickup, { pin })).toMatchObject({ status: 409, json: { code: 'NOT_ISSUED' } });

    const k = await keyAndCsr();
    const first = await api.csr(urls.pickup, { pin, csr: k.csrPem });
    expect(first.status).toBe(201);
    expect(first.json.errors).toEqual([]);
    const cert = first.json.certificates[0];
    expect(cert).toMatchObject({ id, serial: expect.stringMatching(/^\d+$/), certificate: expect.stringContaining('BEGIN CERTIFICATE') });
    expect(cert.chain).toHaveLength(2);
    expect((await request(id!)).state).toBe('issued');
    const again = await api.csr(urls.pickup, { pin, csr: k.csrPem });
    expect(again.status).toBe(200);
    expect(again.json.certificates[0]).toEqual(cert);
    const other = await keyAndCsr();
    expect(await api.csr(urls.pickup, { pin, csr: other.csrPem })).toMatchObject({ status: 409, json: { code: 'ALREADY_ISSUED' } });
    // After issuance a wrong PIN is refused, but nothing locks (spec 04 §HTTP API).
    expect(await api.verify(urls.pickup, 'WRONGWRONGWRONG2')).toMatchObject({ status: 401, json: { code: 'WRONG_PIN' } });

    expect((await api.confirm(urls.pickup, { pin })).status).toBe(204);
    expect((await request(id!)).state).toBe('completed');
    expect(await api.info(urls.pickup)).toMatchObject({ status: 410, json: { code: 'COMPLETED' } });
    expect(await api.csr(urls.pickup, { pin, csr: k.csrPem })).toMatchObject({ status: 410, json: { code: 'COMPLETED' } });
    expect(await api.confirm(urls.pickup, { pin })).toMatchObject({ status: 410, json: { code: 'COMPLETED' } });

    const [done] = await inbox.take(isMail(SUBJECTS.pickupCompleted, admin.mail));
    expect([...done!.to].sort()).toEqual([OFFICER_MAIL, admin.mail].sort());
    expect(done!.text).toContain(cert.serial);
    expect(api.noStoreMisses).toEqual([]);
  });

  it('NG lockout at exactly 5 wrong PINs: 4th → 401 attemptsLeft 1, 5th → 423 LOCKED, the right PIN afterwards → 423; re-issue gives working URLs, the old ones answer 410 REISSUED', async () => {
    const admin = freshPerson('admin');
    const user = freshPerson();
    const api = pickupApi(w.srv.httpUrl, freshIp());
    const [id] = await upload([{ cn: user.cn, method: 1, admin, user }]);
    requestIds.locked = id!;
    const urls = await individualUrls(admin, user);
    const pin = (await api.retrieve(urls.pin)).json.pins[0].pin as string;
    pinsSeen.add(pin);
    for (let i = 1; i <= 4; i++) {
      expect(await api.verify(urls.pickup, `WRONGPIN${i}xxxxxxx`)).toMatchObject({ status: 401, json: { code: 'WRONG_PIN', attemptsLeft: 5 - i } });
    }
    expect(await api.verify(urls.pickup, 'WRONGPIN5xxxxxxx')).toMatchObject({ status: 423, json: { code: 'LOCKED' } });
    expect((await request(id!)).state).toBe('locked');
    expect(await api.verify(urls.pickup, pin)).toMatchObject({ status: 423, json: { code: 'LOCKED' } });
    expect(await api.info(urls.pickup)).toMatchObject({ status: 423, json: { code: 'LOCKED' } });
    const k = await keyAndCsr();
    expect(await api.csr(urls.pickup, { pin, csr: k.csrPem })).toMatchObject({ status: 423, json: { code: 'LOCKED' } });

    const re = await officerRequest(w.srv, w.officer, 'POST', `/api/officer/requests/${id}/reissue`);
    expect(re.status, re.text).toBe(200);
    expect(re.json()).toEqual({ requests: [id] });
    expect((await request(id!)).state).toBe('pin-pending');
    const fresh = await individualUrls(admin, user, true);
    expect(fresh.pin).not.toBe(urls.pin);
    for (const t of [urls.pin]) {
      expect(await api.pinInfo(t)).toMatchObject({ status: 410, json: { code: 'REISSUED' } });
      expect(await api.retrieve(t)).toMatchObject({ status: 410, json: { code: 'REISSUED' } });
    }
    expect(await api.info(urls.pickup)).toMatchObject({ status: 410, json: { code: 'REISSUED' } });
    expect(await api.verify(urls.pickup, pin)).toMatchObject({ status: 410, json: { code: 'REISSUED' } });

    const newPin = (await api.retrieve(fresh.pin)).json.pins[0].pin as string;
    pinsSeen.add(newPin);
    expect(newPin).not.toBe(pin);
    expect(await api.verify(fresh.pickup, pin)).toMatchObject({ status: 401, json: { code: 'WRONG_PIN', attemptsLeft: 4 } });
    expect((await api.verify(fresh.pickup, newPin)).status).toBe(204);
    expect((await api.csr(fresh.pickup, { pin: newPin, csr: k.csrPem })).status).toBe(201);
    expect((await api.confirm(fresh.pickup, { pin: newPin })).status).toBe(204);
    await inbox.take(isMail(SUBJECTS.pickupCompleted, admin.mail));
    expect(api.noStoreMisses).toEqual([]);
  });

  it('ok method 3: re-issue before the PIN was retrieved — both old URLs answer 410 REISSUED, the new ones work', async () => {
    const admin = freshPerson('admin');
    const user = freshPerson();
    const api = pickupApi(w.srv.httpUrl, freshIp());
    const [id] = await upload([{ cn: user.mail, profile: 15, method: 3, admin, user }]);
    const old = await individualUrls(admin, user);
    expect((await officerRequest(w.srv, w.officer, 'POST', `/api/officer/requests/${id}/reissue`)).status).toBe(200);
    const fresh = await individualUrls(admin, user, true);
    expect(await api.pinInfo(old.pin)).toMatchObject({ status: 410, json: { code: 'REISSUED' } });
    expect(await api.info(old.pickup)).toMatchObject({ status: 410, json: { code: 'REISSUED' } });
    const pin = (await api.retrieve(fresh.pin)).json.pins[0].pin as string;
    pinsSeen.add(pin);
    expect((await request(id!)).pin_enc).toBeNull();
    expect((await api.info(fresh.pickup)).json).toMatchObject({ method: 3, rows: [{ profile: 15, state: 'ready' }] });
    const k = await keyAndCsr();
    expect((await api.csr(fresh.pickup, { pin, csr: k.csrPem })).status).toBe(201);
    expect((await api.confirm(fresh.pickup, { pin })).status).toBe(204);
    await inbox.take(isMail(SUBJECTS.pickupCompleted, admin.mail));
  });

  it('NG cancel → both URLs answer 410 CANCELLED and the request is cancelled', async () => {
    const admin = freshPerson('admin');
    const user = freshPerson();
    const api = pickupApi(w.srv.httpUrl, freshIp());
    const [id] = await upload([{ cn: user.cn, method: 1, admin, user }]);
    requestIds.cancelled = id!;
    const urls = await individualUrls(admin, user);
    const c = await officerRequest(w.srv, w.officer, 'POST', `/api/officer/requests/${id}/cancel`);
    expect(c.status, c.text).toBe(200);
    expect((await request(id!)).state).toBe('cancelled');
    expect((await request(id!)).pin_enc).toBeNull();
    expect(await api.pinInfo(urls.pin)).toMatchObject({ status: 410, json: { code: 'CANCELLED' } });
    expect(await api.retrieve(urls.pin)).toMatchObject({ status: 410, json: { code: 'CANCELLED' } });
    expect(await api.info(urls.pickup)).toMatchObject({ status: 410, json: { code: 'CANCELLED' } });
    expect(api.noStoreMisses).toEqual([]);
  });

  it('ok method 2 bulk: one PIN URL → every row\'s PIN; /pins per group; /csr per row with per-row errors (422 when none issued); confirm → 409 NOT_ISSUED until all are issued, then erases the escrowed PINs', async () => {
    const adminA = freshPerson('admin');
    const adminB = freshPerson('admin');
    const [u1, u2, u3] = [freshPerson(), freshPerson(), freshPerson()];
    const ownPin = 'Own-PIN_from_TSV_2026';
    const api = pickupApi(w.srv.httpUrl, freshIp());
    const ids = await upload([
      { cn: u1!.cn, method: 2, admin: adminA, user: u1! },
      { cn: u2!.cn, method: 2, admin: adminA, user: u2!, pin: ownPin },
      { cn: u3!.cn, method: 2, admin: adminB, user: u3! },
    ]);
    requestIds.bulk = ids[0]!;
    // PIN notice → the uploading officer, once for the upload; pickup notice → each administrator.
    const [pinMail] = remember(await inbox.take((m) => isMail(SUBJECTS.pinNotice, OFFICER_MAIL)(m) && m.text.includes(u1!.cn)));
    expect(pinMail!.to).toEqual([OFFICER_MAIL]);
    for (const u of [u1, u2, u3]) expect(pinMail!.text).toContain(`CN=${u!.cn}`);
    const [mailA] = remember(await inbox.take(isMail(SUBJECTS.pickupNotice, adminA.mail)));
    const [mailB] = remember(await inbox.take(isMail(SUBJECTS.pickupNotice, adminB.mail)));
    expect(mailA!.text).toContain(`CN=${u2!.cn}`);
    expect(mailA!.text).not.toContain(`CN=${u3!.cn}`);
    const pinUrl = linksIn(pinMail!.text).pin[0]!;
    const tA = linksIn(mailA!.text).pickup[0]!;
    const tB = linksIn(mailB!.text).pickup[0]!;

    expect(await api.info(tA)).toMatchObject({ status: 409, json: { code: 'PIN_NOT_RETRIEVED' } });
    expect(await api.pins(tA)).toMatchObject({ status: 409, json: { code: 'PIN_NOT_RETRIEVED' } });
    expect((await api.pinInfo(pinUrl)).json).toMatchObject({ method: 2, count: 3, rows: [{ name: u1!.name }, { name: u2!.name }, { name: u3!.name }] });
    const got = await api.retrieve(pinUrl);
    expect(got.status).toBe(200);
    expect(got.json.pins.map((p: { mail: string }) => p.mail)).toEqual([u1!.mail, u2!.mail, u3!.mail]);
    expect(got.json.pins[1].pin).toBe(ownPin);
    for (const p of got.json.pins) pinsSeen.add(p.pin);
    // Method 2 keeps the escrowed PINs until the group's pickup is confirmed (the page needs them).
    for (const id of ids) expect((await request(id)).pin_enc).not.toBeNull();
    expect(await api.retrieve(pinUrl)).toMatchObject({ status: 410, json: { code: 'ALREADY_USED' } });

    const pageA = await api.info(tA);
    expect(pageA.json).toMatchObject({ kind: 'user', method: 2, rows: [{ id: ids[0], state: 'ready' }, { id: ids[1], state: 'ready' }] });
    expect(pageA.json.rows).toHaveLength(2);
    const pinsA = await api.pins(tA);
    expect(pinsA.status).toBe(200);
    expect(pinsA.json).toEqual({ pins: [{ id: ids[0], pin: got.json.pins[0].pin }, { id: ids[1], pin: ownPin }] });

    const k1 = await keyAndCsr();
    const k2 = await keyAndCsr();
    const mixed = await api.csr(tA, { csrs: [{ id: ids[0], csr: k1.csrPem }, { id: ids[1], csr: 'not a CSR' }] });
    expect(mixed.status).toBe(201);
    expect(mixed.json.certificates.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    expect(mixed.json.errors).toEqual([{ id: ids[1], code: 'CSR_MALFORMED', message: { ja: expect.any(String), en: expect.any(String) } }]);
    expect(await api.confirm(tA)).toMatchObject({ status: 409, json: { code: 'NOT_ISSUED' } });
    // A row of another group is not this URL's.
    const foreign = await api.csr(tA, { csrs: [{ id: ids[2], csr: k2.csrPem }] });
    expect(foreign.status).toBe(422);
    expect(foreign.json).toMatchObject({ certificates: [], errors: [{ id: ids[2], code: 'NOT_FOUND' }] });
    const none = await api.csr(tB, { csrs: [{ id: ids[2], csr: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----' }] });
    expect(none.status).toBe(422);
    expect(none.json).toMatchObject({ certificates: [], errors: [{ id: ids[2], code: 'CSR_MALFORMED' }] });

    const rest = await api.csr(tA, { csrs: [{ id: ids[0], csr: k1.csrPem }, { id: ids[1], csr: k2.csrPem }] });
    expect(rest.status).toBe(201);
    expect(rest.json.certificates[0]).toEqual(mixed.json.certificates[0]);
    expect(rest.json.errors).toEqual([]);
    const serials = rest.json.certificates.map((c: { serial: string }) => c.serial);
    expect((await api.confirm(tA)).status).toBe(204);
    for (const id of ids.slice(0, 2)) expect(await request(id)).toMatchObject({ state: 'completed', pin_enc: null });
    expect((await request(ids[2]!)).pin_enc).not.toBeNull();
    expect(await api.info(tA)).toMatchObject({ status: 410, json: { code: 'COMPLETED' } });
    const [doneA] = await inbox.take(isMail(SUBJECTS.pickupCompleted, adminA.mail));
    expect([...doneA!.to].sort()).toEqual([OFFICER_MAIL, adminA.mail].sort());
    for (const s of serials) expect(doneA!.text).toContain(s);

    const k3 = await keyAndCsr();
    expect((await api.csr(tB, { csrs: [{ id: ids[2], csr: k3.csrPem }] })).status).toBe(201);
    expect((await api.confirm(tB)).status).toBe(204);
    expect(await request(ids[2]!)).toMatchObject({ state: 'completed', pin_enc: null });
    await inbox.take(isMail(SUBJECTS.pickupCompleted, adminB.mail));
    expect(api.noStoreMisses).toEqual([]);
  });

  it('NG too many requests from one address → 429 RATE_LIMITED (with no-store); another address is still served', async () => {
    const api = pickupApi(w.srv.httpUrl, freshIp());
    const unknown = 'A'.repeat(43);
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push((await api.verify(unknown, 'x')).status);
    expect(answers.slice(0, 20)).toEqual(Array(20).fill(404));
    const last = await api.verify(unknown, 'x');
    expect(last).toMatchObject({ status: 429, json: { code: 'RATE_LIMITED' } });
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await pickupApi(w.srv.httpUrl, freshIp()).verify(unknown, 'x')).status).toBe(404);
    expect(api.noStoreMisses).toEqual([]);
  });

  it('ok expiry: after 30 days (fake clock + sweep) both URLs answer 410 EXPIRED and the request is expired; an issued but unconfirmed one gets its "never confirmed" notice; the officer can re-issue an expired one', async () => {
    const admin = freshPerson('admin');
    const [waiting, ready, unconfirmed] = [freshPerson(), freshPerson(), freshPerson()];
    const api = pickupApi(w.srv.httpUrl, freshIp());
    const [idW, idR, idU] = await upload([
      { cn: waiting.cn, method: 1, admin, user: waiting },
      { cn: ready.cn, method: 1, admin, user: ready },
      { cn: unconfirmed.cn, method: 1, admin, user: unconfirmed },
    ]);
    requestIds.expired = idW!;
    const pinMails = remember(await inbox.take(isMail(SUBJECTS.pinNotice, admin.mail), 3));
    const urlsOf = async (u: Person & { cn: string }) => {
      const [m] = remember(await inbox.take(isMail(SUBJECTS.pickupNotice, u.mail)));
      const pinMail = pinMails.find((p) => parseDnBlocks(p.text, '対象証明書DN').includes(dnOf(u.cn)))!;
      return { pin: linksIn(pinMail.text).pin[0]!, pickup: linksIn(m!.text).pickup[0]! };
    };
    const uW = await urlsOf(waiting);
    const uR = await urlsOf(ready);
    const uU = await urlsOf(unconfirmed);
    pinsSeen.add((await api.retrieve(uR.pin)).json.pins[0].pin);
    const pinU = (await api.retrieve(uU.pin)).json.pins[0].pin as string;
    pinsSeen.add(pinU);
    const k = await keyAndCsr();
    expect((await api.csr(uU.pickup, { pin: pinU, csr: k.csrPem })).status).toBe(201);

    w.clock.advanceDays(29);
    await sweep(w.srv.services);
    expect((await api.pinInfo(uW.pin)).status).toBe(200);
    expect((await request(idW!)).state).toBe('pin-pending');

    w.clock.advanceDays(1);
    w.clock.advance(1000);
    const report = await sweep(w.srv.services);
    expect(report.expiredRequests).toBeGreaterThanOrEqual(2);
    expect(await request(idW!)).toMatchObject({ state: 'expired', pin_enc: null });
    expect(await request(idR!)).toMatchObject({ state: 'expired', pin_enc: null });
    expect((await request(idU!)).state).toBe('issued');
    for (const t of [uW.pin]) expect(await api.pinInfo(t)).toMatchObject({ status: 410, json: { code: 'EXPIRED' } });
    expect(await api.retrieve(uW.pin)).toMatchObject({ status: 410, json: { code: 'EXPIRED' } });
    for (const t of [uW.pickup, uR.pickup, uU.pickup]) expect(await api.info(t)).toMatchObject({ status: 410, json: { code: 'EXPIRED' } });
    const tokenStates = await rows(sql`select t.state from url_tokens t join requests r on r.pickup_url_id = t.id where r.id in (${Number(idW)}, ${Number(idR)})`);
    expect(tokenStates.map((r) => r.state)).toEqual(['expired', 'expired']);
    // spec 04 step 5: the pickup notification goes out saying the saving was never confirmed.
    const [notice] = await inbox.take(isMail(SUBJECTS.pickupCompleted, admin.mail));
    expect(notice!.text).toContain(`CN=${unconfirmed.cn}`);
    // A second sweep changes nothing and sends nothing.
    expect(await sweep(w.srv.services)).toEqual({ expiredUrls: 0, expiredRequests: 0, unconfirmedNotices: 0, expiryReminders: 0, revokeOldReminders: 0 });

    expect((await officerRequest(w.srv, w.officer, 'POST', `/api/officer/requests/${idU}/reissue`)).status).toBe(409);
    expect((await officerRequest(w.srv, w.officer, 'POST', `/api/officer/requests/${idW}/reissue`)).status).toBe(200);
    const fresh = await individualUrls(admin, waiting, true);
    const pinW = (await api.retrieve(fresh.pin)).json.pins[0].pin as string;
    pinsSeen.add(pinW);
    expect((await api.csr(fresh.pickup, { pin: pinW, csr: (await keyAndCsr()).csrPem })).status).toBe(201);
    expect(api.noStoreMisses).toEqual([]);
  });

  it('ok no mail carries a PIN; tokens are stored only as SHA-256 (no raw token anywhere in the database); neither is in the log', async () => {
    expect(pinsSeen.size).toBeGreaterThan(5);
    for (const r of w.smtp.received) {
      const text = r.raw.toString('latin1');
      for (const pin of pinsSeen) expect(text.includes(pin), 'a mail carries a PIN').toBe(false);
    }
    for (const m of inbox.untaken()) for (const pin of pinsSeen) expect(m.text).not.toContain(pin);

    expect(tokensSeen.size).toBeGreaterThan(10);
    const tables = (await rows(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`)).map((r) => String(r.table_name));
    expect(tables).toEqual(expect.arrayContaining(['requests', 'url_tokens', 'outbox', 'audit_log']));
    let dump = '';
    for (const t of tables) {
      for (const r of await rows(sql.raw(`select row_to_json(x)::text as j from "${t}" x`))) dump += String(r.j) + '\n';
    }
    if (backend.name === 'postgres') {
      dump += execFileSync('/usr/lib/postgresql/15/bin/pg_dump', ['--data-only', w.srv.env.DATABASE_URL!], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8');
    }
    const hashes = (await rows(sql`select encode(token_hash, 'hex') as h from url_tokens`)).map((r) => String(r.h));
    for (const token of tokensSeen) {
      expect(dump.includes(token), 'a raw token is in the database').toBe(false);
      expect(hashes).toContain(createHash('sha256').update(token).digest('hex'));
    }
    for (const pin of pinsSeen) expect(dump.includes(pin), 'a PIN is in the database in clear').toBe(false);
    // spec 08 §Security: the log never prints a PIN or a token.
    const log = w.logLines.join('\n');
    expect(log).toContain('mail transport: SMTP');
    for (const secret of [...tokensSeen, ...pinsSeen]) expect(log.includes(secret), 'a secret in the log').toBe(false);
  });

  it('ok every state change left an audit record; `hakko audit verify` passes, and fails (exit 1) after one record is tampered with', async () => {
    const audit = await rows(sql`select id, action, object, details from audit_log order by id`);
    const actionsOf = (id: string) =>
      audit
        .filter((a) => {
          const d = (a.details ?? {}) as { requests?: string[]; request?: string; requestId?: number };
          return a.object === `request:${id}` || d.requests?.includes(id) || d.request === id;
        })
        .map((a) => a.action);
    expect(actionsOf(requestIds.completed!)).toEqual(['request.created', 'pin.retrieve', 'certificate.issued', 'pickup.confirmed']);
    expect(actionsOf(requestIds.locked!)).toEqual(['request.created', 'pin.retrieve', 'request.locked', 'request.reissue', 'pin.retrieve', 'certificate.issued', 'pickup.confirmed']);
    expect(actionsOf(requestIds.cancelled!)).toEqual(['request.created', 'request.cancel']);
    expect(actionsOf(requestIds.bulk!)).toEqual(['request.created', 'pin.retrieve', 'certificate.issued', 'pickup.confirmed']);
    expect(actionsOf(requestIds.expired!)).toEqual(['request.created', 'request.expired', 'request.reissue', 'pin.retrieve', 'certificate.issued']);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['institution.add', 'officer.enroll', 'upload']));

    const ok = await runCli(w.srv.env, ['audit', 'verify']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/audit chain ok \(\d+ records\)/);

    const victim = audit[Math.floor(audit.length / 2)]!;
    await w.srv.services.db.execute(sql`update audit_log set details = ${JSON.stringify({ tampered: true })}::jsonb where id = ${victim.id}`);
    const bad = await runCli(w.srv.env, ['audit', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`broken at record ${victim.id}`);
    await w.srv.services.db.execute(sql`update audit_log set details = ${victim.details === null ? null : JSON.stringify(victim.details)}::jsonb where id = ${victim.id}`);
    expect((await runCli(w.srv.env, ['audit', 'verify'])).code).toBe(0);
  });
});
