/**
 * Proxy mode (spec 06 §Authentication): the verified certificate arrives URL-encoded in
 * X-SSL-Client-Cert and counts only from TRUSTED_PROXIES; X-Forwarded-For likewise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addTestInstitution, enrollTestOfficer, type OfficerCredentials } from '../helpers/officer.ts';

describe('proxy mode', () => {
  let trusted: TestServer;
  let direct: TestServer;
  let officer: OfficerCredentials;
  beforeAll(async () => {
    trusted = await startTestServer({ env: { TRUSTED_PROXIES: '127.0.0.0/8' } });
    await addTestInstitution(trusted);
    officer = await enrollTestOfficer(trusted, 'sample-u');
    direct = await startTestServer({ env: { TRUSTED_PROXIES: '10.9.8.7' } });
  });
  afterAll(async () => {
    await trusted?.dispose();
    await direct?.dispose();
  });

  const me = (srv: TestServer, cert?: string) => fetch(`${srv.httpUrl}/api/me`, { headers: cert ? { 'x-ssl-client-cert': encodeURIComponent(cert) } : {} });

  it('ok: a trusted proxy forwards the officer certificate over plain HTTP', async () => {
    const r = await me(trusted, officer.certPem);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ email: officer.email, role: 'officer' });
  });

  it('NG the header from an address that is not a trusted proxy is ignored (401)', async () => {
    const r = await me(direct, officer.certPem);
    expect(r.status).toBe(401);
    expect((await r.json()).code).toBe('NO_CERTIFICATE');
  });

  it('NG a forwarded certificate Hakko did not issue → 403; garbage → 401', async () => {
    // The officer's certificate with one signature byte changed: not the certificate Hakko issued.
    const der = Buffer.from(officer.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 1] = der[der.length - 1]! ^ 0xff;
    const foreign = `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
    expect((await me(trusted, foreign)).status).toBe(403);
    expect((await me(trusted, 'not a certificate')).status).toBe(401);
  });
});
