/**
 * Issue 5 acceptance, the notifications (spec 05) from outside, on PGlite and PostgreSQL: a real
 * server whose periodic sweep runs (api/main.ts) on a fake clock, mailing through a real SMTP server
 * on loopback. For each download method the right mails reach the right people with links that
 * work; completion, renewal (with the CP932 revocation TSV that uploads as it is), revocation,
 * re-issue, revoke-old (14 days) and expiry (30, 7 days) mails and the enrollment mail; no PIN in
 * any mail; every delivered message passes `openssl smime -verify` and fails after one changed byte.
 * Then the outbox worker alone, driven with a fake clock (no sleeps): an SMTP outage with 100 mails
 * queued loses and doubles nothing; a row whose claim lapsed is sent by one worker only; give-up after
 * 25 h; two workers at full speed on one database send 1,000 mails once each; and on PostgreSQL two
 * workers on two database clients deliver every mail exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { like, sql } from 'drizzle-orm';
import { backends, type TestDatabase } from '../helpers/db.ts';
import { freePort } from '../helpers/server.ts';
import { keyAndCsr } from '../helpers/pickup-client.ts';
import { officerRequest } from '../helpers/officer.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.ts';
import { createTestMailCa, type TestMailCa } from '../helpers/test-mail-ca.ts';
import { SAMPLE_DATA } from '../helpers/mail-fixtures.ts';
import { splitSigned } from '../helpers/smime-parse.ts';
import { parseDnBlocks, sectionValues } from '../helpers/upki-mail-parse.ts';
import {
  dnOf, freshIp, freshPerson, isMail, linksIn, mailbox, OFFICER_MAIL, pickupApi, requestTsv, startWorld, SUBJECTS, uploadRows,
  type Mail, type Person, type RowSpec, type World,
} from '../helpers/world.ts';
import { decodeTsv } from '../../api/domain/tsv/codec.ts';
import { deliverDue, GIVE_UP_AFTER_MS, LEASE_MS, type WorkerDeps } from '../../api/mail/worker.ts';
import { createSmtpTransport, type MailTransport } from '../../api/mail/transport.ts';
import { enqueueMails, type MailIntent } from '../../db/repos/outbox.ts';
import { openDatabase } from '../../db/client.ts';
import { silentLogger } from '../../api/log.ts';
import { sweep } from '../../api/workflows/sweep.ts';
import { outbox } from '../../db/schema/index.ts';

type Row = Record<string, unknown>;
const sorted = (xs: readonly string[]) => [...xs].sort();

describe.each(await backends())('notifications on $name', (backend) => {
  let w: World;
  let inbox: ReturnType<typeof mailbox>;
  const pinsSeen = new Set<string>();
  /** A method-1 certificate whose expiry reminders the last test waits for. */
  let expiring: { serial: string; admin: Person; user: Person } | null = null;

  const rows = async (q: ReturnType<typeof sql>): Promise<Row[]> => {
    const r = await w.srv.services.db.execute(q);
    return ((r as unknown as { rows?: Row[] }).rows ?? (r as unknown as Row[]));
  };

  async function upload(kind: 'issue' | 'renew', specs: RowSpec[]): Promise<string[]> {
    const r = await uploadRows(w, kind, requestTsv(specs));
    expect(r.status, r.text).toBe(200);
    return r.json().rows.map((x: { requestId: string }) => x.requestId);
  }

  /** Follows the links of an individual request's notices, checking recipients, DN and that they work. */
  async function individualNotices(admin: Person, user: Person & { cn: string }, dn = dnOf(user.cn)): Promise<{ pin: string; pickup: string }> {
    const api = pickupApi(w.srv.httpUrl, freshIp());
    const [pinMail] = await inbox.take(isMail(SUBJECTS.pinNotice, admin.mail));
    const [pickupMail] = await inbox.take(isMail(SUBJECTS.pickupNotice, user.mail));
    expect(pinMail!.to).toEqual([admin.mail]);
    expect(pickupMail!.to).toEqual([user.mail]);
    for (const m of [pinMail!, pickupMail!]) expect(parseDnBlocks(m.text, '対象証明書DN')).toEqual([dn]);
    expect(pinMail!.text).toContain(`${admin.name}様`);
    expect(pickupMail!.text).toContain(`${user.name}様`);
    const pin = linksIn(pinMail!.text);
    const pickup = linksIn(pickupMail!.text);
    expect([pin.pin.length, pin.pickup.length, pickup.pin.length, pickup.pickup.length]).toEqual([1, 0, 0, 1]);
    expect(pinMail!.text).toContain(`${w.srv.services.config.publicUrl}/pin/${pin.pin[0]}`);
    expect((await api.pinInfo(pin.pin[0]!)).json).toMatchObject({ count: 1, rows: [{ dn }] });
    expect(await api.info(pickup.pickup[0]!)).toMatchObject({ status: 409, json: { code: 'PIN_NOT_RETRIEVED' } });
    return { pin: pin.pin[0]!, pickup: pickup.pickup[0]! };
  }

  /** The whole individual pickup, as the pages do it. */
  async function pickUpIndividual(urls: { pin: string; pickup: string }): Promise<{ serial: string }> {
    const api = pickupApi(w.srv.httpUrl, freshIp());
    const got = await api.retrieve(urls.pin);
    expect(got.status).toBe(200);
    const pin = got.json.pins[0].pin as string;
    pinsSeen.add(pin);
    expect((await api.verify(urls.pickup, pin)).status).toBe(204);
    const k = await keyAndCsr();
    const c = await api.csr(urls.pickup, { pin, csr: k.csrPem });
    expect(c.status).toBe(201);
    expect((await api.confirm(urls.pickup, { pin })).status).toBe(204);
    return { serial: c.json.certificates[0].serial };
  }

  async function completion(admin: Person, serials: readonly string[], renewal = false): Promise<Mail> {
    const [m] = await inbox.take(isMail(SUBJECTS.pickupCompleted, admin.mail));
    expect(sorted(m!.to)).toEqual(sorted([OFFICER_MAIL, admin.mail]));
    expect(sectionValues(m!.text, renewal ? '新証明書シリアル番号' : '対象証明書シリアル番号')).toEqual(serials);
    return m!;
  }

  beforeAll(async () => {
    // The worker polls only hourly here: every mail below arrives because its commit woke the worker.
    w = await startWorld(backend, { timers: { sweepIntervalMs: 200, workerIntervalMs: 3_600_000 } });
    inbox = mailbox(w.smtp);
  });
  afterAll(async () => {
    await w?.dispose();
  });

  it('ok the start-up log names the active transport (SMTP and its host)', () => {
    expect(w.logLines.some((l) => l.includes(`mail transport: SMTP ${new URL(w.smtp.url).host}`))).toBe(true);
  });

  it('ok enrollment mail → the new officer, with the enrollment (pickup) link; the link answers (410 COMPLETED after the pickup)', async () => {
    const [m] = await inbox.take(isMail(SUBJECTS.enrollment, OFFICER_MAIL));
    expect(m!.to).toEqual([OFFICER_MAIL]);
    const l = linksIn(m!.text);
    expect(l.pickup).toHaveLength(1);
    expect(await pickupApi(w.srv.httpUrl, freshIp()).info(l.pickup[0]!)).toMatchObject({ status: 410, json: { code: 'COMPLETED' } });
  });

  for (const method of [1, 3] as const) {
    it(`ok method ${method}: PIN notice → administrator, pickup notice → user, links work; pickup completed → uploading officer + administrator`, async () => {
      const admin = freshPerson('admin');
      const user = freshPerson();
      const cn = method === 3 ? user.mail : user.cn;
      await upload('issue', [{ cn, profile: method === 3 ? 15 : 13, method, admin, user }]);
      const urls = await individualNotices(admin, { ...user, cn }, dnOf(cn));
      const { serial } = await pickUpIndividual(urls);
      const done = await completion(admin, [serial]);
      expect(parseDnBlocks(done.text, '対象証明書DN')).toEqual([dnOf(cn)]);
      if (method === 1) expiring = { serial, admin, user };
    });
  }

  it('ok method 2: one PIN notice → the uploading officer; one pickup notice per administrator group; re-issue of a group → re-issued notices for that group only; completion per group', async () => {
    const adminA = freshPerson('admin');
    const adminB = freshPerson('admin');
    const [u1, u2, u3] = [freshPerson(), freshPerson(), freshPerson()];
    const ids = await upload('issue', [
      { cn: u1!.cn, method: 2, admin: adminA, user: u1! },
      { cn: u2!.cn, method: 2, admin: adminB, user: u2! },
      { cn: u3!.cn, method: 2, admin: adminA, user: u3! },
    ]);
    const api = pickupApi(w.srv.httpUrl, freshIp());
    const [pinMail] = await inbox.take((m) => isMail(SUBJECTS.pinNotice, OFFICER_MAIL)(m) && m.text.includes(u1!.cn));
    expect(pinMail!.to).toEqual([OFFICER_MAIL]);
    expect(parseDnBlocks(pinMail!.text, '対象証明書DN')).toEqual([u1, u2, u3].map((u) => dnOf(u!.cn)));
    const [mailA] = await inbox.take(isMail(SUBJECTS.pickupNotice, adminA.mail));
    const [mailB] = await inbox.take(isMail(SUBJECTS.pickupNotice, adminB.mail));
    expect(mailA!.to).toEqual([adminA.mail]);
    expect(parseDnBlocks(mailA!.text, '対象証明書DN')).toEqual([dnOf(u1!.cn), dnOf(u3!.cn)]);
    expect(parseDnBlocks(mailB!.text, '対象証明書DN')).toEqual([dnOf(u2!.cn)]);
    for (const u of [u1, u2, u3]) expect(w.smtp.received.some((r) => r.to.includes(u!.mail))).toBe(false);
    const pinUrl = linksIn(pinMail!.text).pin[0]!;
    const tA = linksIn(mailA!.text).pickup[0]!;
    const tB = linksIn(mailB!.text).pickup[0]!;
    expect((await api.pinInfo(pinUrl)).json).toMatchObject({ method: 2, count: 3 });

    // Re-issue group B: a PIN URL covering only its row → the officer; a new pickup URL → admin B.
    expect((await officerRequest(w.srv, w.officer, 'POST', `/api/officer/requests/${ids[1]}/reissue`)).status).toBe(200);
    const [rePin] = await inbox.take((m) => isMail(SUBJECTS.pinNotice, OFFICER_MAIL)(m) && m.subject.includes('再発行'));
    const [rePickup] = await inbox.take((m) => isMail(SUBJECTS.pickupNotice, adminB.mail)(m) && m.subject.includes('再発行'));
    expect(rePin!.subject).toContain('re-issued');
    expect(parseDnBlocks(rePin!.text, '対象証明書DN')).toEqual([dnOf(u2!.cn)]);
    expect(parseDnBlocks(rePickup!.text, '対象証明書DN')).toEqual([dnOf(u2!.cn)]);
    const pinB = linksIn(rePin!.text).pin[0]!;
    const tB2 = linksIn(rePickup!.text).pickup[0]!;
    expect((await api.pinInfo(pinUrl)).json).toMatchObject({ count: 2 });
    expect((await api.pinInfo(pinB)).json).toMatchObject({ count: 1 });
    expect(await api.info(tB)).toMatchObject({ status: 410, json: { code: 'REISSUED' } });

    for (const [pinToken, pickupToken, admin, group] of [[pinUrl, tA, adminA, [ids[0], ids[2]]], [pinB, tB2, adminB, [ids[1]]]] as const) {
      const pins = (await api.retrieve(pinToken)).json.pins as { pin: string }[];
      pins.forEach((p) => pinsSeen.add(p.pin));
      expect(pins).toHaveLength(group.length);
      const csrs = [];
      for (const id of group) csrs.push({ id, csr: (await keyAndCsr()).csrPem });
      const c = await api.csr(pickupToken, { csrs });
      expect(c.status).toBe(201);
      expect((await api.confirm(pickupToken)).status).toBe(204);
      await completion(admin, c.json.certificates.map((x: { serial: string }) => x.serial));
    }
  });

  it('ok renewal while the old certificate is valid: the completion mail carries the CP932 revocation TSV, which uploads as a revocation as it is → revocation mail → officer, administrator, user', async () => {
    const admin = freshPerson('admin');
    const user = freshPerson();
    await upload('issue', [{ cn: user.cn, method: 1, admin, user }]);
    const old = await pickUpIndividual(await individualNotices(admin, user));
    const first = await completion(admin, [old.serial]);
    expect(first.attachments).toEqual([]);

    await upload('renew', [{ cn: user.cn, method: 1, admin, user, serial: old.serial }]);
    const renewed = await pickUpIndividual(await individualNotices(admin, user));
    const mail = await completion(admin, [renewed.serial], true);
    expect(sectionValues(mail.text, '旧証明書のシリアル番号')).toEqual([old.serial]);
    expect(mail.text).toContain('失効用TSVを添付');
    expect(mail.attachments).toHaveLength(1);
    const tsv = mail.attachments[0]!;
    expect(tsv.filename).toBe(`revoke-${old.serial}.tsv`);
    expect(tsv.contentType).toMatch(/^text\/tab-separated-values; charset=Shift_JIS/i);
    // CP932 with CRLF: the administrator's Japanese name in Shift_JIS bytes, one line, 15 columns, reason 4.
    const decoded = decodeTsv(new Uint8Array(tsv.bytes));
    expect(decoded).toMatchObject({ ok: true, encoding: 'cp932' });
    const text = new TextDecoder('shift_jis').decode(tsv.bytes);
    expect(text.endsWith('\r\n')).toBe(true);
    const cols = text.slice(0, -2).split('\t');
    expect(cols).toHaveLength(15);
    expect([cols[0], cols[3], cols[4], cols[7], cols[9], cols[13]]).toEqual([dnOf(user.cn), old.serial, '4', admin.name, admin.mail, user.mail]);

    const up = await uploadRows(w, 'revoke', new Uint8Array(tsv.bytes));
    expect(up.status, up.text).toBe(200);
    expect(up.json()).toMatchObject({ registered: 1, rejected: 0 });
    const [revoked] = await inbox.take(isMail(SUBJECTS.revocation, user.mail));
    expect(sorted(revoked!.to)).toEqual(sorted([OFFICER_MAIL, admin.mail, user.mail]));
    expect(parseDnBlocks(revoked!.text, '失効証明書DN')).toEqual([dnOf(user.cn)]);
    expect(sectionValues(revoked!.text, '失効証明書シリアル番号')).toEqual([old.serial]);
    expect(sectionValues(revoked!.text, '失効理由')[0]).toContain('4');
    expect((await rows(sql`select revocation_reason from certificates where serial = ${old.serial}`))[0]).toEqual({ revocation_reason: 4 });
  });

  it('ok renewal of a revoked certificate: revocation mail on the dashboard revoke; the renewal mail has no attachment and says the old one is gone', async () => {
    const admin = freshPerson('admin');
    const user = freshPerson();
    await upload('issue', [{ cn: user.cn, method: 1, admin, user }]);
    const old = await pickUpIndividual(await individualNotices(admin, user));
    await completion(admin, [old.serial]);
    const r = await officerRequest(w.srv, w.officer, 'POST', `/api/officer/certificates/${old.serial}/revoke`, { bytes: Buffer.from(JSON.stringify({ reason: 1 })), contentType: 'application/json' });
    expect(r.status, r.text).toBe(200);
    const [revoked] = await inbox.take(isMail(SUBJECTS.revocation, user.mail));
    expect(sorted(revoked!.to)).toEqual(sorted([OFFICER_MAIL, admin.mail, user.mail]));

    await upload('renew', [{ cn: user.cn, method: 1, admin, user, serial: old.serial }]);
    const renewed = await pickUpIndividual(await individualNotices(admin, user));
    const mail = await completion(admin, [renewed.serial], true);
    expect(mail.attachments).toEqual([]);
    expect(mail.text).toContain('有効期限切れまたは失効済み');
  });

  it('ok revoke-old reminder: 14 days after a renewal was picked up while the old certificate stays valid → every active officer, once (sent by the periodic sweep)', async () => {
    const admin = freshPerson('admin');
    const user = freshPerson();
    await upload('issue', [{ cn: user.cn, method: 1, admin, user }]);
    const old = await pickUpIndividual(await individualNotices(admin, user));
    await completion(admin, [old.serial]);
    await upload('renew', [{ cn: user.cn, method: 1, admin, user, serial: old.serial }]);
    const renewed = await pickUpIndividual(await individualNotices(admin, user));
    await completion(admin, [renewed.serial], true);

    const reminders = async () => (await rows(sql`select count(*)::int as n from outbox where kind = 'revoke-old-reminder' and serial = ${old.serial}`))[0]!.n;
    w.clock.advanceDays(13);
    await w.srv.sweeper!.runNow();
    expect(await reminders()).toBe(0);
    w.clock.advanceDays(1);
    w.clock.advance(60_000);
    const [m] = await inbox.take(isMail(SUBJECTS.revokeOld, OFFICER_MAIL));
    expect(m!.to).toEqual([OFFICER_MAIL]);
    expect(m!.text).toContain(old.serial);
    expect(m!.text).toContain(renewed.serial);
    expect(m!.text).toContain(user.name);
    await w.srv.sweeper!.runNow();
    await w.srv.sweeper!.runNow();
    expect(await reminders()).toBe(1);
  });

  it('ok expiry reminders at 30 and 7 days before notAfter → administrator and user, once each, also with sweeps racing on two database clients', async () => {
    expect(expiring).not.toBeNull();
    const { serial, admin, user } = expiring!;
    const [{ not_after }] = (await rows(sql`select not_after from certificates where serial = ${serial}`)) as { not_after: Date | string }[];
    const notAfter = new Date(not_after).getTime();
    const count = async () => (await rows(sql`select count(*)::int as n from outbox where kind = 'expiry-reminder' and serial = ${serial}`))[0]!.n;

    w.clock.set(new Date(notAfter - 31 * 86_400_000));
    await w.srv.sweeper!.runNow();
    expect(await count()).toBe(0);
    // Several processes sweep one database: sweeps racing on two clients (PostgreSQL) still queue
    // each reminder once (conditional bookkeeping, rows locked with SKIP LOCKED).
    const second = backend.name === 'postgres' ? await openDatabase({ databaseUrl: w.srv.env.DATABASE_URL!, dataDir: w.srv.dataDir, poolSize: 2, migrate: false }) : null;
    try {
      for (const days of [30, 7]) {
        w.clock.set(new Date(notAfter - days * 86_400_000 + 60_000));
        await Promise.all([sweep(w.srv.services), sweep({ ...w.srv.services, db: second?.db ?? w.srv.services.db }), w.srv.sweeper!.runNow()]);
        expect(await count()).toBe(days === 30 ? 1 : 2);
      }
    } finally {
      await second?.close();
    }
    const mails = await inbox.take((x) => isMail(SUBJECTS.expiry, user.mail)(x) && x.text.includes(serial), 2);
    for (const m of mails) {
      expect(sorted(m.to)).toEqual(sorted([admin.mail, user.mail]));
      expect(sectionValues(m.text, '対象証明書シリアル番号')).toEqual([serial]);
    }
    await w.srv.sweeper!.runNow();
    expect(await count()).toBe(2);
  });

  it('ok every delivered message passes `openssl smime -verify -CAfile root.pem` and fails after one body byte is changed; none carries a PIN', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hakko-smime-'));
    try {
      const root = path.join(dir, 'root.pem');
      writeFileSync(root, w.rootPem);
      expect(w.smtp.received.length).toBeGreaterThan(25);
      expect(pinsSeen.size).toBeGreaterThan(5);
      w.smtp.received.forEach((r, i) => {
        const file = path.join(dir, `m${i}.eml`);
        writeFileSync(file, r.raw);
        const ok = spawnSync('openssl', ['smime', '-verify', '-in', file, '-CAfile', root, '-out', '/dev/null']);
        expect(ok.status, `${i}: ${ok.stderr}`).toBe(0);
        const { signed, signedOffset } = splitSigned(r.raw);
        const tampered = Buffer.from(r.raw);
        let at = signedOffset + Math.floor(signed.length / 2);
        while (!/[A-Za-z0-9]/.test(String.fromCharCode(tampered[at]!))) at++;
        tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
        writeFileSync(file, tampered);
        const bad = spawnSync('openssl', ['smime', '-verify', '-in', file, '-CAfile', root, '-out', '/dev/null']);
        expect(bad.status, `${i}: tampered message verified`).not.toBe(0);
        const text = r.raw.toString('latin1');
        for (const pin of pinsSeen) expect(text.includes(pin)).toBe(false);
      });
      for (const m of w.smtp.received.map((r) => r.raw.toString('latin1'))) expect(m).toContain('multipart/signed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ——— the outbox worker alone, driven by a fake clock ———

describe.each(await backends())('outbox worker on $name', (backend) => {
  let t: TestDatabase;
  let ca: TestMailCa;
  const sealKey = new Uint8Array(32);
  const KINDS = Object.keys(SAMPLE_DATA) as (keyof typeof SAMPLE_DATA)[];

  beforeAll(async () => {
    [t, ca] = await Promise.all([backend.create(), createTestMailCa('hakko@sample.ac.jp')]);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const deps = (clock: FakeClock, transport: MailTransport, db = t.database.db, concurrency?: number): WorkerDeps => ({
    db, clock, log: silentLogger, transport, signer: ca.signer, chain: ca.chain, from: 'hakko@sample.ac.jp', sealKey, concurrency,
  });
  const queue = async (n: number, clock: FakeClock, tag: string) => {
    const mails: MailIntent[] = Array.from({ length: n }, (_, i) => {
      const kind = KINDS[i % KINDS.length]!;
      return { kind, to: [{ address: `${tag}-${i}@sample.ac.jp`, name: `宛先 ${i}` }], data: SAMPLE_DATA[kind] as unknown as Record<string, unknown> };
    });
    await enqueueMails(t.database.db, clock.now(), 'sample.ac.jp', mails);
  };
  const states = async (tag: string) => {
    const r = await t.database.db.execute(sql`select state, count(*)::int as n from outbox where recipients::text like ${`%${tag}-%`} group by state order by state`);
    return Object.fromEntries(((r as unknown as { rows?: Row[] }).rows ?? (r as unknown as Row[])).map((x) => [x.state, x.n]));
  };
  const messageIds = (smtp: TestSmtpServer) => smtp.received.map((m) => /^Message-ID:\s*(\S+)/im.exec(m.raw.toString('latin1'))![1]!);

  it('ok SMTP down while 100 notifications are queued, then back: all delivered, none twice, retried with backoff (fake clock, no sleeps)', async () => {
    const clock = new FakeClock(new Date());
    const port = await freePort();
    const transport = createSmtpTransport(`smtp://127.0.0.1:${port}`);
    const d = deps(clock, transport);
    await queue(100, clock, 'outage');
    expect(await deliverDue(d, 100)).toEqual({ sent: 0, retried: 100, failed: 0 });
    expect(await deliverDue(d, 100)).toEqual({ sent: 0, retried: 0, failed: 0 });
    // Backoff 30 s, 60 s, 120 s …: nothing is due before its time.
    for (const wait of [30_000, 60_000, 120_000]) {
      clock.advance(wait - 1000);
      expect(await deliverDue(d, 100)).toEqual({ sent: 0, retried: 0, failed: 0 });
      clock.advance(1000);
      expect(await deliverDue(d, 100)).toEqual({ sent: 0, retried: 100, failed: 0 });
    }
    expect(await states('outage')).toEqual({ pending: 100 });
    const smtp = await startSmtpServer(() => false, { port });
    try {
      clock.advance(240_000);
      let sent = 0;
      for (let i = 0; i < 10; i++) sent += (await deliverDue(d, 30)).sent;
      expect(sent).toBe(100);
      expect(await states('outage')).toEqual({ sent: 100 });
      clock.advance(GIVE_UP_AFTER_MS);
      expect(await deliverDue(d, 100)).toEqual({ sent: 0, retried: 0, failed: 0 });
      const ids = messageIds(smtp);
      expect(ids).toHaveLength(100);
      expect(new Set(ids).size).toBe(100);
      expect(new Set(smtp.received.flatMap((m) => m.to)).size).toBe(100);
    } finally {
      transport.close();
      await smtp.close();
    }
  });

  it('ok a claim that lapsed (the worker hung past its lease) is taken over by another worker; the first then sends nothing more of its batch', async () => {
    const clock = new FakeClock(new Date());
    const sends: string[] = [];
    let release!: () => void;
    const hung = new Promise<void>((r) => (release = r));
    let first = true;
    const counting = (name: string, hang: boolean): MailTransport => ({
      name,
      async send(raw) {
        sends.push(/^Message-ID:\s*(\S+)/im.exec(Buffer.from(raw).toString('latin1'))![1]!);
        if (hang && first) {
          first = false;
          await hung;
        }
        return { accepted: true };
      },
      close() {},
    });
    await queue(5, clock, 'lease');
    // One mail at a time, so rows 2-5 of A's batch are still waiting when its claim lapses.
    const a = deliverDue(deps(clock, counting('a', true), t.database.db, 1), 5);
    while (sends.length === 0) await new Promise((r) => setImmediate(r));
    clock.advance(LEASE_MS + 1000);
    const b = await deliverDue(deps(clock, counting('b', false)), 5);
    expect(b.sent).toBe(5);
    release();
    const ra = await a;
    expect(ra.sent).toBe(0);
    expect(sends).toHaveLength(6);
    expect(new Set(sends).size).toBe(5);
    expect(await states('lease')).toEqual({ sent: 5 });
  });

  it('ok a mail that cannot be delivered is retried for at least 24 hours, then shows as failed with the error', async () => {
    const clock = new FakeClock(new Date());
    const port = await freePort();
    const transport = createSmtpTransport(`smtp://127.0.0.1:${port}`);
    try {
      await queue(1, clock, 'giveup');
      const start = clock.now().getTime();
      let attempts = 0;
      for (;;) {
        const r = await deliverDue(deps(clock, transport), 10);
        attempts += r.retried + r.failed;
        if (r.failed) break;
        const [row] = await t.database.db.select({ next: outbox.nextAttemptAt }).from(outbox).where(like(sql`${outbox.recipients}::text`, '%giveup-%'));
        clock.set(new Date(Math.max(row!.next.getTime(), clock.now().getTime() + 1)));
        if (clock.now().getTime() - start > 48 * 3600_000) throw new Error('never gave up');
      }
      expect(clock.now().getTime() - start).toBeGreaterThanOrEqual(24 * 3600_000);
      expect(attempts).toBeGreaterThan(20);
      const r = await t.database.db.execute(sql`select state, last_error from outbox where recipients::text like '%giveup-%'`);
      const [row] = ((r as unknown as { rows?: Row[] }).rows ?? (r as unknown as Row[]));
      expect(row).toMatchObject({ state: 'failed', last_error: expect.stringMatching(/ECONNREFUSED|connect/i) });
    } finally {
      transport.close();
    }
  });

  it('ok two workers at full speed (default chunks, concurrency and grouped marks, pooled SMTP) on one database deliver 1,000 mails, each exactly once', async () => {
    const clock = new FakeClock(new Date());
    const smtp = await startSmtpServer();
    // PostgreSQL: a second client, as a second process would have; PGlite: both on its one connection.
    const second = backend.name === 'postgres' ? await openDatabase({ databaseUrl: t.url, dataDir: t.dataDir, poolSize: 4, migrate: false }) : null;
    const ta = createSmtpTransport(smtp.url);
    const tb = createSmtpTransport(smtp.url);
    try {
      await queue(1000, clock, 'fast');
      const [a, b] = await Promise.all([deliverDue(deps(clock, ta)), deliverDue(deps(clock, tb, second?.db ?? t.database.db))]);
      expect(a.sent + b.sent).toBe(1000);
      expect(a.sent).toBeGreaterThan(0);
      expect(b.sent).toBeGreaterThan(0);
      expect(a.retried + a.failed + b.retried + b.failed).toBe(0);
      const ids = messageIds(smtp);
      expect(ids).toHaveLength(1000);
      expect(new Set(ids).size).toBe(1000);
      expect(await states('fast')).toEqual({ sent: 1000 });
      const r = await t.database.db.execute(sql`select count(*)::int as n from outbox where recipients::text like '%fast-%' and (sent_at is null or claimed_until is not null)`);
      expect(((r as unknown as { rows?: Row[] }).rows ?? (r as unknown as Row[]))[0]!.n).toBe(0);
    } finally {
      ta.close();
      tb.close();
      await second?.close();
      await smtp.close();
    }
  });

  // Two database clients exist only on PostgreSQL (PGlite is one process): defined there, not skipped elsewhere.
  if (backend.name === 'postgres') it('ok exactly once across processes: two workers on two database clients deliver 200 mails concurrently, each once', async () => {
    const clock = new FakeClock(new Date());
    const smtp = await startSmtpServer();
    const second = await openDatabase({ databaseUrl: t.url, dataDir: t.dataDir, poolSize: 4, migrate: false });
    const ta = createSmtpTransport(smtp.url);
    const tb = createSmtpTransport(smtp.url);
    try {
      await queue(200, clock, 'twice');
      const drain = async (d: WorkerDeps) => {
        let sent = 0;
        for (;;) {
          const r = await deliverDue(d, 10);
          sent += r.sent;
          if (r.sent + r.retried + r.failed === 0) return sent;
        }
      };
      const [a, b] = await Promise.all([drain(deps(clock, ta)), drain(deps(clock, tb, second.db))]);
      expect(a + b).toBe(200);
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
      const ids = messageIds(smtp);
      expect(ids).toHaveLength(200);
      expect(new Set(ids).size).toBe(200);
      expect(await states('twice')).toEqual({ sent: 200 });
    } finally {
      ta.close();
      tb.close();
      await second.close();
      await smtp.close();
    }
  });
});
