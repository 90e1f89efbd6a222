/** Public read-only use cases: health and the institution profile JSON (spec README, spec 06 §API). */
import { sql } from 'drizzle-orm';
import { findInstitutionByCode } from '../../db/repos/institutions.ts';
import { toProfile, type InstitutionProfile } from '../domain/institution.ts';
import { HakkoError } from '../errors.ts';
import type { Services } from '../services.ts';

export async function health(s: Services, version: string) {
  await s.db.execute(sql`select 1`);
  return { ok: true, version, database: s.dbKind, publicUrl: s.config.publicUrl, publicHttpsUrl: s.config.publicHttpsUrl, rootSha256: s.ca.show().root.sha256 };
}

export async function institutionProfile(s: Services, code: string): Promise<InstitutionProfile> {
  const inst = await findInstitutionByCode(s.db, code);
  if (!inst) throw new HakkoError('NOT_FOUND');
  return toProfile(inst);
}
