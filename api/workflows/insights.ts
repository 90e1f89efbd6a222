/**
 * The officer's statistics, mail log and audit view (spec 06 §Dashboard: Statistics, Mail; §Audit
 * log). Officers see their own institution; the audit view is the operator's too, over every
 * institution. The chain check is `hakko audit verify`'s own function.
 */
import { and, eq, gt } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.ts';
import { auditActions, auditRecords, certificateStatistics, mailById, mailLog, type MailLogRow, type StatisticsCountRow } from '../../db/repos/insights.ts';
import { officersByCertificateSerials } from '../../db/repos/history.ts';
import { findInstitutionByCode } from '../../db/repos/institutions.ts';
import { requeueMail } from '../../db/repos/outbox.ts';
import { appendAudit, verifyAudit } from '../audit/audit.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';
import {
  MAX_STATISTICS_MONTHS, type AuditListJson, type AuditQueryInput, type AuditVerificationJson, type MailLogEntryJson, type MailLogJson, type MailQueryInput,
  type MailState, type StatisticsJson,
} from '../domain/api/insights.ts';
import { isProfileId, PROFILES } from '../domain/profiles.ts';
import { HakkoError, invalid } from '../errors.ts';
import type { Services } from '../services.ts';
import { institutionOf, pageOffset } from './officer-scope.ts';
import { neutralise } from './upload-report.ts';

// ——— statistics ———

const JST_MS = 9 * 3_600_000;

/** `YYYY-MM` of an instant in Japan time. */
export function jstMonth(d: Date): string {
  return new Date(d.getTime() + JST_MS).toISOString().slice(0, 7);
}

/** The UTC instant at which a JST month (`YYYY-MM`, plus `add` months) starts. */
export function jstMonthStart(month: string, add = 0): Date {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + add, 1) - JST_MS);
}

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const m = jstMonth(jstMonthStart(from, i));
    if (m > to) return out;
    out.push(m);
  }
}

/** The range asked for, with its defaults: the 12 months up to the current one. */
export function statisticsRange(now: Date, q: { from?: string; to?: string }): { from: string; to: string } {
  const to = q.to ?? jstMonth(now);
  const from = q.from ?? jstMonth(jstMonthStart(to, -11));
  if (from > to) throw invalid(`the first month (${from}) is after the last (${to})`, `開始月(${from})が終了月(${to})より後になっています`);
  if (monthsBetween(from, to).length > MAX_STATISTICS_MONTHS) throw invalid(`choose at most ${MAX_STATISTICS_MONTHS} months`, `期間は${MAX_STATISTICS_MONTHS}か月以内で指定してください`);
  return { from, to };
}

const ZERO = { issued: 0, valid: 0, revoked: 0, expired: 0 };
type Counts = typeof ZERO;
const add = (a: Counts, b: Counts): Counts => ({ issued: a.issued + b.issued, valid: a.valid + b.valid, revoked: a.revoked + b.revoked, expired: a.expired + b.expired });

/** Rows of the aggregate query, summed per month (every month of the range), per profile and in all. */
export function summarise(from: string, to: string, rows: readonly StatisticsCountRow[], now: Date): StatisticsJson {
  const months = new Map(monthsBetween(from, to).map((m) => [m, { ...ZERO }]));
  const profiles = new Map<number | null, Counts>();
  let total = { ...ZERO };
  for (const r of rows) {
    months.set(r.month, add(months.get(r.month) ?? ZERO, r));
    profiles.set(r.profile, add(profiles.get(r.profile) ?? ZERO, r));
    total = add(total, r);
  }
  return {
    from, to, timeZone: 'Asia/Tokyo', at: now.toISOString(),
    rows: rows.map((r) => ({ month: r.month, profile: r.profile, issued: r.issued, valid: r.valid, revoked: r.revoked, expired: r.expired })),
    months: [...months].map(([month, c]) => ({ month, ...c })),
    profiles: [...profiles].sort((a, b) => (a[0] ?? -1) - (b[0] ?? -1)).map(([profile, c]) => ({ profile, ...c })),
    total,
  };
}

