/** Outbox writes (spec 05 §Delivery): a mail is a row written in the same transaction as its cause. */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { outbox } from '../schema/index.ts';
import { bulkInsert } from './bulk.ts';

export interface Recipient {
  readonly address: string;
  readonly name?: string | null;
}

export interface MailIntent {
  /** Template name (api/mail/templates). */
  readonly kind: string;
  readonly to: readonly Recipient[];
  readonly data: Record<string, unknown>;
  readonly institutionId?: number | null;
  readonly requestId?: number | null;
  readonly serial?: string | null;
}

/**
 * Queues mails; each gets its stable Message-ID now, so retries never make a second message.
 * `referencesOnce`: foreign keys checked once for all rows (PGlite, bulk.ts `checkReferencesOnce`).
 */
export async function enqueueMails(tx: Queryable, now: Date, mailHost: string, mails: readonly MailIntent[], opts: { referencesOnce?: boolean } = {}): Promise<void> {
  const rows = mails
    .filter((m) => m.to.length > 0)
    .map((m) => ({
      kind: m.kind,
      institutionId: m.institutionId ?? null,
      recipients: m.to.map((r) => ({ address: r.address, name: r.name ?? null })),
      data: m.data,
      messageId: `<${randomUUID()}@${mailHost}>`,
      state: 'pending' as const,
      nextAttemptAt: now,
      createdAt: now,
      requestId: m.requestId ?? null,
      serial: m.serial ?? null,
    }));
  // One statement per 2,000 rows: a 10,000-row upload queues 20,000 notices (bulk.ts).
  await bulkInsert(tx, outbox, rows, { referencesOnce: opts.referencesOnce });
}

export type OutboxRow = typeof outbox.$inferSelect;

/**
 * Claims up to `limit` due rows for this process (spec 05 §Delivery: exactly one process delivers a
 * mail). `FOR UPDATE SKIP LOCKED` keeps concurrent workers apart; a claim whose lease ran out (the
 * claimer died mid-send) becomes due again and is re-sent with the same Message-ID.
 */
export async function claimDueMails(db: Queryable, now: Date, leaseUntil: Date, limit: number): Promise<OutboxRow[]> {
  // Times as ISO text with a cast: drizzle maps Dates only for columns, and postgres-js (unlike
  // PGlite) refuses a Date in a raw SQL parameter — the worker never claimed a row on PostgreSQL.
  const at = now.toISOString();
  const rows = await db.execute(sql`
    update outbox set state = 'sending', claimed_until = ${leaseUntil.toISOString()}::timestamptz, attempts = attempts + 1
    where id in (
      select id from outbox
      where (state = 'pending' and next_attempt_at <= ${at}::timestamptz) or (state = 'sending' and claimed_until < ${at}::timestamptz)
      order by id limit ${limit} for update skip locked)
    returning id`);
  const ids = (rows as unknown as { rows?: { id: number }[] }).rows ?? (rows as unknown as { id: number }[]);
  if (ids.length === 0) return [];
  return db.select().from(outbox).where(inArray(outbox.id, ids.map((r) => Number(r.id)))).orderBy(outbox.id);
}

/**
 * Extends this process's claim on a row right before an attempt; false when the claim is no longer
 * ours (it lapsed and another process took the row, or the row was settled).
 */
export async function renewClaim(db: Queryable, id: number, lease: Date, newLease: Date): Promise<boolean> {
  const r = await db
    .update(outbox)
    .set({ claimedUntil: newLease })
    .where(and(eq(outbox.id, id), eq(outbox.state, 'sending'), eq(outbox.claimedUntil, lease)))
    .returning({ id: outbox.id });
  return r.length === 1;
}

/** Conditional updates: only the holder of the claim (state `sending`, its lease) may settle a row. */
export async function markMailSent(db: Queryable, id: number, lease: Date, now: Date): Promise<boolean> {
  return (await markMailsSent(db, [id], lease, now)).length === 1;
}

/**
 * {@link markMailSent} for many rows claimed under one lease, in one statement (the worker settles
 * a bulk upload's notices in groups); returns the ids that were still ours and are now `sent`.
 */
export async function markMailsSent(db: Queryable, ids: readonly number[], lease: Date, now: Date): Promise<number[]> {
  if (ids.length === 0) return [];
  const r = await db
    .update(outbox)
    .set({ state: 'sent', sentAt: now, claimedUntil: null, lastError: null })
    .where(and(inArray(outbox.id, [...ids]), eq(outbox.state, 'sending'), eq(outbox.claimedUntil, lease)))
    .returning({ id: outbox.id });
  return r.map((x) => x.id);
}

/** Back to pending (due at `nextAttemptAt`), or `failed` for good; false when the claim was lost. */
export async function markMailRetry(db: Queryable, id: number, lease: Date, nextAttemptAt: Date, error: string, failed: boolean): Promise<boolean> {
  const r = await db
    .update(outbox)
    .set({ state: failed ? 'failed' : 'pending', nextAttemptAt, claimedUntil: null, lastError: error.slice(0, 1000) })
    .where(and(eq(outbox.id, id), eq(outbox.state, 'sending'), eq(outbox.claimedUntil, lease)))
    .returning({ id: outbox.id });
  return r.length === 1;
}

/**
 * An officer's resend of a failed mail (or one still retrying): back to pending, due now, the same
 * row, Message-ID and Date. The worker's 24-hour retry window counts from `created_at`, so a resend
 * of a mail that had failed for good is one attempt: if it fails again it shows as failed at once,
 * with the new SMTP answer.
 */
export async function requeueMail(db: Queryable, id: number, now: Date, from: readonly ('failed' | 'pending')[] = ['failed']): Promise<boolean> {
  const r = await db
    .update(outbox)
    .set({ state: 'pending', nextAttemptAt: now, attempts: 0, claimedUntil: null })
    .where(and(eq(outbox.id, id), inArray(outbox.state, [...from])))
    .returning({ id: outbox.id });
  return r.length === 1;
}
