/** Lookups for client-certificate authentication (spec 06 §Authentication). */
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { certificates, institutions, officers } from '../schema/index.ts';

export async function findCertificateBySerial(db: Queryable, serial: string) {
  const [r] = await db.select().from(certificates).where(and(eq(certificates.ca, 'issuing'), eq(certificates.serial, serial)));
  return r ?? null;
}

/** The officer a certificate belongs to, with its institution. */
export async function findOfficerForCertificate(db: Queryable, certificateId: number) {
  const [r] = await db
    .select({ officer: officers, inst: institutions })
    .from(certificates)
    .innerJoin(officers, eq(officers.id, certificates.officerId))
    .leftJoin(institutions, eq(institutions.id, officers.institutionId))
    .where(eq(certificates.id, certificateId));
  return r ?? null;
}
