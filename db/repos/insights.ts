/**
 * The officer's statistics, mail log and audit view (spec 06 §Dashboard: Statistics, Mail; §Audit
 * log). Statistics are one aggregate query (GROUP BY month and profile, counts by state) on the
 * covering index `certificates_stats`, never a load of certificates; months are counted in Japan time.
 */
import { and, desc, eq, gte, like, lt, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { auditLog, institutions, outbox } from '../schema/index.ts';
import { resultRows } from './bulk.ts';

export interface StatisticsQuery {
  /** One institution, or null for every institution (operators). */
  readonly institutionId: number | null;
  /** Issued at or after / before (UTC instants of JST month starts). */
  readonly from: Date;
  readonly until: Date;
  readonly now: Date;
}

export interface StatisticsCountRow {
  readonly month: string;
  readonly profile: number | null;
  readonly issued: number;
  readonly valid: number;
  readonly revoked: number;
  readonly expired: number;
}

/**
 * Subscriber certificates issued in [from, until), by month of issue (JST) and profile, with how many
 * of them are valid, revoked and expired at `now`. Times travel as ISO text with a cast (postgres-js
 * refuses a Date in a raw parameter, outbox.ts).
 */
export async function certificateStatistics(db: Queryable, q: StatisticsQuery): Promise<StatisticsCountRow[]> {
  const now = q.now.toISOString();
  const scope = q.institutionId === null ? sql`` : sql`institution_id = ${q.institutionId} and `;
  // Grouped on the truncated timestamp (cheap), formatted once per group.
  const r = await db.execute(sql`
    select to_char(m, 'YYYY-MM') as month, profile, issued, valid, revoked, expired from (
      select date_trunc('month', (issued_at at time zone 'UTC') + interval '9 hours') as m, profile,
             count(*)::int as issued,
             count(*) filter (where revoked_at is null and not_after > ${now}::timestamptz)::int as valid,
             count(revoked_at)::int as revoked,
             count(*) filter (where revoked_at is null and not_after <= ${now}::timestamptz)::int as expired
      from certificates
      where ${scope}kind = 'subscriber' and state = 'issued'
        and issued_at >= ${q.from.toISOString()}::timestamptz and issued_at < ${q.until.toISOString()}::timestamptz
      group by 1, 2) g
    order by m, profile nulls first`);
  return resultRows<StatisticsCountRow>(r).map((x) => ({
    month: x.month, profile: x.profile === null ? null : Number(x.profile), issued: Number(x.issued), valid: Number(x.valid), revoked: Number(x.revoked), expired: Number(x.expired),
  }));
}

// ——— mail log ———

export interface MailLogQuery {
  readonly institutionId: number;
  /** Outbox states to select (already mapped from the API's states). */
  readonly where?: SQL;
  readonly recipient?: string;
  readonly offset: number;
  readonly limit: number;
}

const MAIL_COLUMNS = {
  id: outbox.id, kind: outbox.kind, recipients: outbox.recipients, state: outbox.state, attempts: outbox.attempts, nextAttemptAt: outbox.nextAttemptAt,
  lastError: outbox.lastError, createdAt: outbox.createdAt, sentAt: outbox.sentAt, serial: outbox.serial, requestId: outbox.requestId, institutionId: outbox.institutionId,
};

export type MailLogRow = NonNullable<Awaited<ReturnType<typeof mailById>>>;

/** The institution's notifications, newest first, without their data (links stay out of view). */
export async function mailLog(db: Queryable, q: MailLogQuery): Promise<{ rows: MailLogRow[]; total: number }> {
  const c: SQL[] = [eq(outbox.institutionId, q.institutionId)];
  if (q.where) c.push(q.where);
  if (q.recipient) c.push(sql`${outbox.recipients}::text ilike ${'%' + q.recipient.replace(/[\\%_]/g, (x) => '\\' + x) + '%'}`);
  const where = and(...c);
  const [rows, [count]] = await Promise.all([
    db.select(MAIL_COLUMNS).from(outbox).where(where).orderBy(desc(outbox.createdAt), desc(outbox.id)).limit(q.limit).offset(q.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(where),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

export async function mailById(db: Queryable, id: number) {
  const [r] = await db.select(MAIL_COLUMNS).from(outbox).where(eq(outbox.id, id));
  return r ?? null;
}

// ——— audit ———

export interface AuditListQuery {
  readonly institutionId: number | null;
  readonly action?: string;
  readonly actor?: string;
  readonly from?: Date;
  readonly until?: Date;
  readonly offset: number;
  readonly limit: number;
}

function auditWhere(q: Omit<AuditListQuery, 'offset' | 'limit'>): SQL | undefined {
  const c: SQL[] = [];
  if (q.institutionId !== null) c.push(eq(auditLog.institutionId, q.institutionId));
  if (q.action) c.push(q.action.endsWith('.') ? like(auditLog.action, q.action.replace(/[\\%_]/g, (x) => '\\' + x) + '%') : eq(auditLog.action, q.action));
  if (q.actor) c.push(eq(auditLog.actor, q.actor));
  if (q.from) c.push(gte(auditLog.at, q.from));
  if (q.until) c.push(lt(auditLog.at, q.until));
  return c.length ? and(...c) : undefined;
}

/** Audit records newest first, with the institution's code. */
export async function auditRecords(db: Queryable, q: AuditListQuery) {
  const where = auditWhere(q);
  const [rows, [count]] = await Promise.all([
    db
      .select({ id: auditLog.id, at: auditLog.at, actor: auditLog.actor, institution: institutions.code, action: auditLog.action, object: auditLog.object, details: auditLog.details, hash: auditLog.hash })
      .from(auditLog)
      .leftJoin(institutions, eq(institutions.id, auditLog.institutionId))
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(q.limit)
      .offset(q.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(where),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

/** The actions used in scope, sorted (the filter's menu). */
export async function auditActions(db: Queryable, institutionId: number | null): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).where(institutionId === null ? undefined : eq(auditLog.institutionId, institutionId)).orderBy(auditLog.action).limit(200);
  return rows.map((r) => r.action);
}
