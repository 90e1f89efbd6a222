/**
 * The outbox worker (spec 05 §Delivery): claims due rows, renders + signs, hands them to the
 * transport, and settles each row. Failures retry with exponential backoff for at least 24 hours,
 * then show as failed. Several processes may run it against one PostgreSQL.
 */
import type { Db } from '../../db/client.ts';
import { claimDueMails, markMailRetry, markMailsSent, renewClaim, type OutboxRow } from '../../db/repos/outbox.ts';
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

/**
 * Mails in flight at once per process: overlaps signing (RSA runs on libuv's thread pool, so both
 * cores sign) with SMTP round trips. A pooled SMTP transport (transport.ts) keeps a few connections
 * open, so these share them rather than each opening its own.
 */
export const DEFAULT_CONCURRENCY = 16;
/** Rows claimed per statement; the next chunk is claimed while the last one is still being sent. */
export const CLAIM_CHUNK = 50;
/** Rows one background pass delivers at most before it lets the job loop look again. */
export const PASS_LIMIT = 1000;
/**
 * A claim younger than this is not renewed before an attempt: it still has at least
 * LEASE_MS − RENEW_AFTER_MS (14 min) to run, more than one SMTP attempt can take, so no other
 * process can take the row over during the attempt. Older claims are renewed (conditionally) first.
 */
export const RENEW_AFTER_MS = 60_000;
/** Sent rows marked per statement at most… */
export const MARK_GROUP = 32;
/** …or this long after the first of a group was accepted. */
export const MARK_WAIT_MS = 20;

/** Marks of sent rows still in flight, and the first that failed. */
interface Marks {
  readonly pending: Promise<void>[];
  error: { readonly cause: unknown } | null;
}

interface Claim {
  readonly row: OutboxRow;
  /** The lease this process holds the row under (changes when renewed). */
  lease: Date;
}

/**
 * Delivers up to `limit` mails that are due now; returns counts. Claims rows in chunks of
 * {@link CLAIM_CHUNK} (`FOR UPDATE SKIP LOCKED`), topping up while earlier ones are in flight, and
 * runs `concurrency` attempts at once. A claim older than {@link RENEW_AFTER_MS} is renewed
 * (conditionally) before its attempt, and every row is settled only under its claim: a row whose
 * claim lapsed and was taken over by another process is skipped here, so it is sent once. Sent rows
 * are marked in groups (one statement for all that finished meanwhile), each only after the SMTP
 * server accepted it — a crash between acceptance and the mark is the one window that re-sends a
 * mail, with the same Message-ID (spec 05 §Delivery).
 */
export async function deliverDue(deps: WorkerDeps, limit = PASS_LIMIT): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
  const concurrency = Math.max(1, deps.concurrency ?? DEFAULT_CONCURRENCY);
  const queue: Claim[] = [];
  let claimed = 0;
  let exhausted = false;
  let claimError: unknown = null;
  let refill: Promise<void> | null = null;
  const fill = async () => {
    const want = Math.min(CLAIM_CHUNK, limit - claimed);
    const now = deps.clock.now();
    try {
      const rows = await claimDueMails(deps.db, now, new Date(now.getTime() + LEASE_MS), want);
      claimed += rows.length;
      if (rows.length < want || claimed >= limit) exhausted = true;
      for (const row of rows) queue.push({ row, lease: row.claimedUntil! });
    } catch (e) {
      exhausted = true;
      claimError = e;
    }
  };
  const next = async (): Promise<Claim | undefined> => {
    for (;;) {
      if (queue.length <= concurrency && !exhausted && !refill) refill = fill().finally(() => (refill = null));
      const c = queue.shift();
      if (c) return c;
      if (!refill) return undefined;
      await refill;
    }
  };
  // The first chunk decides whether there is anything to do (and reads the settings only then).
  await (refill = fill().finally(() => (refill = null)));
  if (queue.length === 0) {
    if (claimError) throw claimError;
    return report;
  }
  const prefix = (await readSettings(deps.db))['mail.subjectPrefix'];
  const settle = sentMarker(deps);
  const marks: Marks = { pending: [], error: null };
  const lane = async () => {
    for (let c = await next(); c; c = await next()) await attempt(deps, c, prefix, report, settle, marks);
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(concurrency, limit) }, lane));
  // Every mark is awaited (they record a failure rather than reject), then the first failure is raised.
  await Promise.all(marks.pending);
  const failed = lanes.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  if (marks.error) throw marks.error.cause;
  // A later chunk's claim failed: what was claimed went out; the rest stays due for the next pass.
  if (claimError) deps.log.warn('outbox claim failed', { error: (claimError as Error).message ?? String(claimError) });
  return report;
}

