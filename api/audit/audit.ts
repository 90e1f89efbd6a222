/**
 * Hash-chained audit log (spec 06 §Audit log). Appends run inside the caller's transaction and lock
 * the single `audit_head` row, so the chain is linear even with several processes.
 */
import { createHash } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/client.ts';
import { auditHead, auditLog } from '../../db/schema/index.ts';
import { bulkInsert } from '../../db/repos/bulk.ts';

export interface AuditEntry {
  readonly actor: string;
  readonly institutionId?: number | null;
  readonly action: string;
  readonly object?: string | null;
  readonly details?: Record<string, unknown> | null;
}

const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted: PostgreSQL's jsonb does not keep key order. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(o[k])).join(',') + '}';
}

function recordHash(prevHash: string, id: number, at: Date, e: AuditEntry): string {
  const body = canonicalJson([id, at.toISOString(), e.actor, e.institutionId ?? null, e.action, e.object ?? null, e.details ?? null]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Appends entries in order within `tx`. */
export async function appendAudit(tx: Tx, at: Date, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.insert(auditHead).values({ id: 1, lastId: 0, lastHash: GENESIS }).onConflictDoNothing();
  const [head] = await tx.select().from(auditHead).where(eq(auditHead.id, 1)).for('update');
  let { lastId, lastHash } = head!;
  const rows = entries.map((e) => {
    const id = ++lastId;
    const hash = recordHash(lastHash, id, at, e);
    const row = { id, at, actor: e.actor, institutionId: e.institutionId ?? null, action: e.action, object: e.object ?? null, details: e.details ?? null, prevHash: lastHash, hash };
    lastHash = hash;
    return row;
  });
  await bulkInsert(tx, auditLog, rows);
  await tx.update(auditHead).set({ lastId, lastHash }).where(eq(auditHead.id, 1));
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly records: number;
  /** First broken record id, when not ok. */
  readonly brokenAt: number | null;
}

/** Recomputes the chain (`hakko audit verify`). */
export async function verifyAudit(db: Queryable): Promise<AuditVerification> {
  let prev = GENESIS;
  let count = 0;
  let after = 0;
  for (;;) {
    const batch = await db.select().from(auditLog).where(sql`${auditLog.id} > ${after}`).orderBy(asc(auditLog.id)).limit(5000);
    if (batch.length === 0) break;
    for (const r of batch) {
      const expected = recordHash(prev, r.id, r.at, { actor: r.actor, institutionId: r.institutionId, action: r.action, object: r.object, details: r.details as Record<string, unknown> | null });
      if (r.prevHash !== prev || r.hash !== expected || r.id !== after + 1) return { ok: false, records: count, brokenAt: r.id };
      prev = r.hash;
      after = r.id;
      count++;
    }
  }
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  if (head && (head.lastId !== after || head.lastHash !== prev)) return { ok: false, records: count, brokenAt: after + 1 };
  return { ok: true, records: count, brokenAt: null };
}
