/**
 * A certificate's history and mails for its detail page (spec 06 §Dashboard: "detail page with the
 * full certificate (decoded), history and mails"): audit records naming its objects, and the outbox
 * rows of its serial or request. Mail rows come without their data: links and PINs stay out of view.
 */
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { auditLog, certificates, officers, outbox } from '../schema/index.ts';

/** Audit records of these objects (`serial:…`, `request:…`, `pin-url:…`, …) in one institution, oldest first. */
export async function auditOfObjects(db: Queryable, institutionId: number, objects: readonly string[]) {
  if (objects.length === 0) return [];
  return db
    .select({ at: auditLog.at, action: auditLog.action, actor: auditLog.actor, details: auditLog.details })
    .from(auditLog)
    .where(and(inArray(auditLog.object, objects as string[]), eq(auditLog.institutionId, institutionId)))
    .orderBy(asc(auditLog.id))
    .limit(500);
}

/**
 * Notifications about a serial or requests of the institution, oldest first. A group notice (P12一括)
 * names the group's first request: pass the ids of the group.
 */
export async function mailsAbout(db: Queryable, institutionId: number, serial: string, requestIds: readonly number[]) {
  const about = requestIds.length === 0 ? eq(outbox.serial, serial) : or(eq(outbox.serial, serial), inArray(outbox.requestId, requestIds as number[]));
  return db
    .select({
      id: outbox.id, kind: outbox.kind, recipients: outbox.recipients, state: outbox.state, attempts: outbox.attempts, nextAttemptAt: outbox.nextAttemptAt,
      lastError: outbox.lastError, createdAt: outbox.createdAt, sentAt: outbox.sentAt,
    })
    .from(outbox)
    .where(and(about, eq(outbox.institutionId, institutionId)))
    .orderBy(asc(outbox.id))
    .limit(200);
}

/** The officers whose certificates (decimal serials) these are: the names behind `cert:SERIAL` actors. */
export async function officersByCertificateSerials(db: Queryable, serials: readonly string[]): Promise<Map<string, string>> {
  if (serials.length === 0) return new Map();
  const rows = await db
    .select({ serial: certificates.serial, name: officers.name })
    .from(certificates)
    .innerJoin(officers, eq(officers.id, certificates.officerId))
    .where(and(eq(certificates.ca, 'issuing'), inArray(certificates.serial, serials as string[])));
  return new Map(rows.map((r) => [r.serial, r.name]));
}
