/** Upload records and the rows an upload creates. */
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { requests, uploads } from '../schema/index.ts';
import type { NewRequest, RequestRow } from './requests.ts';

export type UploadRow = typeof uploads.$inferSelect;

export async function insertUpload(db: Queryable, row: typeof uploads.$inferInsert): Promise<UploadRow> {
  const [r] = await db.insert(uploads).values(row).returning();
  return r!;
}

export async function finishUpload(db: Queryable, id: number, registered: number, rejected: number, result: unknown): Promise<void> {
  await db.update(uploads).set({ registered, rejected, result }).where(eq(uploads.id, id));
}

export async function insertRequests(db: Queryable, rows: readonly NewRequest[]): Promise<RequestRow[]> {
  const out: RequestRow[] = [];
  for (let i = 0; i < rows.length; i += 500) out.push(...(await db.insert(requests).values(rows.slice(i, i + 500) as NewRequest[]).returning()));
  return out;
}

export async function findUpload(db: Queryable, id: number, institutionId: number): Promise<UploadRow | null> {
  const [r] = await db.select().from(uploads).where(and(eq(uploads.id, id), eq(uploads.institutionId, institutionId)));
  return r ?? null;
}

/** Administrator change (format D): later notifications go to the new administrator. */
export async function changeAdministrator(db: Queryable, requestId: number, admin: { name: string; affiliation: string; mail: string }, now: Date): Promise<void> {
  await db.update(requests).set({ adminName: admin.name, adminAffiliation: admin.affiliation, adminMail: admin.mail, updatedAt: now }).where(eq(requests.id, requestId));
}
