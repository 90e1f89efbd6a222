/**
 * Wire schemas of the officer API (spec 06 §API): who am I, uploads, requests, certificates, the
 * institution's allowlist. The fixed calls keep the shapes spec 06 gives; the rest is documented in
 * `/api/openapi.json`, generated from these schemas.
 */
import { z } from 'zod';
import { TSV_KINDS } from '../tsv/types.ts';
import { REVOCATION_REASONS } from '../reasons.ts';
import { IdString, Lang, Localized, PageFields, PageQuery, Problem, SerialString, Time } from './common.ts';

const Institution = z.object({ code: z.string(), ja: z.string(), en: z.string() }).meta({ id: 'InstitutionName' });

/** `GET /api/me` (spec 06, fixed). */
export const Me = z
  .object({
    name: z.string().meta({ example: '登録 花子' }),
    email: z.string().meta({ example: 'ra@sample.ac.jp' }),
    role: z.enum(['officer', 'operator']),
    institution: Institution.nullable(),
  })
  .meta({ id: 'Me' });

// ——— uploads ———

export const UPLOAD_MODES = ['abort', 'valid-only'] as const;

/** `POST /api/officer/uploads` form fields (spec 06, fixed): a missing or wrong kind, mode or reviewed is 400. */
export const UploadForm = z
  .object({
    file: z.any().optional().meta({ type: 'string', format: 'binary', description: 'The TSV request file (`.tsv` or `.txt`). Missing: 422 with problem 208.' }),
    kind: z.enum(TSV_KINDS as ['issue', 'renew', 'revoke', 'admin']).meta({ description: 'issue (format A), renew (B), revoke (C) or admin (D, user administrator change).' }),
    mode: z.enum(UPLOAD_MODES).meta({ description: 'abort: any error registers nothing (recommended); valid-only: the error-free rows are registered.' }),
    reviewed: z.literal('true').meta({ description: 'The review checklist was confirmed (identity of the user administrator, content of the file, membership of the users).' }),
    lang: Lang.optional().meta({ description: 'Language of the problem messages and the report (default ja).' }),
  })
  .meta({ id: 'UploadForm' });

const UploadRow = z.object({
  seq: z.number().int().meta({ description: 'Physical line of the file (SEQ).', example: 1 }),
  ok: z.boolean(),
  errors: z.array(Problem).readonly(),
  requestId: IdString.nullable().meta({ description: 'The request created (issue, renew); null otherwise.' }),
});

/** The upload answer (spec 06, fixed): 200 when something was registered, 422 when nothing was. */
export const UploadAnswer = z
  .object({
    upload: IdString.nullable().meta({ description: 'Null only when the body was too large to be read (216).' }),
    registered: z.number().int(),
    rejected: z.number().int(),
    errors: z.array(Problem).readonly().meta({ description: 'File-level problems (line 0).' }),
    rows: z.array(UploadRow).readonly(),
  })
  .meta({ id: 'UploadAnswer' });

export const UploadSummary = z
  .object({
    id: IdString,
    kind: z.enum(TSV_KINDS as ['issue', 'renew', 'revoke', 'admin']),
    mode: z.enum(UPLOAD_MODES),
    fileName: z.string(),
    lang: Lang,
    lines: z.number().int(),
    registered: z.number().int(),
    rejected: z.number().int(),
    createdAt: Time,
    officer: z.object({ name: z.string(), email: z.string() }).nullable().meta({ description: 'Who uploaded the file.' }),
  })
  .meta({ id: 'UploadSummary' });

export const UploadList = z.object({ items: z.array(UploadSummary), ...PageFields }).meta({ id: 'UploadList' });

/** One row of the result table (spec 06 §Dashboard: SEQ, OK/NG, errors, institution, affiliation, name, mail). */
export const ReportRow = z
  .object({
    seq: z.number().int(),
    ok: z.boolean(),
    messages: z.array(z.string()),
    institution: Localized,
    affiliation: z.string().nullable(),
    name: z.string().nullable(),
    mail: z.string().nullable(),
  })
  .meta({ id: 'ReportRow' });

export const UploadDetail = UploadSummary.extend({
  fileProblems: z.array(z.string()).meta({ description: 'File-level problem messages.' }),
  rows: z.array(ReportRow),
}).meta({ id: 'UploadDetail' });

// ——— requests ———

/** Request states as the API shows them (spec 01 §States; `issuing` is reported as `ready`). */
export const REQUEST_STATES = ['pin-pending', 'ready', 'locked', 'issued', 'completed', 'expired', 'cancelled'] as const;

const Person = z.object({ name: z.string().nullable(), affiliation: z.string().nullable(), mail: z.string().nullable() });

