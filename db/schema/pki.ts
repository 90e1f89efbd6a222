/** CA key material and published revocation state (spec 03 §Hierarchy, §Revocation status). */
import { bigint, pgTable, text, timestamp, primaryKey, jsonb } from 'drizzle-orm/pg-core';
import { bytea } from './requests.ts';

/** One row per CA entity (root, issuing, ocsp, mail, tls); keys only as EncryptedPrivateKeyInfo. */
export const caEntities = pgTable('ca_entities', {
  name: text('name').primaryKey(),
  certificate: bytea('certificate').notNull(),
  encryptedKey: bytea('encrypted_key'),
  meta: jsonb('meta'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export const crls = pgTable(
  'crls',
  {
    ca: text('ca').notNull(),
    crlNumber: bigint('crl_number', { mode: 'number' }).notNull(),
    thisUpdate: timestamp('this_update', { withTimezone: true }).notNull(),
    nextUpdate: timestamp('next_update', { withTimezone: true }).notNull(),
    der: bytea('der').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ca, t.crlNumber] })],
);
