/** Queries of the periodic sweep (expiry, reminders). */
import { and, eq, inArray, isNotNull, isNull, lte, gt, not, like, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { certificates, institutions, requests, urlTokens } from '../schema/index.ts';

/** Active URL tokens whose time is up (locked for this transaction, skipping ones another process holds). */
export async function dueExpiredTokens(db: Queryable, now: Date, limit = 500) {
  return db.select().from(urlTokens).where(and(eq(urlTokens.state, 'active'), lte(urlTokens.expiresAt, now))).limit(limit).for('update', { skipLocked: true });
}

export async function markTokensExpired(db: Queryable, ids: readonly number[]) {
  if (ids.length) await db.update(urlTokens).set({ state: 'expired' }).where(and(inArray(urlTokens.id, ids as number[]), eq(urlTokens.state, 'active')));
}

export async function requestsOfPickupUrls(db: Queryable, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db.select().from(requests).where(inArray(requests.pickupUrlId, ids as number[]));
}

/**
 * Valid, not renewed certificates expiring within `days` whose reminder `tag` was not sent yet.
 * Rows another process is reminding right now are skipped (several API processes sweep one database).
 */
export async function certificatesDueForReminder(db: Queryable, now: Date, days: number, tag: string, limit = 500) {
  const until = new Date(now.getTime() + days * 86_400_000);
  return db
    .select({ c: certificates, r: requests, i: institutions })
    .from(certificates)
    .innerJoin(requests, eq(requests.id, certificates.requestId))
    .innerJoin(institutions, eq(institutions.id, certificates.institutionId))
    .where(and(eq(certificates.kind, 'subscriber'), eq(certificates.state, 'issued'), isNull(certificates.revokedAt), isNull(certificates.renewedBy), gt(certificates.notAfter, now), lte(certificates.notAfter, until), not(like(certificates.remindersSent, `%[${tag}]%`))))
    .orderBy(certificates.id)
    .limit(limit)
    .for('update', { of: certificates, skipLocked: true });
}

/**
 * Old certificates still valid ≥ `days` after their renewal was picked up, not yet reminded. The
 * time goes into the raw subquery comparison as ISO text: postgres-js refuses a bare Date there.
 */
export async function replacedStillValid(db: Queryable, now: Date, days: number, limit = 500) {
  const before = new Date(now.getTime() - days * 86_400_000);
  const newer = sql`(select n.issued_at from certificates n where n.ca = 'issuing' and n.serial = ${certificates.renewedBy})`;
  return db
    .select({ c: certificates, i: institutions, userName: requests.userName, newIssuedAt: sql<Date>`${newer}`.mapWith(certificates.issuedAt) })
    .from(certificates)
    .innerJoin(institutions, eq(institutions.id, certificates.institutionId))
    .leftJoin(requests, eq(requests.id, certificates.requestId))
    .where(and(isNotNull(certificates.renewedBy), isNull(certificates.revokedAt), gt(certificates.notAfter, now), sql`${newer} <= ${before.toISOString()}::timestamptz`, not(like(certificates.remindersSent, '%[revoke-old]%'))))
    .orderBy(certificates.id)
    .limit(limit)
    .for('update', { of: certificates, skipLocked: true });
}

/** Records that reminder `tag` went out; false when it had been recorded already (another process won). */
export async function markReminded(db: Queryable, certificateId: number, tag: string): Promise<boolean> {
  const r = await db
    .update(certificates)
    .set({ remindersSent: sql`${certificates.remindersSent} || ${`[${tag}]`}` })
    .where(and(eq(certificates.id, certificateId), not(like(certificates.remindersSent, `%[${tag}]%`))))
    .returning({ id: certificates.id });
  return r.length === 1;
}

