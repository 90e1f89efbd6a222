/** Hash-chained audit log (spec 06 §Audit log). `audit_head` serialises appends. */
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actor: text('actor').notNull(),
    institutionId: bigint('institution_id', { mode: 'number' }),
    action: text('action').notNull(),
    object: text('object'),
    details: jsonb('details'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_institution').on(t.institutionId, t.id),
    // A certificate's history on its detail page (objects `serial:…`, `request:…`, `pin-url:…`).
    index('audit_object').on(t.object, t.id),
  ],
);

/** Single row (id = 1): the last record's id and hash; `SELECT … FOR UPDATE` serialises writers. */
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  lastId: bigint('last_id', { mode: 'number' }).notNull(),
  lastHash: text('last_hash').notNull(),
});
