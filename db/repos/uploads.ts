/** Upload records and the rows an upload creates. */
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../client.ts';
import { requests, uploads } from '../schema/index.ts';
import type { NewRequest } from './requests.ts';
import { bulkInsert, reserveIds, sendInsert } from './bulk.ts';

export type UploadRow = typeof uploads.$inferSelect;

/** Records an upload, complete (its report can be megabytes: only the id comes back). */
export async function insertUpload(db: Queryable, row: typeof uploads.$inferInsert): Promise<{ id: number }> {
  const [r] = await db.insert(uploads).values(row).returning({ id: uploads.id });
  return r!;
}

/**
 * Namespace of the per-institution upload lock; 7351024–7351026 are taken (db/client.ts migrations,
 * runtime/bootstrap.ts CA creation, repos/crls.ts CRL numbers).
 */
const UPLOAD_LOCK = 7351027;

/**
 * Serialises the uploads of one institution on PostgreSQL until the transaction ends
 * (`pg_advisory_xact_lock(int, int)`): a later upload validates against what an earlier one
 * registered (212, 230). Take it first in the upload transaction.
 */
export async function lockInstitutionUploads(tx: Tx, institutionId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${UPLOAD_LOCK}, ${institutionId})`);
}

/** Ids for `n` new requests, taken from the identity sequence before they are written. */
export function reserveRequestIds(db: Queryable, n: number): Promise<number[]> {
  return reserveIds(db, requests, 'id', n);
}

/**
 * Inserts many requests with ids from `reserveRequestIds` — and with their PIN hash, escrowed PIN
 * and URL ids already set, so that an upload writes each request once (one statement per 2,000,
 * `bulk.ts`) instead of inserting it and updating it again (spec 08 §Performance). `referencesOnce`:
 * foreign keys checked by one query afterwards instead of per row (PGlite, `checkReferencesOnce`).
 */
export async function insertRequests(db: Queryable, rows: readonly (NewRequest & { id: number })[], opts: { referencesOnce?: boolean } = {}): Promise<void> {
  await bulkInsert(db, requests, rows, { overridingIdentity: true, referencesOnce: opts.referencesOnce });
}

/** `insertRequests` that resolves once the rows are sent; `done` when they are stored (bulk.ts `sendInsert`). */
export async function sendRequests(db: Queryable, rows: readonly (NewRequest & { id: number })[]): Promise<{ done: Promise<unknown> }> {
  return sendInsert(db, requests, rows, { overridingIdentity: true });
}

export async function findUpload(db: Queryable, id: number, institutionId: number): Promise<UploadRow | null> {
  const [r] = await db.select().from(uploads).where(and(eq(uploads.id, id), eq(uploads.institutionId, institutionId)));
  return r ?? null;
}

/** Administrator change (format D): later notifications go to the new administrator. */
export async function changeAdministrator(db: Queryable, requestId: number, admin: { name: string; affiliation: string; mail: string }, now: Date): Promise<void> {
  await db.update(requests).set({ adminName: admin.name, adminAffiliation: admin.affiliation, adminMail: admin.mail, updatedAt: now }).where(eq(requests.id, requestId));
}