export const RequestQuery = PageQuery.extend({
  upload: IdString.optional().meta({ description: 'Only the requests of this upload.' }),
  state: z.enum(REQUEST_STATES).optional(),
  q: z.string().trim().max(128).optional().meta({ description: 'Part of the CN, OU, user name or mail.', example: 'tanaka' }),
});

export const RequestItem = z
  .object({
    id: IdString,
    uploadId: IdString.nullable(),
    seq: z.number().int().nullable(),
    kind: z.enum(['issue', 'renew']),
    state: z.enum(REQUEST_STATES),
    dn: z.string(),
    profile: z.number().int().nullable(),
    method: z.number().int(),
    user: Person,
    admin: Person,
    renewalOf: SerialString.nullable(),
    createdAt: Time,
    pinUrlExpiresAt: Time.nullable().meta({ description: 'When the PIN URL stops working (null once used or replaced).' }),
    pickupUrlExpiresAt: Time.nullable(),
    pinRetrievedAt: Time.nullable(),
    issuedAt: Time.nullable(),
    pickedUpAt: Time.nullable().meta({ description: 'When the saving of the certificate was confirmed (by the user; for P12一括 by the user administrator).' }),
    serial: SerialString.nullable(),
    canReissue: z.boolean().meta({ description: 'No certificate yet: new PIN and URLs can be issued (the old ones stop working).' }),
    canCancel: z.boolean(),
  })
  .meta({ id: 'RequestItem' });

export const RequestList = z.object({ items: z.array(RequestItem), ...PageFields }).meta({ id: 'RequestList' });

export const RequestsChanged = z
  .object({ requests: z.array(IdString).meta({ description: 'Every request affected (for P12一括, the whole user-administrator group).' }) })
  .meta({ id: 'RequestsChanged' });

// ——— certificates ———

export const CERTIFICATE_STATES = ['valid', 'revoked', 'expired', 'awaiting-revocation'] as const;

export const CertificateQuery = PageQuery.extend({
  q: z.string().trim().max(128).optional().meta({ description: 'Part of the CN, an OU or the mail address, or a serial number (decimal, or hex with or without colons).', example: 'USER 12' }),
  state: z.enum(CERTIFICATE_STATES).optional().meta({ description: 'valid includes awaiting-revocation; awaiting-revocation selects only valid certificates whose renewal was issued.' }),
});

/** One row of the certificate list (spec 06, fixed fields serial, dn, state, notAfter; the rest added). */
export const CertificateItem = z
  .object({
    serial: SerialString,
    dn: z.string().meta({ description: 'The DN the certificate was requested with.', example: 'CN=TARO TANAKA,OU=20261234,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP' }),
    state: z.enum(CERTIFICATE_STATES),
    notBefore: Time,
    notAfter: Time,
    profile: z.number().int().nullable(),
    userMail: z.string().nullable(),
    userName: z.string().nullable(),
    issuedAt: Time.nullable(),
    revokedAt: Time.nullable(),
    renewedBy: SerialString.nullable().meta({ description: 'Serial of the renewal that replaced it.' }),
    renewalOf: SerialString.nullable().meta({ description: 'Serial of the certificate this one renewed.' }),
    requestId: IdString.nullable(),
  })
  .meta({ id: 'CertificateItem' });

export const CertificateList = z.object({ items: z.array(CertificateItem), ...PageFields }).meta({ id: 'CertificateList' });

export const DecodedCertificate = z
  .object({
    subject: z.string(),
    issuer: z.string(),
    serialDecimal: SerialString,
    serialHex: z.string().meta({ example: '1B:6E:…' }),
    notBefore: Time,
    notAfter: Time,
    sha256: z.string().meta({ description: 'SHA-256 fingerprint of the DER, colon-separated hex.' }),
    subjectAltNames: z.array(z.string()),
    extendedKeyUsage: z.array(z.object({ oid: z.string(), name: z.string() })),
    keyUsage: z.array(z.string()),
    publicKey: z.string().meta({ example: 'RSA 2048' }),
    signatureAlgorithm: z.string(),
    policies: z.array(z.string()),
  })
  .meta({ id: 'DecodedCertificate' });

export const HistoryEntry = z
  .object({
    at: Time,
    action: z.string().meta({ example: 'certificate.revoked' }),
    actor: z.string().meta({ description: '`cert:SERIAL` (an officer\'s certificate), `pin-url`, `pickup-url` (the holder of that URL) or `system`.', example: 'cert:1234' }),
    actorName: z.string().nullable().meta({ description: 'The officer behind a `cert:` actor.' }),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'HistoryEntry' });

export const MailEntry = z
  .object({
    id: IdString,
    kind: z.string().meta({ example: 'pickup-completed' }),
    to: z.array(z.string()),
    state: z.enum(['queued', 'sending', 'sent', 'retrying', 'failed']),
    createdAt: Time,
    sentAt: Time.nullable(),
    attempts: z.number().int(),
    nextAttemptAt: Time.nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'MailEntry', description: 'A notification (never its links or PINs).' });

