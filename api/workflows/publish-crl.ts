/**
 * CRL publication (spec 03 §Revocation status): one CRL per CA, re-issued within a second of every
 * revocation (the revoking process is woken by its signal) and at least every 24 hours, nextUpdate
 * 7 days, cRLNumber increasing under a per-CA lock. /pki/crl serves the newest stored one.
 */
import { insertCrl, latestCrl, lockCrlPublication, revokedOf, type CrlRow } from '../../db/repos/crls.ts';
import { buildCrl, type CrlReason } from '../pki/crl.ts';
import type { Services } from '../services.ts';
import { startBackgroundJob } from '../runtime/background.ts';

export type CaName = 'root' | 'issuing';
export const REISSUE_AFTER_MS = 24 * 3_600_000;

const wholeSecond = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

/**
 * Signs and stores a new CRL for `ca`; returns null when the CA key is not held here.
 *
 * thisUpdate is the time of publication in whole seconds (RFC 5280 §5.1.2.4) — never later: a
 * post-dated CRL is "not yet valid" to every verifier until the clock catches up. Two CRLs of one
 * second share thisUpdate (cRLNumber orders them); the kicked publisher keeps that rare by spacing
 * its publications a second apart. So thisUpdate never decreases while the clock does not step back;
 * if it did, not post-dating wins and cRLNumber still increases.
 */
export async function publishCrl(s: Services, ca: CaName): Promise<CrlRow | null> {
  const issuer = ca === 'issuing' ? s.ca.issuer : s.ca.rootIssuer;
  if (!issuer) return null;
  return s.db.transaction(async (tx) => {
    if (s.dbKind === 'postgres') await lockCrlPublication(tx, ca);
    const last = await latestCrl(tx, ca);
    const entries = (await revokedOf(tx, ca)).map((r) => ({ serial: BigInt(r.serial), revokedAt: r.revokedAt, reason: (r.reason ?? 0) as CrlReason }));
    const thisUpdate = wholeSecond(s.clock.now());
    if (last && last.thisUpdate.getTime() > thisUpdate.getTime()) s.log.warn('clock is behind the last CRL; publishing with the current time', { ca, last: last.thisUpdate.toISOString(), now: thisUpdate.toISOString() });
    const crlNumber = BigInt(last?.crlNumber ?? 0) + 1n;
    const built = await buildCrl({ ca: issuer, entries, thisUpdate, crlNumber });
    const row = { ca, crlNumber: Number(crlNumber), thisUpdate: built.thisUpdate, nextUpdate: built.nextUpdate, der: built.der };
    await insertCrl(tx, row);
    return row;
  });
}

/** The CRL to serve; published first when there is none yet or the newest is older than 24 h. */
export async function currentCrl(s: Services, ca: CaName): Promise<CrlRow | null> {
  const last = await latestCrl(s.db, ca);
  if (last && s.clock.now().getTime() - last.thisUpdate.getTime() < REISSUE_AFTER_MS) return last;
  return (await publishCrl(s, ca)) ?? last;
}

/**
 * How long the kicked publisher waits before publishing: until the next whole second when the last
 * CRL is already of the current second (or later), else not at all. At most one second, so every
 * revocation is still in a CRL within a second of it.
 */
export function crlWaitMs(last: Pick<CrlRow, 'thisUpdate'> | null, now: Date): number {
  if (!last || last.thisUpdate.getTime() < wholeSecond(now).getTime()) return 0;
  return 1000 - (now.getTime() % 1000);
}

export interface CrlPublisher {
  /** After a revocation: publish the issuing CA's CRL within a second (coalescing bursts). */
  kick(): void;
  stop(): Promise<void>;
}

export interface CrlPublisherOptions {
  /** How often the 24-hour freshness is checked; default 10 minutes; 0 = only at start. */
  readonly intervalMs?: number;
  /** Waits `ms` of real time (default a timer that `stop` cuts short); tests pass one that moves a fake clock. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Keeps both CRLs fresh: at start and every `intervalMs` (≤ 24 h old), and on every kick (issuing
 * CA). Kicks in a burst coalesce: at most one kicked CRL per second, each in a second of its own,
 * none after a run that already read every revocation signalled.
 */
export function startCrlPublisher(s: Services, opts: CrlPublisherOptions = {}): CrlPublisher {
  let kicks = 0; // revocations signalled
  let covered = 0; // of those, the ones committed before the last published CRL read its entries
  let wake: (() => void) | null = null;
  const timer = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        wake = null;
        resolve();
      };
      const t = setTimeout(done, ms);
      wake = done;
    });
  const sleep = opts.sleep ?? timer;
  const publish = startBackgroundJob('CRL publication', async () => {
    if (covered === kicks) return;
    const wait = crlWaitMs(await latestCrl(s.db, 'issuing'), s.clock.now());
    if (wait > 0) await sleep(wait);
    // Signals fire after the commit, so every revocation counted here is visible to publishCrl's read.
    const seen = kicks;
    await publishCrl(s, 'issuing');
    covered = seen;
  }, 0, s.log, { runAtStart: false });
  const refresh = startBackgroundJob('CRL refresh', async () => {
    // The delegated OCSP responder certificate lives 30 days: renewed here when a third is left.
    const renewed = await s.ca.ensureFresh(s.clock.now());
    if (renewed.length) s.log.info('renewed system certificates', { renewed });
    for (const ca of ['issuing', 'root'] as const) await currentCrl(s, ca);
  }, opts.intervalMs ?? 10 * 60_000, s.log);
  return {
    kick() {
      kicks++;
      publish.kick();
    },
    async stop() {
      const stopping = Promise.all([publish.stop(), refresh.stop()]);
      wake?.(); // a pending wait ends now: the run publishes, then the job stops
      await stopping;
    },
  };
}
