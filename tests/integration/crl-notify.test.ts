/**
 * Several processes on one PostgreSQL (spec 08 §Reliability, spec 03 §Revocation status): a
 * revocation made by another process — a second API process or the `hakko` CLI — must also wake
 * this server's CRL publisher (through NOTIFY hakko_revoked), not only clear its OCSP cache: the
 * CRL this server serves lists the certificate within moments, not after the 24-hour refresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../api/config.ts';
import { silentLogger } from '../../api/log.ts';
import { openServices, type Opened } from '../../api/runtime/bootstrap.ts';
import { revokeBySerial } from '../../api/workflows/revoke.ts';
import { backends } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addTestInstitution, authenticatedOfficer, enrollTestOfficer, type OfficerCredentials } from '../helpers/officer.ts';
import { issueCertificates } from '../helpers/issued.ts';
import { crlInfo } from '../helpers/pki-parse.ts';

const postgres = (await backends()).find((b) => b.name === 'postgres');

if (postgres) {
  describe('CRL after another process revokes (PostgreSQL)', () => {
    let srv: TestServer;
    let officer: OfficerCredentials;
    let other: Opened;
    beforeAll(async () => {
      srv = await startTestServer({ backend: postgres, env: { TRUSTED_PROXIES: '127.0.0.1' } });
      await addTestInstitution(srv);
      officer = await enrollTestOfficer(srv, 'sample-u');
      // The other process: its own services on the same database; its signals reach nobody here.
      other = await openServices(loadConfig(srv.env), silentLogger);
    });
    afterAll(async () => {
      await other?.close();
      await srv?.dispose();
    });

    it('ok the server publishes a CRL listing a certificate another process revoked', async () => {
      const [cert] = await issueCertificates(srv, officer, 1);
      const crlSerials = async () => {
        const der = new Uint8Array(await (await fetch(`${srv.httpUrl}/pki/crl/issuing.crl`)).arrayBuffer());
        return crlInfo(der).serials;
      };
      expect(await crlSerials()).not.toContain(cert!.serial);
      const who = await authenticatedOfficer(srv, officer);
      await revokeBySerial(other.services, { ...who, name: who.name, email: who.email }, cert!.serial, { reason: 1 });
      // Poll (bounded): the publisher waits at most until the next whole second.
      const deadline = Date.now() + 5000;
      let listed = false;
      while (!listed && Date.now() < deadline) {
        listed = (await crlSerials()).includes(cert!.serial);
        if (!listed) await new Promise((r) => setTimeout(r, 50));
      }
      expect(listed).toBe(true);
    }, 60_000);
  });
}
