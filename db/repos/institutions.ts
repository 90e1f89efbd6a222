/** Institution queries (the only SQL for institutions). */
import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { institutions } from '../schema/index.ts';
import type { Institution } from '../../api/domain/institution.ts';
import type { DownloadMethod, KeyAlgorithm, ProfileId } from '../../api/domain/profiles.ts';

export type InstitutionRow = typeof institutions.$inferSelect;
export type InstitutionRecord = Institution & { readonly id: number };

export function toInstitution(r: InstitutionRow): InstitutionRecord {
  return {
    id: r.id,
    code: r.code,
    ja: r.nameJa,
    en: r.nameEn,
    o: r.o,
    l: r.l,
    st: r.st,
    domains: r.domains,
    review: r.review,
    approvalExpires: r.approvalExpires,
    status: r.status,
    whoisOrg: r.whoisOrg,
    profiles: r.profiles as ProfileId[],
    methods: r.methods as DownloadMethod[],
    keyAlgorithm: r.keyAlgorithm as KeyAlgorithm,
  };
}

export function toRow(i: Institution, now: Date) {
  return {
    code: i.code,
    nameJa: i.ja,
    nameEn: i.en,
    o: i.o,
    l: i.l,
    st: i.st,
    domains: [...i.domains],
    review: i.review,
    approvalExpires: i.approvalExpires,
    status: i.status,
    whoisOrg: i.whoisOrg,
    profiles: [...i.profiles],
    methods: [...i.methods],
    keyAlgorithm: i.keyAlgorithm,
    updatedAt: now,
  };
}

export async function findInstitutionByCode(db: Queryable, code: string): Promise<InstitutionRecord | null> {
  const [r] = await db.select().from(institutions).where(eq(institutions.code, code));
  return r ? toInstitution(r) : null;
}

export async function findInstitutionById(db: Queryable, id: number): Promise<InstitutionRecord | null> {
  const [r] = await db.select().from(institutions).where(eq(institutions.id, id));
  return r ? toInstitution(r) : null;
}

export async function listInstitutions(db: Queryable): Promise<InstitutionRecord[]> {
  return (await db.select().from(institutions).orderBy(asc(institutions.code))).map(toInstitution);
}

/** Inserts; returns null when the code exists already (unique index). */
export async function insertInstitution(db: Queryable, i: Institution, now: Date): Promise<InstitutionRecord | null> {
  const rows = await db.insert(institutions).values({ ...toRow(i, now), createdAt: now }).onConflictDoNothing().returning();
  return rows[0] ? toInstitution(rows[0]) : null;
}

export async function updateInstitutionRow(db: Queryable, id: number, i: Institution, now: Date): Promise<void> {
  await db.update(institutions).set(toRow(i, now)).where(eq(institutions.id, id));
}
