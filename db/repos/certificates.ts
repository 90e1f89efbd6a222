/** Certificate queries. */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { certificates } from '../schema/index.ts';

export type CertificateRow = typeof certificates.$inferSelect;

export async function certificatesOfRequests(db: Queryable, requestIds: readonly number[]): Promise<CertificateRow[]> {
  if (requestIds.length === 0) return [];
  return db.select().from(certificates).where(inArray(certificates.requestId, requestIds as number[])).orderBy(asc(certificates.id));
}

export async function certificateBySerial(db: Queryable, serial: string): Promise<CertificateRow | null> {
  const [r] = await db.select().from(certificates).where(and(eq(certificates.ca, 'issuing'), eq(certificates.serial, serial)));
  return r ?? null;
}

export async function certificatesBySerials(db: Queryable, serials: readonly string[]): Promise<CertificateRow[]> {
  if (serials.length === 0) return [];
  const out: CertificateRow[] = [];
  for (let i = 0; i < serials.length; i += 1000) {
    out.push(...(await db.select().from(certificates).where(and(eq(certificates.ca, 'issuing'), inArray(certificates.serial, serials.slice(i, i + 1000) as string[])))));
  }
  return out;
}

/** An officer's unrevoked certificates: issued ones and reservations still being signed. */
export async function unrevokedCertificatesOfOfficer(db: Queryable, officerId: number): Promise<CertificateRow[]> {
  return db.select().from(certificates).where(and(eq(certificates.officerId, officerId), isNull(certificates.revokedAt), inArray(certificates.state, ['issued', 'reserved'])));
}

/** Records a system certificate (issuing CA, OCSP responder, mail signer, TLS) so CRL/OCSP know it. */
export async function recordSystemCertificate(db: Queryable, row: typeof certificates.$inferInsert): Promise<void> {
  await db.insert(certificates).values(row).onConflictDoNothing();
}
