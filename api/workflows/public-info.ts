/** Read-only use cases: health, the institution profile JSON (spec README, spec 06 §API), the officer's allowlist. */
import { sql } from 'drizzle-orm';
import { findInstitutionByCode, findInstitutionById } from '../../db/repos/institutions.ts';
import type { InstitutionDetailJson } from '../domain/api/officer.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';
import { institutionOf } from './officer-scope.ts';
import { readSettings } from '../../db/repos/settings.ts';
import { toProfile, type InstitutionProfile } from '../domain/institution.ts';
import { HakkoError } from '../errors.ts';
import type { Services } from '../services.ts';

export async function health(s: Services, version: string) {
  await s.db.execute(sql`select 1`);
  return { ok: true as const, version, database: s.dbKind, publicUrl: s.config.publicUrl, publicHttpsUrl: s.config.publicHttpsUrl, rootSha256: s.ca.show().root.sha256 };
}

export async function institutionProfile(s: Services, code: string): Promise<InstitutionProfile> {
  const inst = await findInstitutionByCode(s.db, code);
  if (!inst) throw new HakkoError('NOT_FOUND');
  return toProfile(inst);
}

/**
 * The officer's own institution as registered (spec 06 §Dashboard: Allowlist). `whoisCheck`: the
 * WHOIS rule of spec 02 applies — the institution has a WHOIS organisation and some registered
 * domain's top-level domain has a server in WHOIS_SERVERS ("when no server is configured the check
 * is off and the dashboard says so").
 */
export async function officerInstitution(s: Services, officer: AuthenticatedOfficer): Promise<InstitutionDetailJson> {
  const inst = await findInstitutionById(s.db, institutionOf(officer));
  if (!inst) throw new HakkoError('NOT_FOUND');
  const tlds = inst.domains.map((d) => d.slice(d.lastIndexOf('.') + 1).toLowerCase());
  const whoisCheck = inst.whoisOrg !== null && tlds.some((t) => s.config.whoisServers.has(t));
  const settings = await readSettings(s.db);
  const uploadRules = { maxBytes: settings['upload.maxBytes'], maxLines: settings['upload.maxLines'], w227IsError: settings['tsv.w227IsError'] };
  return {
    code: inst.code, ja: inst.ja, en: inst.en, o: inst.o, l: inst.l, st: inst.st, domains: [...inst.domains], profiles: [...inst.profiles], methods: [...inst.methods],
    review: inst.review, approvalExpires: inst.approvalExpires, status: inst.status, whoisOrg: inst.whoisOrg, whoisCheck, keyAlgorithm: inst.keyAlgorithm, uploadRules,
  };
}
