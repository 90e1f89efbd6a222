/** Published CRLs: one row per (CA, cRLNumber); the newest is what /pki/crl serves. */
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { certificates, crls } from '../schema/index.ts';

export type CrlRow = typeof crls.$inferSelect;

export async function latestCrl(db: Queryable, ca: string): Promise<CrlRow | null> {
  const [r] = await db.select().from(crls).where(eq(crls.ca, ca)).orderBy(desc(crls.crlNumber)).limit(1);
  return r ?? null;
}

export async function insertCrl(db: Queryable, row: typeof crls.$inferInsert): Promise<void> {
  await db.insert(crls).values(row);
}

/** Serialises CRL publication per CA across processes sharing a PostgreSQL (no-op cost on PGlite). */
export async function lockCrlPublication(db: Queryable, ca: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(7351026, ${ca === 'root' ? 1 : 2})`);
}

/** Revoked certificates of a CA (issued ones only), for its CRL. */
export async function revokedOf(db: Queryable, ca: string) {
  const rows = await db
    .select({ serial: certificates.serial, revokedAt: certificates.revokedAt, reason: certificates.revocationReason })
    .from(certificates)
    .where(and(eq(certificates.ca, ca), eq(certificates.state, 'issued'), isNotNull(certificates.revokedAt)));
  return rows as { serial: string; revokedAt: Date; reason: number | null }[];
}

/** OCSP status source: one row by serial. */
export async function statusBySerial(db: Queryable, serial: string) {
  const [r] = await db
    .select({ state: certificates.state, revokedAt: certificates.revokedAt, reason: certificates.revocationReason })
    .from(certificates)
    .where(and(eq(certificates.ca, 'issuing'), eq(certificates.serial, serial)));
  return r ?? null;
}
