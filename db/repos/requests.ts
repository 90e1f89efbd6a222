/** Request and URL-token queries; every state change is a conditional update (STYLE.md practice 4). */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { institutions, officers, requests, uploads, urlTokens } from '../schema/index.ts';
import { TRANSITIONS, type RequestEvent } from '../../api/domain/request-state.ts';
import { bulkInsert, bulkUpdate, reserveIds, sendInsert } from './bulk.ts';

export type RequestRow = typeof requests.$inferSelect;
export type UrlTokenRow = typeof urlTokens.$inferSelect;
export type NewRequest = typeof requests.$inferInsert;

export async function findUrlToken(db: Queryable, hash: Uint8Array): Promise<UrlTokenRow | null> {
  const [r] = await db.select().from(urlTokens).where(eq(urlTokens.tokenHash, hash));
  return r ?? null;
}

export async function lockUrlToken(db: Queryable, id: number): Promise<UrlTokenRow | null> {
  const [r] = await db.select().from(urlTokens).where(eq(urlTokens.id, id)).for('update');
  return r ?? null;
}

/** Ids for `n` new URL tokens, taken from the identity sequence before they are written. */
export function reserveUrlTokenIds(db: Queryable, n: number): Promise<number[]> {
  return reserveIds(db, urlTokens, 'id', n);
}

/** Inserts many tokens with ids from `reserveUrlTokenIds`: one statement per 2,000 (`bulk.ts`). */
export async function insertUrlTokens(db: Queryable, rows: readonly (typeof urlTokens.$inferInsert & { id: number })[]): Promise<void> {
  await bulkInsert(db, urlTokens, rows, { overridingIdentity: true });
}

/** `insertUrlTokens` that resolves once the rows are sent; `done` when they are stored (bulk.ts `sendInsert`). */
export function sendUrlTokens(db: Queryable, rows: readonly (typeof urlTokens.$inferInsert & { id: number })[]): Promise<{ done: Promise<unknown> }> {
  return sendInsert(db, urlTokens, rows, { overridingIdentity: true });
}

/** Moves an active token to a final state; false when it was not active any more (someone else won). */
export async function closeUrlToken(db: Queryable, id: number, state: 'used' | 'expired' | 'cancelled' | 'reissued', now: Date): Promise<boolean> {
  const r = await db.update(urlTokens).set({ state, usedAt: now }).where(and(eq(urlTokens.id, id), eq(urlTokens.state, 'active'))).returning({ id: urlTokens.id });
  return r.length === 1;
}

/**
 * Retires a token replaced by a re-issue or closed by a cancellation: an active one, and also a PIN
 * URL that was already used, so that it answers REISSUED / CANCELLED (what happened last) rather
 * than ALREADY_USED. The request itself has no certificate (the callers check that).
 */
export async function retireUrlToken(db: Queryable, id: number, state: 'cancelled' | 'reissued', now: Date): Promise<boolean> {
  const r = await db.update(urlTokens).set({ state, usedAt: now }).where(and(eq(urlTokens.id, id), inArray(urlTokens.state, ['active', 'used']))).returning({ id: urlTokens.id });
  return r.length === 1;
}

/** Counts a wrong PIN; returns the new count. */
export async function countFailedAttempt(db: Queryable, id: number): Promise<number> {
  const [r] = await db.update(urlTokens).set({ failedAttempts: sql`${urlTokens.failedAttempts} + 1` }).where(eq(urlTokens.id, id)).returning({ n: urlTokens.failedAttempts });
  return r?.n ?? 0;
}

export async function requestsByUrl(db: Queryable, purpose: 'pin' | 'pickup', urlId: number): Promise<RequestRow[]> {
  const col = purpose === 'pin' ? requests.pinUrlId : requests.pickupUrlId;
  return db.select().from(requests).where(eq(col, urlId)).orderBy(asc(requests.seq), asc(requests.id));
}

/** The enrollment requests of an officer (spec 04: enrollment pickups), locked for the caller's transaction. */
export async function enrollmentRequestsOf(db: Queryable, officerId: number): Promise<RequestRow[]> {
  return db.select().from(requests).where(and(eq(requests.officerId, officerId), inArray(requests.kind, ['officer', 'operator']))).orderBy(asc(requests.id)).for('update');
}

export async function findRequest(db: Queryable, id: number): Promise<RequestRow | null> {
  const [r] = await db.select().from(requests).where(eq(requests.id, id));
  return r ?? null;
}

export async function institutionOfRequest(db: Queryable, r: RequestRow) {
  if (r.institutionId === null) return null;
  const [i] = await db.select().from(institutions).where(eq(institutions.id, r.institutionId));
  return i ?? null;
}

/**
 * Applies `event` to the given requests where their state allows it (spec 01 §States); returns the ids
 * that moved. Callers compare with what they expected and treat a shortfall as a lost race.
 */
export async function transitionRequests(db: Queryable, ids: readonly number[], event: RequestEvent, now: Date, set: Partial<NewRequest> = {}): Promise<number[]> {
  if (ids.length === 0) return [];
  const t = TRANSITIONS[event];
  const moved: number[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const r = await db
      .update(requests)
      .set({ ...set, state: t.to, updatedAt: now })
      .where(and(inArray(requests.id, ids.slice(i, i + 1000) as number[]), inArray(requests.state, t.from as string[] as never[])))
      .returning({ id: requests.id });
    moved.push(...r.map((x) => x.id));
  }
  return moved;
}

export async function updateRequests(db: Queryable, ids: readonly number[], set: Partial<NewRequest>): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) await db.update(requests).set(set).where(inArray(requests.id, ids.slice(i, i + 1000) as number[]));
}

/** The earliest expiry among the given URL tokens. */
export async function earliestExpiry(db: Queryable, ids: readonly number[]): Promise<Date | null> {
  if (ids.length === 0) return null;
  const rows = await db.select({ e: urlTokens.expiresAt }).from(urlTokens).where(inArray(urlTokens.id, [...new Set(ids)]));
  return rows.reduce<Date | null>((a, r) => (a === null || r.e < a ? r.e : a), null);
}

/** The officer who uploaded a request's file (recipient of method-2 PIN notices and pickup mails). */
export async function uploaderOf(db: Queryable, uploadId: number | null) {
  if (uploadId === null) return null;
  const [r] = await db.select({ name: officers.name, email: officers.email, status: officers.status }).from(uploads).innerJoin(officers, eq(officers.id, uploads.officerId)).where(eq(uploads.id, uploadId));
  return r ?? null;
}

export interface RequestSecrets {
  readonly id: number;
  readonly pinHash: Uint8Array;
  readonly pinEnc: Uint8Array;
  readonly pinUrlId: number;
  readonly pickupUrlId: number;
}

/** Stores PIN hash, escrowed PIN and URL ids for many requests: one statement per 2,000 (`bulk.ts`). */
export async function setRequestSecrets(db: Queryable, rows: readonly RequestSecrets[], now: Date): Promise<void> {
  // Raw SQL gets the time as an ISO string: drizzle's postgres-js driver passes Date parameters through unserialised.
  await bulkUpdate(db, requests, 'id', rows, sql`pin_retrieved_at = null, updated_at = ${now.toISOString()}::timestamptz`);
}