/**
 * Marks sent rows in groups: a group is written when {@link MARK_GROUP} rows are waiting or
 * {@link MARK_WAIT_MS} after the first of them, and while one statement runs the next group gathers.
 * Each caller learns whether its row was still its own (false: another process took it over). The
 * wait widens the window in which a crash re-sends an accepted mail by those few milliseconds; a
 * statement per mail made the embedded database (PGlite, on the main thread) the bottleneck.
 */
function sentMarker(deps: WorkerDeps): (id: number, lease: Date) => Promise<boolean> {
  let pending: { id: number; lease: Date; done: (ok: boolean) => void; fail: (e: unknown) => void }[] = [];
  let flushing = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    flushing = true;
    try {
      while (pending.length > 0) {
        const batch = pending;
        pending = [];
        const byLease = Map.groupBy(batch, (p) => p.lease.getTime());
        for (const group of byLease.values()) {
          try {
            const ok = new Set(await markMailsSent(deps.db, group.map((p) => p.id), group[0]!.lease, deps.clock.now()));
            for (const p of group) p.done(ok.has(p.id));
          } catch (e) {
            for (const p of group) p.fail(e);
          }
        }
      }
    } finally {
      flushing = false;
    }
  };
  return (id, lease) =>
    new Promise<boolean>((done, fail) => {
      pending.push({ id, lease, done, fail });
      if (flushing) return; // the running flush takes it in its next round
      if (pending.length >= MARK_GROUP) void flush();
      else timer ??= setTimeout(() => void flush(), MARK_WAIT_MS);
    });
}

async function attempt(deps: WorkerDeps, c: Claim, prefix: string, report: DeliveryReport, settle: (id: number, lease: Date) => Promise<boolean>, marks: Marks): Promise<void> {
  const { row } = c;
  if (deps.clock.now().getTime() > c.lease.getTime() - (LEASE_MS - RENEW_AFTER_MS)) {
    const lease = new Date(deps.clock.now().getTime() + LEASE_MS);
    if (!(await renewClaim(deps.db, row.id, c.lease, lease))) return;
    c.lease = lease;
  }
  const outcome = await deliverOne(deps, row, prefix);
  if (outcome === null) {
    // false: not ours any more (the lease lapsed mid-send and another process took over); that
    // process settles the row, and the message went out with the same Message-ID.
    // The lane goes on with the next mail while the mark waits for its group (deliverDue awaits it).
    marks.pending.push(settle(row.id, c.lease).then((ours) => void (ours && report.sent++), (cause: unknown) => void (marks.error ??= { cause })));
    return;
  }
  const at = deps.clock.now();
  const giveUp = at.getTime() - row.createdAt.getTime() >= GIVE_UP_AFTER_MS;
  if (!(await markMailRetry(deps.db, row.id, c.lease, new Date(at.getTime() + backoffMs(row.attempts)), outcome, giveUp))) return;
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
    const r = await deliverDue(deps, PASS_LIMIT);
    return r.sent + r.retried + r.failed === PASS_LIMIT;
  }, intervalMs, deps.log);
}
