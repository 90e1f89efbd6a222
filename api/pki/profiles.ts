/**
 * Certificate profiles → the exact contents of an end-entity certificate (spec 03 §End-entity
 * profiles). One function, `profileRules`, decides subject, key usage, EKU, SAN, policy and validity
 * from what the request authorised and the key type; the builder encodes it and `checkIssued`
 * compares the signed certificate against it (STYLE.md practice 1: the request decides).
 */
import { OFFICER_VALIDITY_MONTHS, PROFILES, addMonths, isProfileId, profileNotAfter, type ProfileFamily, type ProfileId } from '../domain/profiles.ts';
import { subjectProblem, type DnAttribute } from './names.ts';
import { OID } from './oids.ts';
import type { KeyUsage, GeneralName } from './extensions.ts';
import type { KeyInfo } from './keys.ts';
import { PkiError } from './errors.ts';

/** A TSV profile, or the officer / operator login certificate (spec 03, spec 06 §Authentication). */
export type CertProfile = ProfileId | 'officer' | 'operator';

/** What an accepted request authorised: the only source of a certificate's identity. */
export interface IssueRequest {
  readonly profile: CertProfile;
  /** The request DN, most specific first (`CN`, `OU`…, `O`, `L`, `ST`, `C`), as in the TSV string. */
  readonly subject: readonly DnAttribute[];
  /** The user's mail (TSV column 14; the officer's mail): the SAN rfc822Name. */
  readonly mail: string;
}

export interface ProfileRules {
  readonly family: ProfileFamily;
  /** Certificate subject, most specific first. */
  readonly subject: readonly DnAttribute[];
  readonly keyUsage: readonly KeyUsage[];
  readonly extKeyUsage: readonly string[];
  readonly san: readonly GeneralName[];
  readonly policy: string;
  readonly notAfter: Date;
}

export const OFFICER_OU = 'Registration Officer';
export const OPERATOR_OU = 'Operator';

/** Policy OID of a profile: `<arc>.1.<profile id>`, officers `<arc>.2.1`, operators `<arc>.2.2` (spec 03 §Policy OIDs). */
export function policyOid(arc: string, profile: CertProfile): string {
  return profile === 'officer' ? `${arc}.2.1` : profile === 'operator' ? `${arc}.2.2` : `${arc}.1.${profile}`;
}

const MAIL_RE = /^[A-Za-z0-9._+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/**
 * The certificate contents for a request and key (spec 03 §End-entity profiles):
 * - client (5, 13, 14, officer, operator): subject = the request DN; KU digitalSignature
 *   (+ keyEncipherment for RSA); EKU clientAuth;
 * - S/MIME (7, 15, 16): subject `CN=<mail>` only; KU digitalSignature + keyEncipherment (RSA) or
 *   keyAgreement (EC); EKU emailProtection;
 * - all: SAN rfc822Name = mail, the profile's policy OID, notAfter from the profile's validity.
 * Throws PkiError BAD_INPUT when the request itself is inconsistent (checked again here on purpose).
 */
export function profileRules(req: IssueRequest, key: KeyInfo, notBefore: Date, policyArc: string): ProfileRules {
  if (!MAIL_RE.test(req.mail) || req.mail.length > 128) throw new PkiError('BAD_INPUT', 'the mail address is not valid');
  const problem = subjectProblem(req.subject);
  if (problem) throw new PkiError('BAD_INPUT', `request DN: ${problem}`);
  const cn = req.subject[0]!.value;
  const rsa = key.kind === 'rsa';
  const san: GeneralName[] = [{ type: 'email', value: req.mail }];
  const policy = policyOid(policyArc, req.profile);

  if (req.profile === 'officer' || req.profile === 'operator') {
    const ou = req.profile === 'officer' ? OFFICER_OU : OPERATOR_OU;
    const ous = req.subject.filter((a) => a.type === 'OU');
    if (cn !== req.mail || ous.length !== 1 || ous[0]!.value !== ou) throw new PkiError('BAD_INPUT', `${req.profile} DN must be CN=<mail>,OU=${ou},…`);
    const clientKu: KeyUsage[] = rsa ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'];
    return { family: 'client', subject: req.subject, keyUsage: clientKu, extKeyUsage: [OID.clientAuth], san, policy, notAfter: addMonths(notBefore, OFFICER_VALIDITY_MONTHS) };
  }
  if (!isProfileId(req.profile)) throw new PkiError('BAD_INPUT', `unknown profile ${String(req.profile)}`);
  const notAfter = profileNotAfter(req.profile, notBefore);
  if (PROFILES[req.profile].family === 'client') {
    const ku: KeyUsage[] = rsa ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'];
    return { family: 'client', subject: req.subject, keyUsage: ku, extKeyUsage: [OID.clientAuth], san, policy, notAfter };
  }
  // S/MIME: mailbox-validated subject, CN = the user mail (spec 02: the request DN's CN must be it).
  if (cn !== req.mail) throw new PkiError('BAD_INPUT', 'for S/MIME profiles the CN must be the user mail');
  const ku: KeyUsage[] = rsa ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature', 'keyAgreement'];
  return { family: 'smime', subject: [{ type: 'CN', value: req.mail }], keyUsage: ku, extKeyUsage: [OID.emailProtection], san, policy, notAfter };
}

/** Officer DN `CN=<mail>,OU=Registration Officer,O=<institution O>,L=…,ST=…,C=JP` (spec 03). */
export function officerSubject(mail: string, institution: { o: string; l: string; st: string | null }): DnAttribute[] {
  return withPlace(mail, OFFICER_OU, institution.o, institution.l, institution.st);
}

/** Operator DN `CN=<mail>,OU=Operator,O=<CA organisation>[,L=…][,ST=…],C=JP` (spec 03). */
export function operatorSubject(mail: string, ca: { organisation: string; l?: string | null; st?: string | null }): DnAttribute[] {
  return withPlace(mail, OPERATOR_OU, ca.organisation, ca.l ?? null, ca.st ?? null);
}

function withPlace(mail: string, ou: string, o: string, l: string | null, st: string | null): DnAttribute[] {
  const out: DnAttribute[] = [{ type: 'CN', value: mail }, { type: 'OU', value: ou }, { type: 'O', value: o }];
  if (l) out.push({ type: 'L', value: l });
  if (st) out.push({ type: 'ST', value: st });
  out.push({ type: 'C', value: 'JP' });
  return out;
}
