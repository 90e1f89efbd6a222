/**
 * Interop: certificates Hakko issues, checked by the OpenSSL CLI (spec 08 §Interoperability):
 * `openssl verify` chains every profile (and officer/operator certificates) to the root, and
 * `openssl x509 -text` shows each profile's extensions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAndSign } from '../../api/pki/builder.ts';
import { checkIssued } from '../../api/pki/check-issued.ts';
import { checkCsr } from '../../api/pki/csr.ts';
import { toPem } from '../../api/pki/pem.ts';
import { newSerial, serialToHex } from '../../api/pki/serial.ts';
import type { Ca } from '../../api/pki/hierarchy.ts';
import type { CertProfile } from '../../api/pki/profiles.ts';
import { makeCsr, openssl, requestFor, tempDir, testCa, USER_MAIL, type TestKeyKind } from '../helpers/pki.ts';

let ca: Ca;
const tmp = tempDir();
beforeAll(async () => {
  ({ ca } = await testCa());
  tmp.file('root.pem', ca.show().root.pem);
  tmp.file('issuing.pem', ca.show().issuing.pem);
  for (const name of ['ocsp', 'mail', 'tls'] as const) tmp.file(`${name}.pem`, ca.show()[name].pem);
});
afterAll(() => tmp.cleanup());

async function issue(profile: CertProfile, kind: TestKeyKind) {
  const csr = checkCsr((await makeCsr(kind)).pem);
  const input = { request: requestFor(profile), publicKey: csr.spki, serial: newSerial(), notBefore: new Date() };
  const cert = await buildAndSign(input, ca.issuer);
  checkIssued(cert.der, input, ca.issuer);
  const file = tmp.file(`${profile}-${kind}.pem`, toPem(cert.der, 'CERTIFICATE'));
  return { file, serial: input.serial };
}

const verify = (file: string, purpose: string) => openssl(['verify', '-CAfile', tmp.path('root.pem'), '-untrusted', tmp.path('issuing.pem'), '-purpose', purpose, file]);
const text = (file: string) => openssl(['x509', '-in', file, '-noout', '-text', '-nameopt', 'RFC2253']).out;

const CLIENT = [5, 13, 14, 'officer', 'operator'] as const;
const SMIME = [7, 15, 16] as const;

describe('openssl verify: every profile chains to the root', () => {
  it.each([...CLIENT.flatMap((p) => [[p, 'RSA-2048'], [p, 'P-256']]), ...SMIME.flatMap((p) => [[p, 'RSA-2048'], [p, 'P-384']])] as [CertProfile, TestKeyKind][])(
    'ok profile %s with %s',
    async (profile, kind) => {
      const { file } = await issue(profile, kind);
      const smime = SMIME.includes(profile as 7);
      const r = verify(file, smime ? 'smimesign' : 'sslclient');
      expect(r.out).toContain(': OK');
      expect(r.status).toBe(0);
    },
  );
  it('ok the service certificates: OCSP responder, mail signer (S/MIME), TLS server for localhost/127.0.0.1', () => {
    expect(openssl(['verify', '-CAfile', tmp.path('root.pem'), '-untrusted', tmp.path('issuing.pem'), tmp.path('ocsp.pem')]).status).toBe(0);
    expect(verify(tmp.path('mail.pem'), 'smimesign').status).toBe(0);
    const tls = (extra: string[]) => openssl(['verify', '-CAfile', tmp.path('root.pem'), '-untrusted', tmp.path('issuing.pem'), '-purpose', 'sslserver', ...extra, tmp.path('tls.pem')]);
    expect(tls(['-verify_hostname', 'localhost']).status).toBe(0);
    expect(tls(['-verify_ip', '127.0.0.1']).status).toBe(0);
    expect(tls(['-verify_ip', '::1']).status).toBe(0);
    expect(tls(['-verify_hostname', 'example.com']).status).not.toBe(0);
  });
  it('NG a client certificate is not valid for S/MIME, an S/MIME one not for TLS clients', async () => {
    const client = await issue(5, 'RSA-2048');
    const smime = await issue(7, 'RSA-2048');
    expect(verify(client.file, 'smimesign').status).not.toBe(0);
    expect(verify(smime.file, 'sslclient').status).not.toBe(0);
  });
});

describe('an EC hierarchy', () => {
  it('ok root P-384 → issuing P-256 → client certificate: openssl verify, ecdsa-with-SHA256', async () => {
    const { ca: ec } = await testCa({ rootAlgorithm: 'P-384', issuingAlgorithm: 'P-256' });
    const csr = checkCsr((await makeCsr('RSA-2048')).pem);
    const cert = await buildAndSign({ request: requestFor(14), publicKey: csr.spki, serial: newSerial(), notBefore: new Date() }, ec.issuer);
    const dir = tempDir();
    try {
      const r = openssl(['verify', '-CAfile', dir.file('root.pem', ec.show().root.pem), '-untrusted', dir.file('issuing.pem', ec.show().issuing.pem), '-purpose', 'sslclient', dir.file('c.pem', toPem(cert.der, 'CERTIFICATE'))]);
      expect(r.out).toContain('c.pem: OK');
      expect(text(dir.path('c.pem'))).toContain('Signature Algorithm: ecdsa-with-SHA256');
      expect(text(dir.path('issuing.pem'))).toContain('Signature Algorithm: ecdsa-with-SHA384');
    } finally {
      dir.cleanup();
    }
  });
});

describe('openssl x509 -text shows each profile', () => {
  it('ok client profile 5 (RSA): subject = the TSV string, KU, EKU, SAN, CA:FALSE, SKI/AKI, CRL DP, AIA, policy', async () => {
    const { file, serial } = await issue(5, 'RSA-2048');
    const t = text(file);
    expect(t).toContain('Subject: CN=Yamada Taro,OU=Faculty of Science,OU=S1234567,O=Example University,L=Academe,ST=Tokyo,C=JP');
    expect(t).toContain('Issuer: CN=Hakko Client CA,O=Hakko Test CA,C=JP');
    expect(t).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(t).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(t).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment\n/);
    expect(t).toMatch(/X509v3 Extended Key Usage: \s+TLS Web Client Authentication\n/);
    expect(t).toMatch(/X509v3 Subject Alternative Name: \s+email:taro\.yamada@example\.ac\.jp\n/);
    expect(t).toContain('X509v3 Subject Key Identifier');
    expect(t).toContain('X509v3 Authority Key Identifier');
    expect(t).toContain('URI:http://localhost:8080/pki/crl/issuing.crl');
    expect(t).toContain('OCSP - URI:http://localhost:8080/pki/ocsp');
    expect(t).toContain('CA Issuers - URI:http://localhost:8080/pki/ca/issuing.crt');
    expect(t).toContain(`Policy: ${ca.policyArc}.1.5`);
    expect(openssl(['x509', '-in', file, '-noout', '-serial']).out.trim()).toBe(`serial=${serialToHex(serial)}`);
    // spec 03 §Names: `openssl x509 -subject -nameopt RFC2253` prints the TSV string
    expect(openssl(['x509', '-in', file, '-noout', '-subject', '-nameopt', 'RFC2253']).out.trim()).toBe(
      'subject=CN=Yamada Taro,OU=Faculty of Science,OU=S1234567,O=Example University,L=Academe,ST=Tokyo,C=JP',
    );
    // C is a PrintableString, every other value a UTF8String
    const types = openssl(['asn1parse', '-in', file]).out;
    expect(types).toMatch(/countryName\s*\n.*PRINTABLESTRING\s*:JP/);
    expect(types).toMatch(/commonName\s*\n.*UTF8STRING\s*:Yamada Taro/);
  });
  it('ok client profile 13 (EC): digitalSignature only, ecdsa key, policy .1.13', async () => {
    const t = text((await issue(13, 'P-256')).file);
    expect(t).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(t).toContain('id-ecPublicKey');
    expect(t).toContain(`Policy: ${ca.policyArc}.1.13`);
  });
  it.each([
    [7, 'RSA-2048', 'Digital Signature, Key Encipherment'],
    [15, 'P-256', 'Digital Signature, Key Agreement'],
    [16, 'RSA-2048', 'Digital Signature, Key Encipherment'],
  ] as const)('ok S/MIME profile %s (%s): subject CN=<mail> only, KU %s, emailProtection', async (profile, kind, ku) => {
    const t = text((await issue(profile, kind)).file);
    expect(t).toContain(`Subject: CN=${USER_MAIL}\n`);
    expect(t).toMatch(new RegExp(`X509v3 Key Usage: critical\\s+${ku}\\n`));
    expect(t).toMatch(/X509v3 Extended Key Usage: \s+E-mail Protection\n/);
    expect(t).toContain(`email:${USER_MAIL}`);
    expect(t).toContain(`Policy: ${ca.policyArc}.1.${profile}`);
  });
  it('ok officer and operator: own DN and policy OIDs <arc>.2.1 / <arc>.2.2', async () => {
    const o = text((await issue('officer', 'RSA-2048')).file);
    expect(o).toContain(`Subject: CN=${USER_MAIL},OU=Registration Officer,O=Example University,L=Academe,C=JP`);
    expect(o).toContain(`Policy: ${ca.policyArc}.2.1`);
    const op = text((await issue('operator', 'RSA-2048')).file);
    expect(op).toContain(`Subject: CN=${USER_MAIL},OU=Operator,O=Hakko Test CA,C=JP`);
    expect(op).toContain(`Policy: ${ca.policyArc}.2.2`);
  });
  it('ok CA certificates: root self-signed keyCertSign/cRLSign; issuing pathlen:0 with root CRL DP and AIA', () => {
    const root = text(tmp.path('root.pem'));
    expect(root).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/);
    expect(root).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(root).toContain('Public-Key: (3072 bit)');
    const issuing = text(tmp.path('issuing.pem'));
    expect(issuing).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(issuing).toContain('URI:http://localhost:8080/pki/crl/root.crl');
    expect(issuing).toContain('CA Issuers - URI:http://localhost:8080/pki/ca/root.crt');
    const ocsp = text(tmp.path('ocsp.pem'));
    expect(ocsp).toContain('OCSP Signing');
    expect(ocsp).toContain('OCSP No Check');
  });
});
