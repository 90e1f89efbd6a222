/** Outbox writes (spec 05 §Delivery): a mail is a row written in the same transaction as its cause. */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { outbox } from '../schema/index.ts';

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

/** Queues mails; each gets its stable Message-ID now, so retries never make a second message. */
export async function enqueueMails(tx: Queryable, now: Date, mailHost: string, mails: readonly MailIntent[]): Promise<void> {
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
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(outbox).values(rows.slice(i, i + 1000));
}

export type OutboxRow = typeof outbox.$inferSelect;

/**
 * Claims up to `limit` due rows for this process (spec 05 §Delivery: exactly one process delivers a
 * mail). `FOR UPDATE SKIP LOCKED` keeps concurrent workers apart; a claim whose lease ran out (the
 * claimer died mid-send) becomes due again and is re-sent with the same Message-ID.
 */
export async function claimDueMails(db: Queryable, now: Date, leaseUntil: Date, limit: number): Promise<OutboxRow[]> {
  const rows = await db.execute(sql`
    update outbox set state = 'sending', claimed_until = ${leaseUntil}, attempts = attempts + 1
    where id in (
      select id from outbox
      where (state = 'pending' and next_attempt_at <= ${now}) or (state = 'sending' and claimed_until < ${now})
      order by id limit ${limit} for update skip locked)
    returning id`);
  const ids = (rows as unknown as { rows?: { id: number }[] }).rows ?? (rows as unknown as { id: number }[]);
  if (ids.length === 0) return [];
  return db.select().from(outbox).where(inArray(outbox.id, ids.map((r) => Number(r.id)))).orderBy(outbox.id);
}

/** Conditional updates: only the claimer (state `sending`) may settle a row. */
export async function markMailSent(db: Queryable, id: number, now: Date): Promise<void> {
  await db.update(outbox).set({ state: 'sent', sentAt: now, claimedUntil: null, lastError: null }).where(and(eq(outbox.id, id), eq(outbox.state, 'sending')));
}

export async function markMailRetry(db: Queryable, id: number, nextAttemptAt: Date, error: string, failed: boolean): Promise<void> {
  await db
    .update(outbox)
    .set({ state: failed ? 'failed' : 'pending', nextAttemptAt, claimedUntil: null, lastError: error.slice(0, 1000) })
    .where(and(eq(outbox.id, id), eq(outbox.state, 'sending')));
}

/** An officer's resend of a failed mail: back to pending, due now. */
export async function requeueMail(db: Queryable, id: number, now: Date): Promise<boolean> {
  const r = await db.update(outbox).set({ state: 'pending', nextAttemptAt: now, attempts: 0 }).where(and(eq(outbox.id, id), eq(outbox.state, 'failed'))).returning({ id: outbox.id });
  return r.length === 1;
}
