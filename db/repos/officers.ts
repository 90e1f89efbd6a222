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
