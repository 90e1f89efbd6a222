/** Operator settings (`hakko config`), instance metadata (key-check value, policy arc), WHOIS cache. */
import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export const whoisCache = pgTable('whois_cache', {
  domain: text('domain').primaryKey(),
  server: text('server').notNull(),
  organisation: text('organisation'),
  fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull(),
});
