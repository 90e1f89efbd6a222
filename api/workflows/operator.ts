/**
 * The operator's dashboard (spec 06 §Operator, issue 13): the CLI's use cases behind
 * `/api/operator/…` — institutions (add, update, suspend, resume), officers (enroll, list, revoke),
 * the CA overview and the settings. Every change goes through the same workflow as the CLI
 * (institutions.ts, enroll-officer.ts, officers.ts, settings.ts); the actor is the operator's
 * certificate (`cert:SERIAL`).
 */
import { listOfficers, findOfficerById, type OfficerView } from '../../db/repos/officers.ts';
import { latestCrl } from '../../db/repos/crls.ts';
import type { InstitutionRecord } from '../../db/repos/institutions.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';
import type { CaOverviewJson, EnrollmentJson, InstitutionCreateInput, InstitutionPatchInput, OperatorInstitutionJson, OperatorOfficerJson } from '../domain/api/operator.ts';
import { describeCertificate } from '../pki/describe.ts';
import { renewalDue } from '../pki/hierarchy.ts';
import { pkiUrls } from '../pki/builder.ts';
import { HakkoError, invalid } from '../errors.ts';
import type { Services } from '../services.ts';
import { addInstitution, allInstitutions, getInstitution, updateInstitution } from './institutions.ts';
import { enrollOfficer } from './enroll-officer.ts';
import { officersOf, revokeOfficer } from './officers.ts';

const actorOf = (who: AuthenticatedOfficer) => `cert:${who.certSerial}`;

function toInstitution(i: InstitutionRecord, officers: readonly OfficerView[]): OperatorInstitutionJson {
  return {
    code: i.code, ja: i.ja, en: i.en, o: i.o, l: i.l, st: i.st, domains: [...i.domains], review: i.review, approvalExpires: i.approvalExpires, status: i.status,
    whoisOrg: i.whoisOrg, profiles: [...i.profiles], methods: [...i.methods], keyAlgorithm: i.keyAlgorithm,
    officers: officers.filter((o) => o.institutionCode === i.code && o.status !== 'revoked').length,
  };
}

export function toOfficer(o: OfficerView): OperatorOfficerJson {
  return { id: String(o.id), email: o.email, name: o.name, role: o.role, status: o.status, institution: o.institutionCode, createdAt: o.createdAt.toISOString() };
}

export async function operatorInstitutions(s: Pick<Services, 'db' | 'clock'>): Promise<OperatorInstitutionJson[]> {
  const [list, officers] = await Promise.all([allInstitutions(s), listOfficers(s.db)]);
  return list.map((i) => toInstitution(i, officers));
}

export async function operatorInstitution(s: Pick<Services, 'db' | 'clock'>, code: string): Promise<OperatorInstitutionJson> {
  const i = await getInstitution(s, code);
  return toInstitution(i, await listOfficers(s.db, i.id));
}

export async function createInstitution(s: Pick<Services, 'db' | 'clock'>, who: AuthenticatedOfficer, body: InstitutionCreateInput): Promise<OperatorInstitutionJson> {
  const i = await addInstitution(s, body, actorOf(who));
  return toInstitution(i, []);
}

export async function changeInstitution(s: Pick<Services, 'db' | 'clock'>, who: AuthenticatedOfficer, code: string, patch: InstitutionPatchInput & { status?: 'active' | 'suspended' }): Promise<OperatorInstitutionJson> {
  await updateInstitution(s, code, patch, actorOf(who));
  return operatorInstitution(s, code);
}

export async function operatorOfficers(s: Pick<Services, 'db'>, institution?: string): Promise<OperatorOfficerJson[]> {
  return (await officersOf(s, institution ?? null)).map(toOfficer);
}

/** Enrolls an officer or operator: the URL and PIN are in this answer only (stored as hashes). */
export async function enrollFromDashboard(s: Services, who: AuthenticatedOfficer, body: { institution: string | null; operator: boolean; name: string; email: string }): Promise<EnrollmentJson> {
  const e = await enrollOfficer(s, { institution: body.institution || null, operator: body.operator, name: body.name, email: body.email }, actorOf(who));
  const [o] = (await listOfficers(s.db)).filter((x) => x.id === e.officerId);
  return { url: e.url, pin: e.pin, expiresAt: e.expiresAt, officer: toOfficer(o!) };
}

/** Revokes an officer (its certificates too); an operator cannot revoke the officer record it is signed in as. */
export async function revokeFromDashboard(s: Services, who: AuthenticatedOfficer, id: number): Promise<OperatorOfficerJson> {
  const o = await findOfficerById(s.db, id);
  if (!o || o.status === 'revoked') throw new HakkoError('NOT_FOUND', { text: { en: 'No such officer (or already revoked).', ja: '登録担当者が見つかりません(すでに失効している可能性があります)。' } });
  if (o.id === who.officerId) throw invalid('You cannot revoke yourself: ask another operator, or use `hakko officer revoke` on the server.', '自分自身は失効できません。別のオペレータに依頼するか、サーバ上で hakko officer revoke を実行してください。');
  await revokeOfficer(s, o.email, actorOf(who));
  const [after] = (await listOfficers(s.db)).filter((x) => x.id === id);
  return toOfficer(after!);
}

const fingerprint = (hex: string) => hex.toUpperCase().match(/../g)!.join(':');

/** Root, issuing, OCSP, mail and TLS certificates, the current CRLs and when the service certificates renew. */
export async function caOverview(s: Services): Promise<CaOverviewJson> {
  const names = ['root', 'issuing', 'ocsp', 'mail', 'tls'] as const;
  const certificates = names.map((name) => {
    const e = s.ca.entity(name);
    const d = describeCertificate(e.certificate.der);
    return {
      name, subject: d.subject, issuer: d.issuer, serial: d.serialDecimal, sha256: fingerprint(e.sha256), notBefore: e.certificate.notBefore.toISOString(),
      notAfter: e.certificate.notAfter.toISOString(), renewsAt: name === 'root' || name === 'issuing' ? null : renewalDue(e.certificate).toISOString(), pem: e.pem,
    };
  });
  const urls = pkiUrls(s.config.publicPkiUrl);
  const crls = [];
  for (const ca of ['root', 'issuing'] as const) {
    const c = await latestCrl(s.db, ca);
    if (c) crls.push({ ca, number: String(c.crlNumber), thisUpdate: c.thisUpdate.toISOString(), nextUpdate: c.nextUpdate.toISOString(), url: urls.crl(ca) });
  }
  return { certificates, crls, policyArc: s.ca.policyArc };
}
