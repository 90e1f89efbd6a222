/** Revocation writes: conditional, so nothing is revoked twice and nothing is ever un-revoked. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { certificates, requests } from '../schema/index.ts';
import type { CertificateRow } from './certificates.ts';

/**
 * Revokes an issued certificate — or, with `state: 'reserved'`, a reservation whose certificate is
 * still being signed, which can then no longer be stored (`storeCertificate` requires an unrevoked
 * reservation). False when it was revoked already or is not in that state.
 */
export async function markRevoked(db: Queryable, id: number, at: Date, reason: number, comment: string | null, by: string, state: 'issued' | 'reserved' = 'issued'): Promise<boolean> {
  const r = await db
    .update(certificates)
    .set({ revokedAt: at, revocationReason: reason, revocationComment: comment, revokedBy: by })
    .where(and(eq(certificates.id, id), isNull(certificates.revokedAt), eq(certificates.state, state)))
    .returning({ id: certificates.id });
  return r.length === 1;
}

export async function requestOfCertificate(db: Queryable, c: CertificateRow) {
  if (c.requestId === null) return null;
  const [r] = await db.select().from(requests).where(eq(requests.id, c.requestId));
  return r ?? null;
}


/** Tells every process at commit that revocation status changed (OCSP caches, spec 03). */
export async function notifyRevoked(db: Queryable): Promise<void> {
  await db.execute(sql`select pg_notify('hakko_revoked', '')`);
}
