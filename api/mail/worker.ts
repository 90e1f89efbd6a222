/**
 * The outbox worker (spec 05 §Delivery): claims due rows, renders + signs, hands them to the
 * transport, and settles each row. Failures retry with exponential backoff for at least 24 hours,
 * then show as failed. Several processes may run it against one PostgreSQL.
 */
import type { Db } from '../../db/client.ts';
import { claimDueMails, markMailRetry, markMailSent, type OutboxRow } from '../../db/repos/outbox.ts';
import { readSettings } from '../../db/repos/settings.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { Signer } from '../pki/signer.ts';
import { buildSignedMail } from './build.ts';
import { isMailKind, type MailDataByKind, type MailKind } from './templates/index.ts';
import type { MailTransport } from './transport.ts';

export interface WorkerDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  readonly transport: MailTransport;
  readonly signer: Signer;
  /** Issuing CA and root (DER), included in every signature. */
  readonly chain: readonly Uint8Array[];
  readonly from: string;
}

const LEASE_MS = 2 * 60_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;
/** Retry for at least 24 hours (spec 05), then give up and show the mail as failed. */
export const GIVE_UP_AFTER_MS = 25 * 60 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
}

/** Delivers what is due now; returns counts. */
export async function deliverDue(deps: WorkerDeps, limit = 25): Promise<DeliveryReport> {
  const now = deps.clock.now();
  const rows = await claimDueMails(deps.db, now, new Date(now.getTime() + LEASE_MS), limit);
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
  if (rows.length === 0) return report;
  const prefix = (await readSettings(deps.db))['mail.subjectPrefix'];
  for (const row of rows) {
    const outcome = await deliverOne(deps, row, prefix);
    const at = deps.clock.now();
    if (outcome === null) {
      await markMailSent(deps.db, row.id, at);
      report.sent++;
      continue;
    }
    const giveUp = at.getTime() - row.createdAt.getTime() >= GIVE_UP_AFTER_MS;
    await markMailRetry(deps.db, row.id, new Date(at.getTime() + backoffMs(row.attempts)), outcome, giveUp);
    if (giveUp) report.failed++;
    else report.retried++;
    deps.log.warn('mail delivery failed', { outbox: row.id, kind: row.kind, attempts: row.attempts, giveUp, error: outcome.slice(0, 200) });
  }
  return report;
}

/** null when delivered, else the error text. */
async function deliverOne(deps: WorkerDeps, row: OutboxRow, subjectPrefix: string): Promise<string | null> {
  if (!isMailKind(row.kind)) return `unknown mail kind: ${row.kind}`;
  try {
    const to = (row.recipients as { address: string; name: string | null }[]).map((r) => (r.name ? { name: r.name, address: r.address } : r.address));
    const mail = await buildSignedMail(row.kind as MailKind, row.data as MailDataByKind[MailKind], { from: deps.from, to, messageId: row.messageId, date: row.createdAt, subjectPrefix }, deps.signer, deps.chain);
    const res = await deps.transport.send(mail.raw, mail.envelope);
    return res.accepted ? null : res.response ?? 'not accepted';
  } catch (e) {
    return (e as Error).message ?? String(e);
  }
}

export interface RunningWorker {
  /** Wakes the worker now (after a transaction queued mail). */
  kick(): void;
  stop(): Promise<void>;
}

/** Polls every `intervalMs` (and on `kick`) until stopped; never overlaps itself. */
export function startOutboxWorker(deps: WorkerDeps, intervalMs = 1000): RunningWorker {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const r = await deliverDue(deps);
          if (r.sent + r.retried + r.failed === 25) again = true;
        } catch (e) {
          deps.log.warn('outbox worker pass failed', { error: (e as Error).message });
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    kick: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
