/**
 * The outbox worker (spec 05 §Delivery): claims due rows, renders + signs, hands them to the
 * transport, and settles each row. Failures retry with exponential backoff for at least 24 hours,
 * then show as failed. Several processes may run it against one PostgreSQL.
 */
import type { Db } from '../../db/client.ts';
import { claimDueMails, markMailRetry, markMailSent, renewClaim, type OutboxRow } from '../../db/repos/outbox.ts';
import { readSettings } from '../../db/repos/settings.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import { startBackgroundJob } from '../runtime/background.ts';
import type { Signer } from '../pki/signer.ts';
import { unsealDeep } from '../secrets/sealed.ts';
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
  /** Opens the sealed links in the stored mail data (api/secrets/sealed.ts): the PIN-encryption key. */
  readonly sealKey: Uint8Array;
  /** Mails in flight at once (default {@link DEFAULT_CONCURRENCY}). */
  readonly concurrency?: number;
}

/**
 * How long a claim holds a row. Longer than one SMTP attempt can take (nodemailer gives up after
 * 2 min connecting + 30 s greeting + 10 min socket idle), so a live worker never loses a row it is
 * still sending; a dead worker's rows come back after this time.
 */
export const LEASE_MS = 15 * 60_000;
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

/** Mails in flight at once per process: overlaps SMTP round trips and signing (a bulk upload queues thousands). */
export const DEFAULT_CONCURRENCY = 4;

/**
 * Delivers what is due now; returns counts. Each row's claim is renewed (conditionally) right before
 * its attempt, and settled only under that claim: a row whose claim lapsed and was taken over by
 * another process is skipped here, so it is sent once.
 */
export async function deliverDue(deps: WorkerDeps, limit = 25): Promise<DeliveryReport> {
  const now = deps.clock.now();
  const rows = await claimDueMails(deps.db, now, new Date(now.getTime() + LEASE_MS), limit);
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
  if (rows.length === 0) return report;
  const prefix = (await readSettings(deps.db))['mail.subjectPrefix'];
  const queue = [...rows];
  const lane = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) await attempt(deps, row, prefix, report);
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? DEFAULT_CONCURRENCY, rows.length) }, lane));
  return report;
}

async function attempt(deps: WorkerDeps, row: OutboxRow, prefix: string, report: DeliveryReport): Promise<void> {
  const lease = new Date(deps.clock.now().getTime() + LEASE_MS);
  if (!(await renewClaim(deps.db, row.id, row.claimedUntil!, lease))) return;
  const outcome = await deliverOne(deps, row, prefix);
  const at = deps.clock.now();
  if (outcome === null) {
    // false: not ours any more (the lease lapsed mid-send and another process took over); that
    // process settles the row, and the message went out with the same Message-ID.
    if (await markMailSent(deps.db, row.id, lease, at)) {
      report.sent++;
      deps.log.debug('mail sent', { outbox: row.id, kind: row.kind });
    }
    return;
  }
  const giveUp = at.getTime() - row.createdAt.getTime() >= GIVE_UP_AFTER_MS;
  if (!(await markMailRetry(deps.db, row.id, lease, new Date(at.getTime() + backoffMs(row.attempts)), outcome, giveUp))) return;
  if (giveUp) report.failed++;
  else report.retried++;
  deps.log.warn('mail delivery failed', { outbox: row.id, kind: row.kind, attempts: row.attempts, giveUp, error: outcome.slice(0, 200) });
}

/** null when delivered, else the error text. */
async function deliverOne(deps: WorkerDeps, row: OutboxRow, subjectPrefix: string): Promise<string | null> {
  if (!isMailKind(row.kind)) return `unknown mail kind: ${row.kind}`;
  try {
    const to = (row.recipients as { address: string; name: string | null }[]).map((r) => (r.name ? { name: r.name, address: r.address } : r.address));
    const data = unsealDeep(deps.sealKey, row.data) as MailDataByKind[MailKind];
    const mail = await buildSignedMail(row.kind as MailKind, data, { from: deps.from, to, messageId: row.messageId, date: row.createdAt, subjectPrefix }, deps.signer, deps.chain);
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
  // A full batch means more may be due: run again at once.
  return startBackgroundJob('outbox worker pass', async () => {
    const r = await deliverDue(deps);
    return r.sent + r.retried + r.failed === 25;
  }, intervalMs, deps.log);
}
