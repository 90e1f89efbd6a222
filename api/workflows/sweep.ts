/**
 * The periodic sweep, driven by the injected clock (spec 01 §Lifetimes, spec 05): expires URLs and
 * unfinished requests, sends the pickup notice for certificates whose saving was never confirmed,
 * the expiry reminders (30 and 7 days) and the revoke-the-replaced-certificate reminder (14 days).
 * Each step is its own transaction; reminder bookkeeping sits on the certificate row and is written
 * conditionally, so several processes sweeping one database send each reminder once.
 */
import { enqueueMails, type MailIntent } from '../../db/repos/outbox.ts';
import { readSettings } from '../../db/repos/settings.ts';
import { transitionRequests } from '../../db/repos/requests.ts';
import { activeOfficersOf } from '../../db/repos/officers.ts';
import { certificatesDueForReminder, dueExpiredTokens, markReminded, markTokensExpired, replacedStillValid, requestsOfPickupUrls } from '../../db/repos/sweep.ts';
import { appendAudit } from '../audit/audit.ts';
import type { Logger } from '../log.ts';
import type { Services } from '../services.ts';
import { mailHost } from './enroll-officer.ts';
import { completionMails } from './pickup-completed.ts';

export interface SweepReport {
  expiredUrls: number;
  expiredRequests: number;
  unconfirmedNotices: number;
  expiryReminders: number;
  revokeOldReminders: number;
}

/** One pass; wakes the outbox worker when it queued mail. */
export async function sweep(s: Services): Promise<SweepReport> {
  const report: SweepReport = { expiredUrls: 0, expiredRequests: 0, unconfirmedNotices: 0, expiryReminders: 0, revokeOldReminders: 0 };
  try {
    await expireUrls(s, report);
    await expiryReminders(s, report);
    await revokeOldReminders(s, report);
  } finally {
    if (report.unconfirmedNotices + report.expiryReminders + report.revokeOldReminders > 0) s.signals.mailQueued();
  }
  return report;
}

export interface RunningSweeper {
  /** Runs a pass now (after the current one, if one is running); resolves when it is done. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs {@link sweep} at start and then every `intervalMs` (an unref'd timer: it never keeps the
 * process alive), never overlapping itself. A failed pass is logged and retried on the next tick.
 */
export function startSweeper(s: Services, log: Logger, intervalMs = 60_000): RunningSweeper {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        const r = await sweep(s);
        if (Object.values(r).some((n) => n > 0)) log.info('sweep', { ...r });
      } catch (e) {
        log.warn('sweep failed', { error: (e as Error).message });
      }
    });
    return running;
  };
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  void pass();
  return {
    runNow: pass,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

/** Rows handled per transaction; a step repeats while it finds full batches. */
const BATCH = 500;

async function inBatches(step: () => Promise<number>): Promise<void> {
  while ((await step()) >= BATCH);
}

async function expireUrls(s: Services, report: SweepReport): Promise<void> {
  const now = s.clock.now();
  await inBatches(() => s.db.transaction(async (tx) => {
    const tokens = await dueExpiredTokens(tx, now, BATCH);
    if (tokens.length === 0) return 0;
    await markTokensExpired(tx, tokens.map((t) => t.id));
    report.expiredUrls += tokens.length;
    const rows = await requestsOfPickupUrls(tx, tokens.filter((t) => t.purpose === 'pickup').map((t) => t.id));
    const moved = await transitionRequests(tx, rows.map((r) => r.id), 'expire', now, { pinEnc: null });
    report.expiredRequests += moved.length;
    const unconfirmed = rows.filter((r) => r.state === 'issued' && r.kind !== 'officer' && r.kind !== 'operator');
    const byUrl = Map.groupBy(unconfirmed, (r) => r.pickupUrlId);
    for (const group of byUrl.values()) {
      await completionMails(s, tx, group, now, false);
      report.unconfirmedNotices++;
    }
    const institutionOf = new Map(rows.map((r) => [r.id, r.institutionId]));
    await appendAudit(tx, now, moved.map((id) => ({ actor: 'system', institutionId: institutionOf.get(id) ?? null, action: 'request.expired', object: `request:${id}` })));
    return tokens.length;
  }));
}

async function expiryReminders(s: Services, report: SweepReport): Promise<void> {
  const now = s.clock.now();
  const days = [...(await readSettings(s.db))['reminder.expiryDays']].sort((a, b) => a - b);
  for (const d of days) {
    await inBatches(() => s.db.transaction(async (tx) => {
      const due = await certificatesDueForReminder(tx, now, d, `exp-${d}`, BATCH);
      const mails: MailIntent[] = [];
      for (const { c, r, i } of due) {
        if (!(await markReminded(tx, c.id, `exp-${d}`))) continue;
        // Mark every longer window as done too, so a late start sends only the nearest reminder.
        for (const other of days.filter((x) => x > d)) await markReminded(tx, c.id, `exp-${other}`);
        const to = [{ address: r.userMail, name: r.userName }, ...(r.adminMail && r.adminMail !== r.userMail ? [{ address: r.adminMail, name: r.adminName }] : [])];
        const daysLeft = Math.max(0, Math.floor((c.notAfter.getTime() - now.getTime()) / 86_400_000));
        mails.push({ kind: 'expiry-reminder', to, institutionId: i.id, serial: c.serial, data: { institution: { ja: i.nameJa, en: i.nameEn }, recipients: to.map((t) => ({ name: t.name ?? t.address, email: t.address })), certificate: { dn: c.requestDn, serial: c.serial, notAfter: c.notAfter.toISOString() }, daysLeft } });
      }
      await enqueueMails(tx, now, mailHost(s.config.mailFrom), mails);
      report.expiryReminders += mails.length;
      return due.length;
    }));
  }
}

async function revokeOldReminders(s: Services, report: SweepReport): Promise<void> {
  const now = s.clock.now();
  const days = (await readSettings(s.db))['reminder.revokeOldAfterDays'];
  await inBatches(() => s.db.transaction(async (tx) => {
    const due = await replacedStillValid(tx, now, days, BATCH);
    for (const { c, i, userName, newIssuedAt } of due) {
      if (!(await markReminded(tx, c.id, 'revoke-old'))) continue;
      const officers = await activeOfficersOf(tx, i.id);
      const to = officers.map((o) => ({ address: o.email, name: o.name }));
      const data = {
        institution: { ja: i.nameJa, en: i.nameEn },
        recipients: to.map((t) => ({ name: t.name, email: t.address })),
        certificates: [{ oldDn: c.requestDn, oldSerial: c.serial, oldNotAfter: c.notAfter.toISOString(), newSerial: c.renewedBy ?? '', pickedUpAt: new Date(newIssuedAt).toISOString(), user: { name: userName ?? c.userMail ?? '', email: c.userMail ?? '' } }],
        dashboardUrl: `${s.config.publicHttpsUrl}/officer`,
      };
      await enqueueMails(tx, now, mailHost(s.config.mailFrom), [{ kind: 'revoke-old-reminder', to, institutionId: i.id, serial: c.serial, data }]);
      report.revokeOldReminders++;
    }
    return due.length;
  }));
}
