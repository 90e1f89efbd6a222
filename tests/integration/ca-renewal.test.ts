/**
 * The delegated OCSP responder certificate (30 days) is renewed while the server runs, and the
 * renewal is stored (a restart keeps it) — the key store must not be tied to the start-up transaction.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe.each(await backends())('CA renewal at run time on $name', (backend) => {
  let srv: TestServer;
  afterAll(async () => {
    await srv?.dispose();
  });

  it('ok: after 25 days the OCSP certificate is renewed, stored and kept across a restart', async () => {
    const clock = new FakeClock(new Date());
    srv = await startTestServer({ backend, clock });
    const before = srv.services.ca.show().ocsp.sha256;
    expect(await srv.services.ca.ensureFresh(clock.now())).toEqual([]);
    clock.advanceDays(25);
    expect(await srv.services.ca.ensureFresh(clock.now())).toContain('ocsp');
    const renewed = srv.services.ca.show().ocsp.sha256;
    expect(renewed).not.toBe(before);
    srv = await srv.restart();
    expect(srv.services.ca.show().ocsp.sha256).toBe(renewed);
  });
});