export const CertificateDetail = z
  .object({
    certificate: CertificateItem.extend({ revocationReason: z.number().int().nullable(), revocationComment: z.string().nullable() }),
    decoded: DecodedCertificate,
    request: RequestItem.nullable(),
    history: z.array(HistoryEntry),
    mails: z.array(MailEntry),
  })
  .meta({ id: 'CertificateDetail' });

/** `POST …/revoke` (spec 06, fixed). */
export const RevokeBody = z
  .object({
    reason: z.union(REVOCATION_REASONS.map((r) => z.literal(r)) as [z.ZodLiteral<0>, z.ZodLiteral<1>, z.ZodLiteral<3>, z.ZodLiteral<4>, z.ZodLiteral<5>]).meta({
      description: '0 unspecified (その他; give a comment), 1 keyCompromise, 3 affiliationChanged, 4 superseded, 5 cessationOfOperation.',
    }),
    comment: z.string().nullable().optional().meta({ description: 'Up to 128 characters (the TSV column 6 rule).' }),
  })
  .meta({ id: 'RevokeBody', example: { reason: 3, comment: '所属変更のため' } });

export const RevokeAnswer = z
  .object({ serial: SerialString, state: z.literal('revoked'), revokedAt: Time, reason: z.number().int() })
  .meta({ id: 'RevokeAnswer' });

/** Change of user administrator (spec 01 §User administrator change): the format D columns 8–10. */
export const AdministratorBody = z
  .object({ name: z.string(), affiliation: z.string(), mail: z.string() })
  .meta({ id: 'AdministratorBody', example: { name: '管理 次郎', affiliation: '工学部事務', mail: 'admin-b@sample.ac.jp' } });

export const AdministratorAnswer = z
  .object({ serial: SerialString, admin: z.object({ name: z.string(), affiliation: z.string(), mail: z.string() }) })
  .meta({ id: 'AdministratorAnswer' });

// ——— institution ———

/** The officer's institution as registered (spec 06 §Dashboard: Allowlist). */
export const InstitutionDetail = z
  .object({
    code: z.string(),
    ja: z.string(),
    en: z.string(),
    o: z.string(),
    l: z.string(),
    st: z.string().nullable(),
    domains: z.array(z.string()),
    profiles: z.array(z.number().int()),
    methods: z.array(z.number().int()),
    review: z.enum(['complete', 'pending']),
    approvalExpires: z.string().nullable().meta({ description: 'YYYY-MM-DD, the last day issuance is approved; null for no expiry.' }),
    status: z.enum(['active', 'suspended']),
    whoisOrg: z.string().nullable(),
    whoisCheck: z.boolean().meta({ description: 'Whether the WHOIS check of spec 02 runs for this institution.' }),
    keyAlgorithm: z.string(),
    uploadRules: z
      .object({ maxBytes: z.number().int(), maxLines: z.number().int(), w227IsError: z.boolean() })
      .meta({ description: 'The operator\'s upload settings, so that a preview checks what the upload will (`upload.maxBytes`, `upload.maxLines`, `tsv.w227IsError`).' }),
  })
  .meta({ id: 'InstitutionDetail' });

export const ExportQuery = z.object({ lang: Lang.default('ja').meta({ description: 'Language of the header row and texts.' }) });

export type MeJson = z.infer<typeof Me>;
export type UploadAnswerJson = z.infer<typeof UploadAnswer>;
export type UploadSummaryJson = z.infer<typeof UploadSummary>;
export type UploadListJson = z.infer<typeof UploadList>;
export type UploadDetailJson = z.infer<typeof UploadDetail>;
export type RequestItemJson = z.infer<typeof RequestItem>;
export type RequestListJson = z.infer<typeof RequestList>;
export type RequestQueryInput = z.infer<typeof RequestQuery>;
export type CertificateItemJson = z.infer<typeof CertificateItem>;
export type CertificateListJson = z.infer<typeof CertificateList>;
export type CertificateQueryInput = z.infer<typeof CertificateQuery>;
export type CertificateDetailJson = z.infer<typeof CertificateDetail>;
export type DecodedCertificateJson = z.infer<typeof DecodedCertificate>;
export type HistoryEntryJson = z.infer<typeof HistoryEntry>;
export type MailEntryJson = z.infer<typeof MailEntry>;
export type RevokeAnswerJson = z.infer<typeof RevokeAnswer>;
export type AdministratorAnswerJson = z.infer<typeof AdministratorAnswer>;
export type InstitutionDetailJson = z.infer<typeof InstitutionDetail>;
export type RequestState = (typeof REQUEST_STATES)[number];
export type CertificateState = (typeof CERTIFICATE_STATES)[number];
