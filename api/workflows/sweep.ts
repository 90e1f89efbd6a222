/**
 * The periodic sweep, driven by the injected clock (spec 01 §Lifetimes, spec 05): expires URLs and
 * unfinished requests, sends the pickup notice for certificates whose saving was never confirmed,
 * the expiry reminders (30 and 7 days) and the revoke-the-replaced-certificate reminder (14 days).
 * Each step is its own transaction; reminder bookkeeping sits on the certificate row.
 */
import { enqueueMails, type MailIntent } from '../../db/repos/outbox.ts';
import { readSettings } from '../../db/repos/settings.ts';
import { transitionRequests } from '../../db/repos/requests.ts';
import { activeOfficersOf, certificatesDueForReminder, dueExpiredTokens, markReminded, markTokensExpired, replacedStillValid, requestsOfPickupUrls } from '../../db/repos/sweep.ts';
import { appendAudit } from '../audit/audit.ts';
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

export async function sweep(s: Services): Promise<SweepReport> {
  const report: SweepReport = { expiredUrls: 0, expiredRequests: 0, unconfirmedNotices: 0, expiryReminders: 0, revokeOldReminders: 0 };
  await expireUrls(s, report);
  await expiryReminders(s, report);
  await revokeOldReminders(s, report);
  return report;
}

async function expireUrls(s: Services, report: SweepReport): Promise<void> {
  const now = s.clock.now();
  await s.db.transaction(async (tx) => {
    const tokens = await dueExpiredTokens(tx, now);
    if (tokens.length === 0) return;
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
    if (moved.length) await appendAudit(tx, now, [{ actor: 'system', action: 'request.expired', details: { requests: moved.map(String) } }]);
  });
}

async function expiryReminders(s: Services, report: SweepReport): Promise<void> {
  const now = s.clock.now();
  const days = [...(await readSettings(s.db))['reminder.expiryDays']].sort((a, b) => a - b);
  for (const d of days) {
    await s.db.transaction(async (tx) => {
      const due = await certificatesDueForReminder(tx, now, d, `exp-${d}`);
      const mails: MailIntent[] = [];
      for (const { c, r, i } of due) {
        // Mark every longer window as done too, so a late start sends only the nearest reminder.
        for (const other of days.filter((x) => x >= d)) await markReminded(tx, c.id, `exp-${other}`);
        const to = [{ address: r.userMail, name: r.userName }, ...(r.adminMail && r.adminMail !== r.userMail ? [{ address: r.adminMail, name: r.adminName }] : [])];
        const daysLeft = Math.max(0, Math.floor((c.notAfter.getTime() - now.getTime()) / 86_400_000));
        mails.push({ kind: 'expiry-reminder', to, institutionId: i.id, serial: c.serial, data: { institution: { ja: i.nameJa, en: i.nameEn }, recipients: to.map((t) => ({ name: t.name ?? t.address, email: t.address })), certificate: { dn: c.requestDn, serial: c.serial, notAfter: c.notAfter.toISOString() }, daysLeft } });
      }
      await enqueueMails(tx, now, mailHost(s.config.mailFrom), mails);
      report.expiryReminders += mails.length;
    });
  }
}

async function revokeOldReminders(s: Services, report: SweepReport): Promise<void> {
  const now = s.clock.now();
  const days = (await readSettings(s.db))['reminder.revokeOldAfterDays'];
  await s.db.transaction(async (tx) => {
    const due = await replacedStillValid(tx, now, days);
    for (const { c, i, newIssuedAt } of due) {
      await markReminded(tx, c.id, 'revoke-old');
      const officers = await activeOfficersOf(tx, i.id);
      const to = officers.map((o) => ({ address: o.email, name: o.name }));
      const data = {
        institution: { ja: i.nameJa, en: i.nameEn },
        recipients: to.map((t) => ({ name: t.name, email: t.address })),
        certificates: [{ oldDn: c.requestDn, oldSerial: c.serial, oldNotAfter: c.notAfter.toISOString(), newSerial: c.renewedBy ?? '', pickedUpAt: new Date(newIssuedAt).toISOString(), user: { name: c.userMail ?? '', email: c.userMail ?? '' } }],
        dashboardUrl: `${s.config.publicHttpsUrl}/officer`,
      };
      await enqueueMails(tx, now, mailHost(s.config.mailFrom), [{ kind: 'revoke-old-reminder', to, institutionId: i.id, serial: c.serial, data }]);
      report.revokeOldReminders++;
    }
  });
}
