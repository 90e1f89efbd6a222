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

/** Signs and stores a new CRL for `ca`; returns null when the CA key is not held here. */
export async function publishCrl(s: Services, ca: CaName): Promise<CrlRow | null> {
  const issuer = ca === 'issuing' ? s.ca.issuer : s.ca.rootIssuer;
  if (!issuer) return null;
  return s.db.transaction(async (tx) => {
    if (s.dbKind === 'postgres') await lockCrlPublication(tx, ca);
    const last = await latestCrl(tx, ca);
    const entries = (await revokedOf(tx, ca)).map((r) => ({ serial: BigInt(r.serial), revokedAt: r.revokedAt, reason: (r.reason ?? 0) as CrlReason }));
    let thisUpdate = s.clock.now();
    // Keep thisUpdate strictly increasing even when two publications fall in one second.
    if (last && thisUpdate.getTime() < last.thisUpdate.getTime() + 1000) thisUpdate = new Date(last.thisUpdate.getTime() + 1000);
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

export interface CrlPublisher {
  /** After a revocation: publish the issuing CA's CRL now (coalescing bursts). */
  kick(): void;
  stop(): Promise<void>;
}

/** Keeps both CRLs fresh: at start, on every kick (issuing CA), and checked every `intervalMs`. */
export function startCrlPublisher(s: Services, intervalMs = 10 * 60_000): CrlPublisher {
  const publish = startBackgroundJob('CRL publication', async () => {
    await publishCrl(s, 'issuing');
  }, 0, s.log, { runAtStart: false });
  const refresh = startBackgroundJob('CRL refresh', async () => {
    // The delegated OCSP responder certificate lives 30 days: renewed here when a third is left.
    const renewed = await s.ca.ensureFresh(s.clock.now());
    if (renewed.length) s.log.info('renewed system certificates', { renewed });
    for (const ca of ['issuing', 'root'] as const) await currentCrl(s, ca);
  }, intervalMs, s.log);
  return {
    kick: publish.kick,
    async stop() {
      await Promise.all([publish.stop(), refresh.stop()]);
    },
  };
}
