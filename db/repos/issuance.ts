/** Queries of the issuance cycle: lock the request, reserve the serial and key, store the result. */
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { certificates, requests } from '../schema/index.ts';

export type NewCertificate = typeof certificates.$inferInsert;

export async function lockRequest(db: Queryable, id: number) {
  const [r] = await db.select().from(requests).where(eq(requests.id, id)).for('update');
  return r ?? null;
}

export async function certificateOfRequest(db: Queryable, requestId: number) {
  const [r] = await db.select().from(certificates).where(eq(certificates.requestId, requestId));
  return r ?? null;
}

/** Another certificate (or reservation) with this public key (spec 03: no key reuse). */
export async function otherCertificateWithKey(db: Queryable, spkiSha256: string, requestId: number) {
  const [r] = await db.select({ id: certificates.id }).from(certificates).where(and(eq(certificates.spkiSha256, spkiSha256), ne(certificates.requestId, requestId)));
  return r ?? null;
}

export async function serialTaken(db: Queryable, serial: string): Promise<boolean> {
  const [r] = await db.select({ id: certificates.id }).from(certificates).where(and(eq(certificates.ca, 'issuing'), eq(certificates.serial, serial)));
  return !!r;
}

export async function reserveCertificate(db: Queryable, row: NewCertificate) {
  const [r] = await db.insert(certificates).values(row).returning();
  return r!;
}

/**
 * Stores the signed certificate; false when the reservation was already completed (a racing process
 * won) or revoked meanwhile (its officer was revoked, `markRevoked`).
 */
export async function storeCertificate(db: Queryable, id: number, der: Uint8Array, notAfter: Date, issuedAt: Date): Promise<boolean> {
  const r = await db.update(certificates).set({ der, notAfter, state: 'issued', issuedAt }).where(and(eq(certificates.id, id), eq(certificates.state, 'reserved'), isNull(certificates.revokedAt))).returning({ id: certificates.id });
  return r.length === 1;
}

export async function dropReservation(db: Queryable, id: number): Promise<void> {
  await db.delete(certificates).where(and(eq(certificates.id, id), eq(certificates.state, 'reserved')));
}

export async function linkRenewal(db: Queryable, oldSerial: string, newSerial: string): Promise<void> {
  await db.update(certificates).set({ renewedBy: newSerial }).where(and(eq(certificates.ca, 'issuing'), eq(certificates.serial, oldSerial)));
}
