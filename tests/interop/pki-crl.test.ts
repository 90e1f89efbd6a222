/**
 * Interop: CRLs (spec 03 §Revocation status, spec 08): `openssl crl -verify` accepts them and
 * `openssl verify -crl_check` reports a revoked certificate as revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAndSign } from '../../api/pki/builder.ts';
import { checkCsr } from '../../api/pki/csr.ts';
import { buildCrl } from '../../api/pki/crl.ts';
import { toPem } from '../../api/pki/pem.ts';
import { newSerial } from '../../api/pki/serial.ts';
import type { Ca } from '../../api/pki/hierarchy.ts';
import { makeCsr, openssl, requestFor, tempDir, testCa } from '../helpers/pki.ts';

let ca: Ca;
const tmp = tempDir();
let revoked: bigint;
beforeAll(async () => {
  ({ ca } = await testCa());
  tmp.file('root.pem', ca.show().root.pem);
  tmp.file('issuing.pem', ca.show().issuing.pem);
  tmp.file('chain.pem', ca.show().root.pem + ca.show().issuing.pem);
  for (const name of ['good', 'revoked']) {
    const csr = checkCsr((await makeCsr('RSA-2048')).pem);
    const serial = newSerial();
    if (name === 'revoked') revoked = serial;
    const cert = await buildAndSign({ request: requestFor(5), publicKey: csr.spki, serial, notBefore: new Date() }, ca.issuer);
    tmp.file(`${name}.pem`, toPem(cert.der, 'CERTIFICATE'));
  }
  const now = new Date();
  const issuing = await buildCrl({ ca: ca.issuer, entries: [{ serial: revoked, revokedAt: now, reason: 1 }, { serial: 12345n, revokedAt: now, reason: 0 }], thisUpdate: now, crlNumber: 42n });
  tmp.file('issuing.crl.pem', issuing.pem);
  tmp.file('issuing.crl', issuing.der);
  const root = await buildCrl({ ca: ca.rootIssuer!, entries: [], thisUpdate: now, crlNumber: 1n });
  tmp.file('root.crl.pem', root.pem);
  tmp.file('crls.pem', issuing.pem + root.pem);
});
afterAll(() => tmp.cleanup());

describe('openssl crl / verify -crl_check', () => {
  it('ok openssl crl -CAfile … -verify accepts the issuing CRL (PEM "X509 CRL" and DER) and the root CRL', () => {
    const pem = openssl(['crl', '-in', tmp.path('issuing.crl.pem'), '-CAfile', tmp.path('issuing.pem'), '-verify', '-noout']);
    expect(pem.out).toContain('verify OK');
    expect(pem.status).toBe(0);
    const der = openssl(['crl', '-inform', 'DER', '-in', tmp.path('issuing.crl'), '-CAfile', tmp.path('issuing.pem'), '-verify', '-noout']);
    expect(der.out).toContain('verify OK');
    expect(openssl(['crl', '-in', tmp.path('root.crl.pem'), '-CAfile', tmp.path('root.pem'), '-verify', '-noout']).out).toContain('verify OK');
  });
  it('NG the issuing CRL does not verify under the root key', () => {
    expect(openssl(['crl', '-in', tmp.path('issuing.crl.pem'), '-CAfile', tmp.path('root.pem'), '-verify', '-noout']).out).not.toContain('verify OK');
  });
  it('ok openssl crl -text: CRL number, AKI, next update, reasons', () => {
    const t = openssl(['crl', '-in', tmp.path('issuing.crl.pem'), '-noout', '-text']).out;
    expect(t).toMatch(/X509v3 CRL Number: \s+42/);
    expect(t).toContain('X509v3 Authority Key Identifier');
    expect(t).toContain('Key Compromise');
    expect(t).toContain('Serial Number: 3039');
    expect(t).toContain('Next Update:');
  });
  it('ok verify -crl_check reports the revoked certificate as revoked and the other as OK', () => {
    const args = (f: string) => ['verify', '-crl_check', '-CAfile', tmp.path('chain.pem'), '-CRLfile', tmp.path('issuing.crl.pem'), tmp.path(f)];
    const bad = openssl(args('revoked.pem'));
    expect(bad.out).toContain('certificate revoked');
    expect(bad.status).not.toBe(0);
    const good = openssl(args('good.pem'));
    expect(good.out).toContain('good.pem: OK');
    expect(good.status).toBe(0);
  });
  it('ok verify -crl_check_all with the root CRL too', () => {
    const r = openssl(['verify', '-crl_check_all', '-CAfile', tmp.path('chain.pem'), '-CRLfile', tmp.path('crls.pem'), tmp.path('good.pem')]);
    expect(r.out).toContain('good.pem: OK');
  });
});
