/** Outbox and built-in mailbox (spec 05 §Delivery). */
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { institutions } from './institutions.ts';
import { bytea } from './requests.ts';

export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Template name (api/mail/templates). */
    kind: text('kind').notNull(),
    institutionId: bigint('institution_id', { mode: 'number' }).references(() => institutions.id),
    /** Recipients: [{ address, name? }] for To (and cc). */
    recipients: jsonb('recipients').notNull(),
    /** Template data; never a PIN. */
    data: jsonb('data').notNull(),
    /** Stable Message-ID, fixed when the row is written. */
    messageId: text('message_id').notNull().unique(),
    state: text('state').$type<'pending' | 'sending' | 'sent' | 'failed'>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** Related objects, for the dashboard's mail view. */
    requestId: bigint('request_id', { mode: 'number' }),
    serial: text('serial'),
  },
  (t) => [
    index('outbox_due').on(t.state, t.nextAttemptAt),
    index('outbox_institution').on(t.institutionId, t.createdAt),
    // The mails of one certificate or request (certificate detail page).
    index('outbox_serial').on(t.serial).where(sql`serial is not null`),
    index('outbox_request').on(t.requestId).where(sql`request_id is not null`),
  ],
);

export const mailbox = pgTable(
  'mailbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    messageId: text('message_id').notNull().unique(),
    recipients: jsonb('recipients').$type<string[]>().notNull(),
    subject: text('subject').notNull(),
    raw: bytea('raw').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('mailbox_created').on(t.createdAt)],
);
