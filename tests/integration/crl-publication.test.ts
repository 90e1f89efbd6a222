/**
 * CRL publication on a fake clock (spec 03 §Revocation status), on PGlite and PostgreSQL: a CRL is
 * never post-dated (thisUpdate ≤ the time of publication, or `openssl verify -crl_check` says "CRL is
 * not yet valid"), cRLNumber strictly increases and thisUpdate never decreases; a burst of
 * revocations is covered by one CRL published within a second (the kicked publisher waits for the
 * next whole second instead of inventing one); and the CRL is re-issued once it is 24 h old.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCrl } from '../../db/repos/crls.ts';
import { revokeBySerial } from '../../api/workflows/revoke.ts';
import { currentCrl, publishCrl, startCrlPublisher, REISSUE_AFTER_MS, type CrlPublisherOptions } from '../../api/workflows/publish-crl.ts';
import { CRL_VALIDITY_MS } from '../../api/pki/crl.ts';
import { backends } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addTestInstitution, authenticatedOfficer, enrollTestOfficer, SAMPLE_INSTITUTION } from '../helpers/officer.ts';
import { issueCertificates, type IssuedCertificate } from '../helpers/issued.ts';
import { crlInfo } from '../helpers/pki-parse.ts';
import type { AuthenticatedOfficer } from '../../api/domain/officer.ts';

const whole = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;

describe.each(await backends())('CRL publication on $name', (backend) => {
  let srv: TestServer;
  let clock: FakeClock;
  let officer: AuthenticatedOfficer;
  let certs: IssuedCertificate[];
  const take = (n: number) => certs.splice(0, n);

  beforeAll(async () => {
    clock = new FakeClock(new Date());
    srv = await startTestServer({ backend, clock, env: { TRUSTED_PROXIES: '127.0.0.1' }, timers: { sweepIntervalMs: 0 } });
    await addTestInstitution(srv);
    const o = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code);
    officer = await authenticatedOfficer(srv, o);
    certs = await issueCertificates(srv, o, 9);
    // Revocations below wake only the publisher a test starts (or nothing), not the server's own.
    srv.services.signals = { ...srv.services.signals, revoked: () => {} };
  });
  afterAll(async () => {
    await srv?.dispose();
  });

  const s = () => srv.services;
  const revoke = (c: IssuedCertificate) => revokeBySerial(s(), officer, c.serial, { reason: 1 });
  const latest = async () => {
    const row = (await latestCrl(s().db, 'issuing'))!;
    return { row, ...crlInfo(row.der) };
  };
  /** A publisher whose wait is the test's: it records the wait, holds until `open`, then moves the fake clock. */
  function testPublisher(opts: Partial<CrlPublisherOptions> = {}) {
    const gate = Promise.withResolvers<void>();
    const waits: number[] = [];
    const pub = startCrlPublisher(s(), {
      intervalMs: 0,
      sleep: async (ms) => {
        waits.push(ms);
        await gate.promise;
        clock.advance(ms);
      },
      ...opts,
    });
    srv.services.signals = { ...srv.services.signals, revoked: () => pub.kick() };
    return {
      waits,
      open: () => gate.resolve(),
      async stop() {
        gate.resolve();
        await pub.stop();
        srv.services.signals = { ...srv.services.signals, revoked: () => {} };
      },
    };
  }

  it('ok publishCrl: five publications in one second are never post-dated; cRLNumber +1 each, thisUpdate never decreases, every revoked serial listed', async () => {
    clock.advance(1000 - (clock.now().getTime() % 1000) + 400); // x.400 s
    const start = await publishCrl(s(), 'issuing');
    let prev = crlInfo(start!.der);
    const revoked = take(3);
    const seen: bigint[] = [];
    for (let i = 0; i < 5; i++) {
      if (revoked[i]) await revoke(revoked[i]!);
      const row = (await publishCrl(s(), 'issuing'))!;
      const info = crlInfo(row.der);
      expect(info.thisUpdate.getTime()).toBeLessThanOrEqual(clock.now().getTime());
      expect(info.thisUpdate.getTime()).toBe(whole(clock.now()));
      expect(info.thisUpdate.getTime()).toBeGreaterThanOrEqual(prev.thisUpdate.getTime());
      expect(info.crlNumber).toBe(prev.crlNumber + 1n);
      expect(row.thisUpdate.getTime()).toBe(info.thisUpdate.getTime());
      seen.push(info.crlNumber);
      prev = info;
    }
    expect(prev.serials).toEqual(expect.arrayContaining(revoked.map((c) => c.serial)));
    expect((await latest()).crlNumber).toBe(seen.at(-1));
  });

  it('ok kicked publisher: a burst of five revocations in the CRL\'s second → one wait to the next whole second, then ONE CRL listing all five (thisUpdate ≤ now, ≤ 1 s after the revocations)', async () => {
    clock.advance(5000);
    clock.advance(1000 - (clock.now().getTime() % 1000) + 300); // x.300 s
    await publishCrl(s(), 'issuing');
    const before = await latest();
    const pub = testPublisher();
    const burst = take(5);
    const t = clock.now();
    for (const c of burst) await revoke(c);
    pub.open();
    await pub.stop();
    expect(pub.waits).toEqual([700]);
    const after = await latest();
    expect(after.crlNumber).toBe(before.crlNumber + 1n);
    expect(after.thisUpdate.getTime()).toBe(whole(t) + 1000);
    expect(after.thisUpdate.getTime()).toBeLessThanOrEqual(clock.now().getTime());
    expect(after.thisUpdate.getTime() - t.getTime()).toBeLessThanOrEqual(1000);
    expect(after.nextUpdate.getTime()).toBe(after.thisUpdate.getTime() + CRL_VALIDITY_MS);
    expect(after.serials).toEqual(expect.arrayContaining(burst.map((c) => c.serial)));
  });

  it('ok kicked publisher: a revocation in a later second than the last CRL is published at once (no wait)', async () => {
    clock.advance(3_000);
    const before = await latest();
    const pub = testPublisher();
    const [c] = take(1);
    await revoke(c!);
    await pub.stop();
    expect(pub.waits).toEqual([]);
    const after = await latest();
    expect(after.crlNumber).toBe(before.crlNumber + 1n);
    expect(after.thisUpdate.getTime()).toBe(whole(clock.now()));
    expect(after.serials).toContain(c!.serial);
  });

  it('ok within 24 h the stored CRL is served; after 24 h currentCrl, the refresh job and GET /pki/crl re-issue both CRLs (higher cRLNumber, new thisUpdate, nextUpdate +7 days)', async () => {
    clock.advance(10_000);
    const issued = (await publishCrl(s(), 'issuing'))!;
    const root = (await publishCrl(s(), 'root'))!;
    clock.advance(REISSUE_AFTER_MS - 1000);
    expect((await currentCrl(s(), 'issuing'))!.crlNumber).toBe(issued.crlNumber);
    const served = Buffer.from(await (await fetch(`${srv.httpUrl}/pki/crl/issuing.crl`)).arrayBuffer());
    expect(served.equals(Buffer.from(issued.der))).toBe(true);
    expect((await latest()).crlNumber).toBe(BigInt(issued.crlNumber));

    clock.advance(2000); // now 24 h + 1 s after both
    const refresh = startCrlPublisher(s(), { intervalMs: 0 }); // the refresh pass runs at start
    await refresh.stop();
    const now = whole(clock.now());
    for (const [ca, prev] of [['issuing', issued], ['root', root]] as const) {
      const row = (await latestCrl(s().db, ca))!;
      const info = crlInfo(row.der);
      expect(info.crlNumber).toBe(BigInt(prev.crlNumber) + 1n);
      expect(info.thisUpdate.getTime()).toBe(now);
      expect(info.nextUpdate.getTime()).toBe(now + CRL_VALIDITY_MS);
      expect(row.nextUpdate.getTime()).toBe(now + CRL_VALIDITY_MS);
    }

    clock.advance(REISSUE_AFTER_MS + 1000);
    const rootBefore = (await latestCrl(s().db, 'root'))!;
    const res = await fetch(`${srv.httpUrl}/pki/crl/root.crl`);
    const fresh = crlInfo(new Uint8Array(await res.arrayBuffer()));
    expect(fresh.crlNumber).toBe(BigInt(rootBefore.crlNumber) + 1n);
    expect(fresh.thisUpdate.getTime()).toBe(whole(clock.now()));
    expect(res.headers.get('last-modified')).toBe(fresh.thisUpdate.toUTCString());
  });

  it('ok a clock behind the last CRL (stepped back): the CRL is still not post-dated; cRLNumber still increases', async () => {
    await publishCrl(s(), 'issuing');
    const before = await latest();
    clock.advance(-10_000);
    const row = (await publishCrl(s(), 'issuing'))!;
    const info = crlInfo(row.der);
    expect(info.thisUpdate.getTime()).toBe(whole(clock.now()));
    expect(info.thisUpdate.getTime()).toBeLessThan(before.thisUpdate.getTime());
    expect(info.crlNumber).toBe(before.crlNumber + 1n);
    clock.advance(10_000);
  });
});
