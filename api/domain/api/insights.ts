/**
 * Wire schemas of the officer's statistics, mail log and audit view (spec 06 §Dashboard: Statistics,
 * Mail; §Audit log). Plain zod with `.meta()` like the other API schemas; the web app imports types only.
 */
import { z } from 'zod';
import { IdString, Lang, PageFields, PageQuery, Time } from './common.ts';

// ——— statistics ———

/** A calendar month, `YYYY-MM`, counted in Japan time (JST, UTC+9). */
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).meta({ description: 'A month as YYYY-MM (Japan time).', example: '2026-04' });

/** The longest range one statistics call covers (ten years). */
export const MAX_STATISTICS_MONTHS = 120;

export const StatisticsQuery = z.object({
  from: Month.optional().meta({ description: 'First month of issue (default: 11 months before `to`).' }),
  to: Month.optional().meta({ description: 'Last month of issue (default: the current month).' }),
});

export const StatisticsCsvQuery = StatisticsQuery.extend({ lang: Lang.default('ja').meta({ description: 'Language of the header row.' }) });

const Counts = {
  issued: z.number().int().meta({ description: 'Certificates issued in the month (renewals included).' }),
  valid: z.number().int().meta({ description: 'Of those, valid now (not revoked, not expired; includes awaiting revocation).' }),
  revoked: z.number().int().meta({ description: 'Of those, revoked.' }),
  expired: z.number().int().meta({ description: 'Of those, expired without being revoked.' }),
};

export const StatisticsRow = z.object({ month: Month, profile: z.number().int().nullable(), ...Counts }).meta({ id: 'StatisticsRow' });

export const Statistics = z
  .object({
    from: Month,
    to: Month,
    timeZone: z.literal('Asia/Tokyo').meta({ description: 'Months are counted in this time zone.' }),
    at: Time.meta({ description: 'The moment "valid" and "expired" refer to.' }),
    rows: z.array(StatisticsRow).meta({ description: 'One row per month and profile that has certificates, in order.' }),
    months: z.array(z.object({ month: Month, ...Counts })).meta({ description: 'Every month of the range (zeros included), summed over profiles.' }),
    profiles: z.array(z.object({ profile: z.number().int().nullable(), ...Counts })).meta({ description: 'Each profile summed over the range.' }),
    total: z.object(Counts),
  })
  .meta({ id: 'Statistics' });

// ——— mail log ———

export const MAIL_STATES = ['queued', 'sending', 'sent', 'retrying', 'failed'] as const;

export const MailQuery = PageQuery.extend({
  state: z.enum(MAIL_STATES).optional(),
  q: z.string().trim().max(128).optional().meta({ description: 'Part of a recipient address.', example: 'admin-a@' }),
});

export const MailLogEntry = z
  .object({
    id: IdString,
    kind: z.string().meta({ example: 'pin-notice' }),
    to: z.array(z.object({ address: z.string(), name: z.string().nullable() })),
    state: z.enum(MAIL_STATES),
    createdAt: Time,
    sentAt: Time.nullable(),
    attempts: z.number().int(),
    nextAttemptAt: Time.nullable().meta({ description: 'When the next attempt is due (queued and retrying).' }),
    lastError: z.string().nullable().meta({ description: 'The SMTP server\'s answer (or connection error) of the last failed attempt.' }),
    serial: z.string().nullable(),
    requestId: IdString.nullable(),
    canResend: z.boolean().meta({ description: 'Failed or retrying: can be queued again now.' }),
  })
  .meta({ id: 'MailLogEntry', description: 'A notification: who, what, when, its delivery — never its body, links or PINs.' });

export const MailLog = z.object({ items: z.array(MailLogEntry), ...PageFields }).meta({ id: 'MailLog' });

// ——— audit ———

export const AuditQuery = PageQuery.extend({
  action: z.string().trim().max(64).optional().meta({ description: 'An action, or a prefix ending in a dot (`certificate.`).', example: 'certificate.revoked' }),
  actor: z.string().trim().max(128).optional().meta({ description: 'An actor exactly (`cert:SERIAL`, `system`, `operator-cli`…).' }),
  from: z.iso.date().optional().meta({ description: 'First day (Japan time), YYYY-MM-DD.' }),
  to: z.iso.date().optional().meta({ description: 'Last day (Japan time), YYYY-MM-DD.' }),
  institution: z.string().max(32).optional().meta({ description: 'Operators only: one institution\'s records (code).' }),
});

export const AuditRecord = z
  .object({
    id: IdString,
    at: Time,
    actor: z.string(),
    actorName: z.string().nullable().meta({ description: 'The officer behind a `cert:` actor.' }),
    institution: z.string().nullable().meta({ description: 'Institution code (null: instance-wide).' }),
    action: z.string(),
    object: z.string().nullable(),
    details: z.unknown().nullable(),
    hash: z.string().meta({ description: 'SHA-256 of this record chained to the previous one.' }),
  })
  .meta({ id: 'AuditRecord' });

export const AuditList = z.object({ items: z.array(AuditRecord), actions: z.array(z.string()).meta({ description: 'Every action the records in scope use (for a filter menu).' }), ...PageFields }).meta({ id: 'AuditList' });

export const AuditVerification = z
  .object({
    ok: z.boolean(),
    records: z.number().int().meta({ description: 'Records checked (the whole chain, every institution: the chain is one).' }),
    brokenAt: IdString.nullable().meta({ description: 'The first record that does not verify.' }),
    checkedAt: Time,
  })
  .meta({ id: 'AuditVerification', description: 'The result of `hakko audit verify`, computed by the same code.' });

export type StatisticsJson = z.infer<typeof Statistics>;
export type StatisticsRowJson = z.infer<typeof StatisticsRow>;
export type MailLogJson = z.infer<typeof MailLog>;
export type MailLogEntryJson = z.infer<typeof MailLogEntry>;
export type MailQueryInput = z.infer<typeof MailQuery>;
export type MailState = (typeof MAIL_STATES)[number];
export type AuditQueryInput = z.infer<typeof AuditQuery>;
export type AuditListJson = z.infer<typeof AuditList>;
export type AuditRecordJson = z.infer<typeof AuditRecord>;
export type AuditVerificationJson = z.infer<typeof AuditVerification>;
