/**
 * The officer's mail log and resend (spec 05 §Delivery, spec 06 §Dashboard: Mail; issue 13) on PGlite
 * and PostgreSQL, with a real SMTP server on loopback: a notice the SMTP server refuses (550) shows
 * as retrying with its next attempt and the SMTP answer, then — 25 hours on (fake clock) — as failed;
 * the log never shows a link or a PIN. Once the server accepts the address, a resend (CSRF-guarded,
 * audited) delivers the same mail (same Message-ID) exactly once; a sent mail cannot be resent; a
 * mail of another institution is 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.ts';
import { addTestInstitution, enrollTestOfficer, officerRequest, SAMPLE_INSTITUTION, type OfficerCredentials } from '../helpers/officer.ts';
import { OTHER } from '../helpers/officer-fixture.ts';
import { ADMIN_A, freshPerson, isMail, mailbox, requestTsv, SUBJECTS, uploadRows } from '../helpers/world.ts';
import { GIVE_UP_AFTER_MS } from '../../api/mail/worker.ts';
import type { MailLogJson } from '../../api/domain/api/insights.ts';

const BOUNCING = 'bounce-user@sample.ac.jp';

describe.each(await backends())('mail log and resend on $name', (backend) => {
  let srv: TestServer;
  let smtp: TestSmtpServer;
  let box: ReturnType<typeof mailbox>;
  let officer: OfficerCredentials;
  let other: OfficerCredentials;
  let refusing = true;
  const clock = new FakeClock(new Date());
  const mails = async (query = '', who = () => officer) => {
    const r = await officerRequest(srv, who(), 'GET', `/api/officer/mails${query}`);
    expect(r.status, r.text).toBe(200);
    return { json: r.json() as MailLogJson, text: r.text };
  };
  /** Polls the log (real time, short) until `pred` holds for the bouncing notice. */
  const until = async (pred: (m: MailLogJson['items'][number]) => boolean) => {
    const end = Date.now() + 20_000;
    for (;;) {
      const m = (await mails(`?q=${encodeURIComponent(BOUNCING)}`)).json.items[0];
      if (m && pred(m)) return m;
      if (Date.now() > end) throw new Error(`mail never reached the state: ${JSON.stringify(m)}`);
      srv.worker?.kick();
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    smtp = await startSmtpServer((address) => refusing && address === BOUNCING);
    box = mailbox(smtp);
    srv = await startTestServer({ backend, clock, env: { SMTP_URL: smtp.url, TRUSTED_PROXIES: '127.0.0.1' } });
    await addTestInstitution(srv);
    await addTestInstitution(srv, OTHER);
    officer = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code, '登録 担当', 'ra-mail@sample.ac.jp');
    other = await enrollTestOfficer(srv, OTHER.code, '別 担当', 'ra@other.ac.jp');
    clock.set(new Date());
    srv.worker?.kick();
  }, 240_000);
  afterAll(async () => {
    await srv?.dispose();
    await smtp?.close();
  });

  it('ok a refused notice: retrying with its next attempt and the SMTP answer, then failed after 25 hours; no link or PIN in the log', async () => {
    const user = { ...freshPerson('mlog'), mail: BOUNCING };
    const up = await uploadRows({ srv, officer }, 'issue', requestTsv([{ cn: user.cn, method: 1, admin: ADMIN_A, user }]));
    expect(up.status, up.text).toBe(200);
    await box.take(isMail(SUBJECTS.pinNotice, ADMIN_A.mail));
    const retrying = await until((m) => m.state === 'retrying');
    expect(retrying).toMatchObject({ kind: 'pickup-notice', to: [{ address: BOUNCING }], attempts: 1, canResend: true });
    expect(retrying.lastError).toMatch(/550/);
    expect(Date.parse(retrying.nextAttemptAt!)).toBeGreaterThan(clock.now().getTime());
    clock.advance(GIVE_UP_AFTER_MS + 60_000);
    const failed = await until((m) => m.state === 'failed');
    expect(failed).toMatchObject({ state: 'failed', nextAttemptAt: null, canResend: true });
    expect(failed.lastError).toMatch(/550/);
    const { json, text } = await mails();
    expect(json.items.map((m) => m.kind)).toEqual(expect.arrayContaining(['pin-notice', 'pickup-notice']));
    expect(json.items.find((m) => m.kind === 'pin-notice')).toMatchObject({ state: 'sent', canResend: false });
    expect(text).not.toMatch(/\/(pin|pickup)\/[A-Za-z0-9_-]{20,}/);
    expect(text).not.toMatch(/"(data|pin|url|enrollmentUrl|pinUrl|pickupUrl)"/i);
    expect((await mails('?state=failed')).json.items.map((m) => m.id)).toEqual([failed.id]);
  });

  it('ok resend (with CSRF, audited) delivers the same mail exactly once; NG again → 409, without the CSRF header → 403, another institution\'s → 404', async () => {
    const failed = await until((m) => m.state === 'failed');
    refusing = false;
    const noCsrf = await officerRequest(srv, officer, 'POST', `/api/officer/mails/${failed.id}/resend`, undefined, { 'x-hakko-request': null });
    expect([noCsrf.status, noCsrf.json().code]).toEqual([403, 'CSRF']);
    const foreign = await officerRequest(srv, other, 'POST', `/api/officer/mails/${failed.id}/resend`);
    expect([foreign.status, foreign.json().code]).toEqual([404, 'NOT_FOUND']);
    const r = await officerRequest(srv, officer, 'POST', `/api/officer/mails/${failed.id}/resend`);
    expect(r.status, r.text).toBe(200);
    expect(r.json()).toMatchObject({ id: failed.id, state: 'queued', attempts: 0, lastError: failed.lastError });
    srv.worker?.kick();
    const [got] = await box.take(isMail(SUBJECTS.pickupNotice, BOUNCING), 1);
    const sent = await until((m) => m.state === 'sent');
    expect(sent).toMatchObject({ id: failed.id, canResend: false, lastError: null });
    // Nothing more arrives for that address, and a second resend is refused.
    const again = await officerRequest(srv, officer, 'POST', `/api/officer/mails/${failed.id}/resend`);
    expect([again.status, again.json().code]).toEqual([409, 'CONFLICT']);
    expect(again.json().message.ja).toContain('再送できません');
    srv.worker?.kick();
    expect(box.untaken().filter((m) => m.to.includes(BOUNCING))).toEqual([]);
    expect(smtp.received.filter((m) => m.to.includes(BOUNCING))).toHaveLength(1);
    expect(got!.messageId).toMatch(/^<.+@.+>$/);
    const audit = await officerRequest(srv, officer, 'GET', '/api/officer/audit?action=mail.resend');
    expect(audit.json().items).toMatchObject([{ action: 'mail.resend', object: `mail:${failed.id}`, actor: `cert:${officer.serial}`, details: { previousState: 'failed' } }]);
    // The other institution's log does not show it.
    expect((await mails('', () => other)).json.items.some((m) => m.id === failed.id)).toBe(false);
  });
});
