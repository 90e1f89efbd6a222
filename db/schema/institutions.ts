/** Institutions and their officers (spec 01 §Setting up an institution, spec 06 §Authentication). */
import { sql } from 'drizzle-orm';
import { bigint, date, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const institutions = pgTable('institutions', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  code: text('code').notNull().unique(),
  nameJa: text('name_ja').notNull(),
  nameEn: text('name_en').notNull(),
  o: text('o').notNull(),
  l: text('l').notNull(),
  st: text('st'),
  domains: jsonb('domains').$type<string[]>().notNull(),
  review: text('review').$type<'complete' | 'pending'>().notNull().default('complete'),
  approvalExpires: date('approval_expires', { mode: 'string' }),
  status: text('status').$type<'active' | 'suspended'>().notNull().default('active'),
  whoisOrg: text('whois_org'),
  profiles: jsonb('profiles').$type<number[]>().notNull(),
  methods: jsonb('methods').$type<number[]>().notNull(),
  keyAlgorithm: text('key_algorithm').notNull().default('RSA-2048'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/**
 * Registration officers and operators. The certificate that authenticates one is a row of
 * `certificates` with `officer_id`; `status` pending until the enrollment pickup is done.
 */
export const officers = pgTable(
  'officers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    institutionId: bigint('institution_id', { mode: 'number' }).references(() => institutions.id),
    role: text('role').$type<'officer' | 'operator'>().notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    status: text('status').$type<'pending' | 'active' | 'revoked'>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('officers_email_live').on(t.email).where(sql`status <> 'revoked'`),
    index('officers_institution').on(t.institutionId),
  ],
);
