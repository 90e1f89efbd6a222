/**
 * Uploads, requests and their one-time URLs (spec 01 §States, spec 04 §Secrets). Tokens are stored
 * as SHA-256 only; PINs as a keyed hash plus an encrypted copy that is erased when no longer needed.
 */
import { sql } from 'drizzle-orm';
import { bigint, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { institutions, officers } from './institutions.ts';

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (v) => v,
  fromDriver: (v) => (v instanceof Uint8Array ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : v),
});

export const uploads = pgTable(
  'uploads',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    institutionId: bigint('institution_id', { mode: 'number' }).notNull().references(() => institutions.id),
    officerId: bigint('officer_id', { mode: 'number' }).references(() => officers.id),
    kind: text('kind').$type<'issue' | 'renew' | 'revoke' | 'admin'>().notNull(),
    mode: text('mode').$type<'abort' | 'valid-only'>().notNull(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    lang: text('lang').$type<'ja' | 'en'>().notNull(),
    lines: integer('lines').notNull(),
    registered: integer('registered').notNull(),
    rejected: integer('rejected').notNull(),
    /** The result table (rows with problems) for the downloadable report. */
    result: jsonb('result').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('uploads_institution').on(t.institutionId, t.createdAt)],
);

/** A one-time URL: PIN URL, pickup URL or enrollment URL (spec 04 §Secrets). */
export const urlTokens = pgTable(
  'url_tokens',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    purpose: text('purpose').$type<'pin' | 'pickup'>().notNull(),
    tokenHash: bytea('token_hash').notNull(),
    /** active → used (PIN retrieved / pickup confirmed) | expired | cancelled | reissued */
    state: text('state').$type<'active' | 'used' | 'expired' | 'cancelled' | 'reissued'>().notNull(),
    /** Wrong PIN entries counted against this (pickup) URL. */
    failedAttempts: integer('failed_attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('url_tokens_hash').on(t.tokenHash)],
);

export const requests = pgTable(
  'requests',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    institutionId: bigint('institution_id', { mode: 'number' }).references(() => institutions.id),
    uploadId: bigint('upload_id', { mode: 'number' }).references(() => uploads.id),
    /** For enrollment requests: the officer being enrolled. */
    officerId: bigint('officer_id', { mode: 'number' }).references(() => officers.id),
    kind: text('kind').$type<'issue' | 'renew' | 'officer' | 'operator'>().notNull(),
    /** 1-based physical line of the upload (SEQ). */
    seq: integer('seq'),
    /** spec 01 §States */
    state: text('state')
      .$type<'pin-pending' | 'issuing' | 'ready' | 'locked' | 'issued' | 'completed' | 'expired' | 'cancelled'>()
      .notNull(),
    dn: text('dn').notNull(),
    /** CN + OUs identity for rule 212 (exact, case-sensitive). */
    cnOuKey: text('cn_ou_key').notNull(),
    profile: integer('profile'),
    method: integer('method').notNull(),
    adminName: text('admin_name'),
    adminAffiliation: text('admin_affiliation'),
    adminMail: text('admin_mail'),
    userName: text('user_name'),
    userAffiliation: text('user_affiliation'),
    userMail: text('user_mail').notNull(),
    p12FileName: text('p12_file_name'),
    /** Serial (decimal) of the certificate a renewal replaces. */
    renewalOf: text('renewal_of'),
    /** HMAC-SHA-256 of the access PIN under the PIN-hash key. */
    pinHash: bytea('pin_hash'),
    /** AES-GCM encrypted PIN; erased once no longer needed (spec 04 §Secrets). */
    pinEnc: bytea('pin_enc'),
    pinUrlId: bigint('pin_url_id', { mode: 'number' }).references(() => urlTokens.id),
    pickupUrlId: bigint('pickup_url_id', { mode: 'number' }).references(() => urlTokens.id),
    pinRetrievedAt: timestamp('pin_retrieved_at', { withTimezone: true }),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    extra: jsonb('extra'),
  },
  (t) => [
    index('requests_institution_cnou').on(t.institutionId, t.cnOuKey),
    index('requests_upload').on(t.uploadId),
    index('requests_pin_url').on(t.pinUrlId),
    index('requests_pickup_url').on(t.pickupUrlId),
    index('requests_renewal_of').on(t.renewalOf).where(sql`renewal_of is not null`),
    index('requests_state').on(t.state),
    // The officer's request list, newest first (spec 06 §Dashboard: Requests).
    index('requests_institution').on(t.institutionId, t.id),
  ],
);
