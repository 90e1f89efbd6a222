/**
 * The operator's choices for the hierarchy (spec 03 §Hierarchy, §Policy OIDs), read at first start:
 * root P-384, issuing CA P-256, an own policy arc. What the running server issues carries them, the
 * chain verifies, and a restart with other values changes nothing that exists (keys, certificates)
 * — only the arc follows the setting, so it must be set before the first start and kept.
 */
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { backends } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addTestInstitution, enrollTestOfficer, SAMPLE_INSTITUTION } from '../helpers/officer.ts';

const ARC = '1.3.6.1.4.1.99999.7';

describe.each(await backends())('CA configuration at first start on $name', (backend) => {
  let srv: TestServer | undefined;
  afterAll(async () => {
    await srv?.dispose();
  });

  it('ok HAKKO_ROOT_KEY_ALGORITHM=P-384, HAKKO_ISSUING_KEY_ALGORITHM=P-256, HAKKO_POLICY_ARC: the hierarchy and an officer certificate carry them', async () => {
    srv = await startTestServer({ backend, env: { HAKKO_ROOT_KEY_ALGORITHM: 'P-384', HAKKO_ISSUING_KEY_ALGORITHM: 'P-256', HAKKO_POLICY_ARC: ARC } });
    const root = new crypto.X509Certificate(srv.services.ca.rootDer);
    const issuing = new crypto.X509Certificate(srv.services.ca.issuingDer);
    expect(root.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    expect(issuing.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(issuing.verify(root.publicKey)).toBe(true);

    await addTestInstitution(srv);
    const officer = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code);
    const cert = new x509.X509Certificate(officer.certPem);
    expect(cert.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });
    const policies = cert.getExtension(x509.CertificatePolicyExtension);
    expect(policies?.policies).toEqual([`${ARC}.2.1`]);
    expect(new crypto.X509Certificate(officer.certPem).verify(issuing.publicKey)).toBe(true);
    await srv.dispose();
    srv = undefined;
  }, 60_000);

  it('ok defaults: root RSA-3072, issuing RSA-2048, a 2.25 arc kept across restarts', async () => {
    let srv2 = await startTestServer({ backend });
    srv = srv2;
    const root = new crypto.X509Certificate(srv2.services.ca.rootDer);
    const issuing = new crypto.X509Certificate(srv2.services.ca.issuingDer);
    expect(root.publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 3072 });
    expect(issuing.publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048 });
    const arc = srv2.services.ca.policyArc;
    expect(arc).toMatch(/^2\.25\.\d+$/);
    const sha = srv2.services.ca.show().root.sha256;
    // Changing the algorithms later does not touch the existing hierarchy.
    Object.assign(srv2.env, { HAKKO_ROOT_KEY_ALGORITHM: 'P-384', HAKKO_ISSUING_KEY_ALGORITHM: 'P-256' });
    srv2 = await srv2.restart();
    srv = srv2;
    expect(srv2.services.ca.show().root.sha256).toBe(sha);
    expect(new crypto.X509Certificate(srv2.services.ca.issuingDer).publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048 });
    expect(srv2.services.ca.policyArc).toBe(arc);
  }, 60_000);
});
