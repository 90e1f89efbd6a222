/**
 * Wire schemas of the operator API (spec 06 §Operator, issue 13): institutions, officers, the CA and
 * the settings. The fields and rules are the CLI's (`hakko institution …`, `officer …`, `ca show`,
 * `config`): the same workflows validate them.
 */
import { z } from 'zod';
import { Time } from './common.ts';

const Code = z.string().meta({ description: 'Institution code: 1–32 lower-case letters, digits and hyphens.', example: 'sample-u' });

/** An institution as registered (`hakko institution show --json`). */
export const OperatorInstitution = z
  .object({
    code: Code,
    ja: z.string(),
    en: z.string(),
    o: z.string(),
    l: z.string(),
    st: z.string().nullable(),
    domains: z.array(z.string()),
    review: z.enum(['complete', 'pending']),
    approvalExpires: z.string().nullable().meta({ description: 'YYYY-MM-DD (last approved day), or null.' }),
    status: z.enum(['active', 'suspended']),
    whoisOrg: z.string().nullable(),
    profiles: z.array(z.number().int()),
    methods: z.array(z.number().int()),
    keyAlgorithm: z.string(),
    officers: z.number().int().meta({ description: 'Officers not revoked (active or pending).' }),
  })
  .meta({ id: 'OperatorInstitution' });

export const OperatorInstitutionList = z.object({ items: z.array(OperatorInstitution) }).meta({ id: 'OperatorInstitutionList' });

const fields = {
  ja: z.string().max(200).meta({ description: 'Name in Japanese.' }),
  en: z.string().max(200).meta({ description: 'Name in English.' }),
  o: z.string().meta({ description: 'O of every DN (the DN value rules of spec 02).' }),
  l: z.string(),
  st: z.string().nullable().meta({ description: 'ST, or null for none.' }),
  domains: z.array(z.string().max(253)).max(100).meta({ description: 'Mail domains (a subdomain of one matches too).' }),
  review: z.enum(['complete', 'pending']),
  approvalExpires: z.string().nullable().meta({ description: 'YYYY-MM-DD, or null for no expiry.' }),
  whoisOrg: z.string().max(200).nullable().meta({ description: 'Organisation the WHOIS check expects; null: no WHOIS check.' }),
  profiles: z.array(z.number().int()).max(10),
  methods: z.array(z.number().int()).max(3),
  keyAlgorithm: z.string().meta({ description: 'RSA-2048 or P-256.' }),
};

/** `POST /api/operator/institutions` (`hakko institution add`). */
export const InstitutionCreate = z
  .object({ code: z.string().max(32), ...fields, st: fields.st.optional(), review: fields.review.optional(), approvalExpires: fields.approvalExpires.optional(), whoisOrg: fields.whoisOrg.optional(), profiles: fields.profiles.optional(), methods: fields.methods.optional(), keyAlgorithm: fields.keyAlgorithm.optional() })
  .strict()
  .meta({ id: 'InstitutionCreate', example: { code: 'sample-u', ja: '見本大学', en: 'Sample University', o: 'Sample University', l: 'Bunkyo-ku', st: 'Tokyo', domains: ['sample.ac.jp'] } });

/** `PATCH /api/operator/institutions/{code}` (`hakko institution update`): the given fields change. */
export const InstitutionPatch = z.object(fields).partial().strict().meta({ id: 'InstitutionPatch', example: { domains: ['sample.ac.jp', 'mail.sample.ac.jp'], review: 'complete' } });

export const OperatorOfficer = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['officer', 'operator']),
    status: z.enum(['pending', 'active', 'revoked']),
    institution: z.string().nullable().meta({ description: 'Institution code; null for operators.' }),
    createdAt: Time,
  })
  .meta({ id: 'OperatorOfficer' });

export const OperatorOfficerList = z.object({ items: z.array(OperatorOfficer) }).meta({ id: 'OperatorOfficerList' });

export const OfficerListQuery = z.object({ institution: z.string().max(32).optional().meta({ description: 'Only this institution\'s officers (code).' }) });

/** `POST /api/operator/officers` (`hakko officer enroll`). */
export const OfficerEnroll = z
  .object({
    institution: z.string().max(32).nullable().meta({ description: 'Institution code; null with `operator: true`.' }),
    operator: z.boolean().default(false),
    name: z.string().max(64),
    email: z.string().max(254),
  })
  .strict()
  .meta({ id: 'OfficerEnroll', example: { institution: 'sample-u', operator: false, name: '登録 花子', email: 'ra@sample.ac.jp' } });

export const Enrollment = z
  .object({
    url: z.string().meta({ description: 'The enrollment pickup URL. Shown once: it is stored only as a hash.' }),
    pin: z.string().meta({ description: 'The PIN for that URL. Shown once; hand it over separately from the URL.' }),
    expiresAt: Time,
    officer: OperatorOfficer,
  })
  .meta({ id: 'Enrollment' });

export const CaCertificate = z
  .object({
    name: z.enum(['root', 'issuing', 'ocsp', 'mail', 'tls']),
    subject: z.string(),
    issuer: z.string(),
    serial: z.string().meta({ description: 'Decimal.' }),
    sha256: z.string().meta({ description: 'SHA-256 fingerprint of the DER, colon-separated upper-case hex.' }),
    notBefore: Time,
    notAfter: Time,
    renewsAt: Time.nullable().meta({ description: 'OCSP, mail and TLS certificates are renewed automatically from this moment (a third of their life left); null for the CAs.' }),
    pem: z.string(),
  })
  .meta({ id: 'CaCertificate' });

export const CaCrl = z
  .object({ ca: z.enum(['root', 'issuing']), number: z.string(), thisUpdate: Time, nextUpdate: Time, url: z.string() })
  .meta({ id: 'CaCrl' });

export const CaOverview = z
  .object({
    certificates: z.array(CaCertificate),
    crls: z.array(CaCrl).meta({ description: 'The current CRL of each CA that has one published.' }),
    policyArc: z.string(),
  })
  .meta({ id: 'CaOverview' });

export const Setting = z
  .object({ key: z.string(), value: z.unknown(), default: z.unknown(), description: z.string() })
  .meta({ id: 'Setting' });

export const SettingList = z.object({ items: z.array(Setting) }).meta({ id: 'SettingList' });

/** `PUT /api/operator/settings/{key}`: the value as the CLI takes it (`hakko config set KEY VALUE`). */
export const SettingBody = z.object({ value: z.string().max(200) }).strict().meta({ id: 'SettingBody', example: { value: '14' } });

export type OperatorInstitutionJson = z.infer<typeof OperatorInstitution>;
export type OperatorInstitutionListJson = z.infer<typeof OperatorInstitutionList>;
export type InstitutionCreateInput = z.infer<typeof InstitutionCreate>;
export type InstitutionPatchInput = z.infer<typeof InstitutionPatch>;
export type OperatorOfficerJson = z.infer<typeof OperatorOfficer>;
export type OperatorOfficerListJson = z.infer<typeof OperatorOfficerList>;
export type EnrollmentJson = z.infer<typeof Enrollment>;
export type CaOverviewJson = z.infer<typeof CaOverview>;
export type CaCertificateJson = z.infer<typeof CaCertificate>;
export type SettingJson = z.infer<typeof Setting>;
export type SettingListJson = z.infer<typeof SettingList>;
