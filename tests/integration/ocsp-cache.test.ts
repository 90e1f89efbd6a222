/**
 * OCSP answers come from a short-lived status cache (for throughput); a revocation committed by
 * ANOTHER process must reach it at once through NOTIFY (PostgreSQL), so OCSP says revoked "from that
 * moment" (spec 01 §Revocation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { certificates } from '../../db/schema/index.ts';
import { backends, tempDir } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { loadConfig } from '../../api/config.ts';
import { silentLogger } from '../../api/log.ts';
import { openServices, type Opened } from '../../api/runtime/bootstrap.ts';
import { revokeInTx } from '../../api/workflows/revoke.ts';

const pg = (await backends()).find((b) => b.name === 'postgres');

// Cross-process only exists with PostgreSQL (CI requires it: HAKKO_TEST_REQUIRE_PG=1).
if (pg) describe('OCSP status cache across processes (PostgreSQL)', () => {
  let srv: TestServer;
  let other: Opened;
  const dir = tempDir('hakko-ocsp-');
  beforeAll(async () => {
    srv = await startTestServer({ backend: pg });
    other = await openServices(loadConfig(srv.env), silentLogger);
  });
  afterAll(async () => {
    await other?.close();
    await srv?.dispose();
  });

  it('ok: good, then revoked right after another process revokes', async () => {
    const show = srv.services.ca.show();
    writeFileSync(path.join(dir, 'issuing.pem'), show.issuing.pem);
    writeFileSync(path.join(dir, 'mail.pem'), show.mail.pem);
    execFileSync('openssl', ['ocsp', '-issuer', path.join(dir, 'issuing.pem'), '-cert', path.join(dir, 'mail.pem'), '-no_nonce', '-reqout', path.join(dir, 'req.der')]);
    const url = `${srv.httpUrl}/pki/ocsp/${encodeURIComponent(readFileSync(path.join(dir, 'req.der')).toString('base64'))}`;
    const status = async () => {
      writeFileSync(path.join(dir, 'resp.der'), Buffer.from(await (await fetch(url)).arrayBuffer()));
      return execFileSync('openssl', ['ocsp', '-respin', path.join(dir, 'resp.der'), '-issuer', path.join(dir, 'issuing.pem'), '-cert', path.join(dir, 'mail.pem'), '-noverify']).toString();
    };
    expect(await status()).toMatch(/mail\.pem: good/);
    const serial = BigInt('0x' + new (await import('node:crypto')).X509Certificate(show.mail.pem).serialNumber).toString(10);
    const [cert] = await other.services.db.select().from(certificates).where(eq(certificates.serial, serial));
    await other.services.db.transaction((tx) => revokeInTx(other.services, tx, [{ certificate: cert!, reason: 4, comment: null }], new Date(), 'test', null));
    const deadline = Date.now() + 2000; // NOTIFY is asynchronous: allow it to arrive, well under the 5 s cache TTL
    let text = '';
    do text = await status();
    while (!/revoked/.test(text) && Date.now() < deadline);
    expect(text).toMatch(/mail\.pem: revoked/);
  });
});
