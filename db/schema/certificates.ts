/**
 * Certificates issued by the issuing CA (subscribers, officers, system certificates) and their
 * revocation (spec 03). A row is created when the serial is reserved (state `reserved`, before
 * signing) and completed with the DER after signing (Boulder's issuance cycle, STYLE.md practice 3).
 */
import { sql } from 'drizzle-orm';
import { bigint, index, integer, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { institutions, officers } from './institutions.ts';
import { bytea, requests } from './requests.ts';

export const certificates = pgTable(
  'certificates',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Issuing CA name: `issuing` (end entities) or `root` (the issuing CA itself). */
    ca: text('ca').notNull().default('issuing'),
    /** Positive integer < 2^127, decimal (spec 03 §Serial numbers). */
    serial: numeric('serial', { precision: 40, scale: 0 }).notNull(),
    state: text('state').$type<'reserved' | 'issued'>().notNull(),
    kind: text('kind').$type<'subscriber' | 'officer' | 'operator' | 'ocsp' | 'mail' | 'tls' | 'ca'>().notNull(),
    requestId: bigint('request_id', { mode: 'number' }).references(() => requests.id),
    institutionId: bigint('institution_id', { mode: 'number' }).references(() => institutions.id),
    officerId: bigint('officer_id', { mode: 'number' }).references(() => officers.id),
    profile: integer('profile'),
    /** The DN the certificate was requested with (TSV string form). */
    requestDn: text('request_dn').notNull(),
    cnOuKey: text('cn_ou_key'),
    userMail: text('user_mail'),
    /** SHA-256 (hex) of the SubjectPublicKeyInfo: a key is never certified twice. */
    spkiSha256: text('spki_sha256').notNull(),
    csrSha256: text('csr_sha256'),
    csrDer: bytea('csr_der'),
    der: bytea('der'),
    notBefore: timestamp('not_before', { withTimezone: true }).notNull(),
    notAfter: timestamp('not_after', { withTimezone: true }).notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    /** Serial of the certificate this one replaces / that replaced this one. */
    renewalOf: numeric('renewal_of', { precision: 40, scale: 0 }),
    renewedBy: numeric('renewed_by', { precision: 40, scale: 0 }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revocationReason: integer('revocation_reason'),
    revocationComment: text('revocation_comment'),
    revokedBy: text('revoked_by'),
    /** Reminder bookkeeping (spec 05): which reminders were already queued. */
    remindersSent: text('reminders_sent').notNull().default(''),
    /**
     * What the officer's search matches (spec 06 §Dashboard: CN, OU, mail, serial), lower-cased: the
     * request DN up to its O (CN and OUs — a comma followed by `O=` always starts the O, spec 02), the
     * user mail and the decimal serial. Generated, so no write path can forget it; trigram-indexed.
     */
    search: text('search').generatedAlwaysAs(
      sql`lower(coalesce(substring(request_dn from '^(.*?),O='), request_dn) || ' ' || coalesce(user_mail, '') || ' ' || serial::text)`,
    ),
  },
  (t) => [
    uniqueIndex('certificates_ca_serial').on(t.ca, t.serial),
    uniqueIndex('certificates_spki').on(t.spkiSha256),
    uniqueIndex('certificates_request').on(t.requestId).where(sql`request_id is not null`),
    index('certificates_institution').on(t.institutionId, t.notAfter),
    index('certificates_cnou').on(t.institutionId, t.cnOuKey),
    index('certificates_revoked').on(t.ca, t.revokedAt).where(sql`revoked_at is not null`),
    index('certificates_officer').on(t.officerId),
    // The officer's certificate list (spec 06: fast at 100,000 per institution): newest first per
    // institution, and the state filters that select few rows.
    index('certificates_list').on(t.institutionId, t.id).where(sql`kind = 'subscriber' and state = 'issued'`),
    index('certificates_list_revoked').on(t.institutionId, t.id).where(sql`kind = 'subscriber' and state = 'issued' and revoked_at is not null`),
    index('certificates_list_awaiting').on(t.institutionId, t.id).where(sql`kind = 'subscriber' and state = 'issued' and revoked_at is null and renewed_by is not null`),
    index('certificates_search').using('gin', t.search.op('gin_trgm_ops')),
    // Statistics (spec 06 §Dashboard, issue 13): per institution by month of issue, with every column
    // the aggregate reads, so it is answered from the index (PostgreSQL: index-only scan).
    index('certificates_stats').on(t.institutionId, t.issuedAt, t.profile, t.notAfter, t.revokedAt).where(sql`kind = 'subscriber' and state = 'issued'`),
  ],
);
