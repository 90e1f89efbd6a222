/** Officer queries. */
import { and, asc, eq, ne } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { institutions, officers } from '../schema/index.ts';

export type OfficerRow = typeof officers.$inferSelect;

export interface OfficerView {
  readonly id: number;
  readonly role: 'officer' | 'operator';
  readonly name: string;
  readonly email: string;
  readonly status: 'pending' | 'active' | 'revoked';
  readonly institutionCode: string | null;
  readonly createdAt: Date;
}

export async function listOfficers(db: Queryable, institutionId?: number): Promise<OfficerView[]> {
  const rows = await db
    .select({ o: officers, code: institutions.code })
    .from(officers)
    .leftJoin(institutions, eq(institutions.id, officers.institutionId))
    .where(institutionId === undefined ? undefined : eq(officers.institutionId, institutionId))
    .orderBy(asc(officers.id));
  return rows.map(({ o, code }) => ({ id: o.id, role: o.role, name: o.name, email: o.email, status: o.status, institutionCode: code, createdAt: o.createdAt }));
}

export async function findLiveOfficerByEmail(db: Queryable, email: string): Promise<OfficerRow | null> {
  const [r] = await db.select().from(officers).where(and(eq(officers.email, email), ne(officers.status, 'revoked')));
  return r ?? null;
}

export async function findOfficerById(db: Queryable, id: number): Promise<OfficerRow | null> {
  const [r] = await db.select().from(officers).where(eq(officers.id, id));
  return r ?? null;
}

/** Revokes a live officer; false when it was revoked already. */
export async function markOfficerRevoked(db: Queryable, id: number, now: Date): Promise<boolean> {
  const r = await db.update(officers).set({ status: 'revoked', revokedAt: now }).where(and(eq(officers.id, id), ne(officers.status, 'revoked'))).returning({ id: officers.id });
  return r.length === 1;
}

/** Activates an enrolled officer: only from `pending` (a revoked officer stays revoked). */
export async function activatePendingOfficer(db: Queryable, id: number): Promise<boolean> {
  const r = await db.update(officers).set({ status: 'active' }).where(and(eq(officers.id, id), eq(officers.status, 'pending'))).returning({ id: officers.id });
  return r.length === 1;
}

/** An officer's status, or null for an unknown id. */
export async function officerStatus(db: Queryable, id: number): Promise<OfficerRow['status'] | null> {
  const [r] = await db.select({ status: officers.status }).from(officers).where(eq(officers.id, id));
  return r?.status ?? null;
}

/** The active registration officers of an institution (recipients of officer mails, spec 05). */
export async function activeOfficersOf(db: Queryable, institutionId: number): Promise<OfficerRow[]> {
  return db.select().from(officers).where(and(eq(officers.institutionId, institutionId), eq(officers.status, 'active'), eq(officers.role, 'officer'))).orderBy(asc(officers.id));
}