/** `GET /api/officer/statistics`: the officer's institution. */
export async function officerStatistics(s: Pick<Services, 'db' | 'clock'>, officer: AuthenticatedOfficer, q: { from?: string; to?: string }): Promise<StatisticsJson> {
  const now = s.clock.now();
  const { from, to } = statisticsRange(now, q);
  const rows = await certificateStatistics(s.db, { institutionId: institutionOf(officer), from: jstMonthStart(from), until: jstMonthStart(to, 1), now });
  return summarise(from, to, rows, now);
}

const CSV_HEADER = {
  ja: ['月', 'プロファイル', 'プロファイル名', '発行', '有効', '失効', '期限切れ'],
  en: ['Month', 'Profile', 'Profile name', 'Issued', 'Valid', 'Revoked', 'Expired'],
};

/**
 * The statistics as CSV for a spreadsheet: UTF-8 with a BOM (Excel reads it as UTF-8), CRLF, one row
 * per month and profile, cells neutralised against formula injection (spec 08 §Security).
 */
export function statisticsCsv(st: StatisticsJson, lang: 'ja' | 'en'): { fileName: string; bytes: Uint8Array<ArrayBuffer> } {
  const cell = (v: string | number | null) => {
    const t = neutralise(String(v ?? ''));
    return /[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
  };
  const name = (p: number | null) => (p !== null && isProfileId(p) ? PROFILES[p][lang] : '');
  const lines = [CSV_HEADER[lang], ...st.rows.map((r) => [r.month, r.profile, name(r.profile), r.issued, r.valid, r.revoked, r.expired])];
  const text = "\uFEFF" + lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n';
  return { fileName: `statistics-${st.from}-${st.to}.csv`, bytes: new Uint8Array(new TextEncoder().encode(text)) };
}

// ——— mail log ———

function mailState(m: { state: string; attempts: number }): MailState {
  if (m.state === 'pending') return m.attempts > 0 ? 'retrying' : 'queued';
  return m.state as MailState;
}

function toMailEntry(m: MailLogRow): MailLogEntryJson {
  const state = mailState(m);
  return {
    id: String(m.id), kind: m.kind, to: (m.recipients as { address: string; name?: string | null }[]).map((r) => ({ address: r.address, name: r.name ?? null })), state,
    createdAt: m.createdAt.toISOString(), sentAt: m.sentAt?.toISOString() ?? null, attempts: m.attempts,
    nextAttemptAt: m.state === 'pending' ? m.nextAttemptAt.toISOString() : null, lastError: m.lastError, serial: m.serial,
    requestId: m.requestId === null ? null : String(m.requestId), canResend: state === 'failed' || state === 'retrying',
  };
}

const STATE_WHERE: Record<MailState, ReturnType<typeof and>> = {
  queued: and(eq(outbox.state, 'pending'), eq(outbox.attempts, 0)),
  retrying: and(eq(outbox.state, 'pending'), gt(outbox.attempts, 0)),
  sending: eq(outbox.state, 'sending'),
  sent: eq(outbox.state, 'sent'),
  failed: eq(outbox.state, 'failed'),
};

/** `GET /api/officer/mails`: every notification of the institution, newest first. */
export async function officerMails(s: Pick<Services, 'db'>, officer: AuthenticatedOfficer, q: MailQueryInput): Promise<MailLogJson> {
  const { rows, total } = await mailLog(s.db, {
    institutionId: institutionOf(officer), where: q.state ? STATE_WHERE[q.state] : undefined, recipient: q.q || undefined, offset: pageOffset(q.page, q.size), limit: q.size,
  });
  return { items: rows.map(toMailEntry), total, page: q.page, size: q.size };
}

/**
 * `POST /api/officer/mails/{id}/resend`: a failed (or still retrying) mail is due again now — the same
 * outbox row, so the same Message-ID and the same recipients; audited. Sent mails are not resent (a
 * notice's links may have been re-issued since; re-issue the URLs instead).
 */
export async function resendMail(s: Pick<Services, 'db' | 'clock' | 'signals'>, officer: AuthenticatedOfficer, id: number): Promise<MailLogEntryJson> {
  const inst = institutionOf(officer);
  const now = s.clock.now();
  const after = await s.db.transaction(async (tx) => {
    const m = await mailById(tx, id);
    if (!m || m.institutionId !== inst) throw new HakkoError('NOT_FOUND');
    const before = mailState(m);
    if (before !== 'failed' && before !== 'retrying') {
      throw new HakkoError('CONFLICT', { text: { ja: `このメールは再送できません(状態: ${before})。再送できるのは送信失敗・再試行中のメールです。`, en: `This mail cannot be resent (state: ${before}). Only failed or retrying mails can be resent.` } });
    }
    if (!(await requeueMail(tx, id, now, ['failed', 'pending']))) throw new HakkoError('CONFLICT');
    await appendAudit(tx, now, [{ actor: `cert:${officer.certSerial}`, institutionId: inst, action: 'mail.resend', object: `mail:${id}`, details: { kind: m.kind, previousState: before, lastError: m.lastError } }]);
    return (await mailById(tx, id))!;
  });
  s.signals.mailQueued();
  return toMailEntry(after);
}

// ——— audit ———

const dayStartJst = (d: string, add = 0) => new Date(Date.parse(d + 'T00:00:00Z') + add * 86_400_000 - JST_MS);

/** `GET /api/officer/audit` (own institution) and `GET /api/operator/audit` (every institution, or one). */
export async function auditView(s: Pick<Services, 'db'>, who: AuthenticatedOfficer, q: AuditQueryInput): Promise<AuditListJson> {
  let institutionId: number | null;
  if (who.role === 'operator') {
    if (q.institution) {
      const i = await findInstitutionByCode(s.db, q.institution);
      if (!i) throw new HakkoError('NOT_FOUND', { text: { en: `unknown institution: ${q.institution}`, ja: `機関が見つかりません: ${q.institution}` } });
      institutionId = i.id;
    } else institutionId = null;
  } else institutionId = institutionOf(who);
  if (q.from && q.to && q.from > q.to) throw invalid(`the first day (${q.from}) is after the last (${q.to})`, `開始日(${q.from})が終了日(${q.to})より後になっています`);
  const [{ rows, total }, actions] = await Promise.all([
    auditRecords(s.db, {
      institutionId, action: q.action || undefined, actor: q.actor || undefined, from: q.from ? dayStartJst(q.from) : undefined, until: q.to ? dayStartJst(q.to, 1) : undefined,
      offset: pageOffset(q.page, q.size), limit: q.size,
    }),
    auditActions(s.db, institutionId),
  ]);
  const names = await officersByCertificateSerials(s.db, [...new Set(rows.filter((r) => r.actor.startsWith('cert:')).map((r) => r.actor.slice(5)))]);
  return {
    items: rows.map((r) => ({
      id: String(r.id), at: r.at.toISOString(), actor: r.actor, actorName: r.actor.startsWith('cert:') ? (names.get(r.actor.slice(5)) ?? null) : null,
      institution: r.institution, action: r.action, object: r.object, details: r.details ?? null, hash: r.hash,
    })),
    actions, total, page: q.page, size: q.size,
  };
}

/** `GET …/audit/verify`: the chain check of `hakko audit verify` (the chain is one for the instance). */
export async function auditVerification(s: Pick<Services, 'db' | 'clock'>): Promise<AuditVerificationJson> {
  const v = await verifyAudit(s.db);
  return { ok: v.ok, records: v.records, brokenAt: v.brokenAt === null ? null : String(v.brokenAt), checkedAt: s.clock.now().toISOString() };
}
