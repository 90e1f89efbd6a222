import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as pkijs from 'pkijs';
import { buildAndSign, type IssueInput } from './builder.ts';
import { checkIssued } from './check-issued.ts';
import { checkCsr, type CheckedCsr } from './csr.ts';
import { parseDer } from './asn1.ts';
import { PkiError } from './errors.ts';
import { newSerial } from './serial.ts';
import type { Ca } from './hierarchy.ts';
import type { CertProfile } from './profiles.ts';
import { makeCsr, requestFor, testCa, USER_MAIL } from '../../tests/helpers/pki.ts';

let ca: Ca;
let other: Ca;
let rsaCsr: CheckedCsr;
let ecCsr: CheckedCsr;
beforeAll(async () => {
  [{ ca }, { ca: other }, rsaCsr, ecCsr] = await Promise.all([testCa(), testCa(), makeCsr('RSA-2048').then((c) => checkCsr(c.pem)), makeCsr('P-256').then((c) => checkCsr(c.pem))]);
});

const input = (profile: CertProfile, csr: CheckedCsr, over: Partial<IssueInput> = {}): IssueInput => ({
  request: requestFor(profile),
  publicKey: csr.spki,
  serial: newSerial(),
  notBefore: new Date('2026-06-01T00:00:00.250Z'),
  ...over,
});

function problemsOf(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof PkiError) return e.message;
    throw e;
  }
}

describe('buildAndSign + checkIssued (spec 03 §End-entity profiles)', () => {
  it.each([5, 13, 14, 7, 15, 16, 'officer', 'operator'] as CertProfile[])('ok profile %s, RSA and EC keys', async (profile) => {
    for (const csr of [rsaCsr, ecCsr]) {
      const inp = input(profile, csr);
      const cert = await buildAndSign(inp, ca.issuer);
      expect(problemsOf(() => checkIssued(cert.der, inp, ca.issuer))).toBe('ok');
      expect(cert.notBefore.toISOString()).toBe('2026-06-01T00:00:00.000Z');
      const x = new crypto.X509Certificate(cert.der);
      expect(x.verify(new crypto.X509Certificate(ca.issuingDer).publicKey)).toBe(true);
      expect(BigInt('0x' + x.serialNumber)).toBe(inp.serial);
      // pkijs (a third parser) reads it too, with the extensions in the documented order.
      const p = new pkijs.Certificate({ schema: parseDer(cert.der, 'Certificate') });
      expect(p.extensions!.map((e) => e.extnID)).toEqual(['2.5.29.19', '2.5.29.15', '2.5.29.37', '2.5.29.14', '2.5.29.35', '2.5.29.31', '1.3.6.1.5.5.7.1.1', '2.5.29.17', '2.5.29.32']);
    }
  });
  it('ok: the CSR subject is ignored; the request DN is the subject', async () => {
    const inp = input(5, rsaCsr);
    const x = new crypto.X509Certificate((await buildAndSign(inp, ca.issuer)).der);
    expect(x.subject).toBe('C=JP\nST=Tokyo\nL=Academe\nO=Example University\nOU=S1234567\nOU=Faculty of Science\nCN=Yamada Taro');
    expect(x.subjectAltName).toBe(`email:${USER_MAIL}`);
  });
  it('NG checkIssued finds every difference from the request', async () => {
    const inp = input(5, rsaCsr);
    const cert = await buildAndSign(inp, ca.issuer);
    expect(problemsOf(() => checkIssued(cert.der, { ...inp, serial: inp.serial + 1n }, ca.issuer))).toContain('serial differs');
    expect(problemsOf(() => checkIssued(cert.der, { ...inp, request: requestFor(5, 'other@example.ac.jp') }, ca.issuer))).toContain('subjectAltName differs');
    expect(problemsOf(() => checkIssued(cert.der, { ...inp, request: requestFor(13) }, ca.issuer))).toMatch(/notAfter differs.*certificatePolicies differ/);
    expect(problemsOf(() => checkIssued(cert.der, { ...inp, request: requestFor(15) }, ca.issuer))).toMatch(/subject differs.*extKeyUsage differs/);
    expect(problemsOf(() => checkIssued(cert.der, { ...inp, publicKey: ecCsr.spki }, ca.issuer))).toMatch(/public key differs/);
    expect(problemsOf(() => checkIssued(cert.der, { ...inp, notBefore: new Date('2026-06-02T00:00:00Z') }, ca.issuer))).toMatch(/notBefore differs/);
  });
  it('NG a certificate from another CA does not pass', async () => {
    const inp = input(5, rsaCsr);
    const foreign = await buildAndSign(inp, other.issuer);
    expect(problemsOf(() => checkIssued(foreign.der, inp, ca.issuer))).toMatch(/issuer name or key identifier differs.*signature does not verify/);
  });
  it('NG a flipped signature bit is caught', async () => {
    const inp = input(5, rsaCsr);
    const der = (await buildAndSign(inp, ca.issuer)).der.slice();
    der[der.length - 5]! ^= 1;
    expect(problemsOf(() => checkIssued(der, inp, ca.issuer))).toBe('ISSUED_MISMATCH: signature does not verify with the issuing CA key');
  });
  it('ok an EC hierarchy (root P-384, issuing P-256) signs with ECDSA and passes checkIssued', async () => {
    const { ca: ec } = await testCa({ rootAlgorithm: 'P-384', issuingAlgorithm: 'P-256' });
    const inp = input(7, rsaCsr);
    const cert = await buildAndSign(inp, ec.issuer);
    expect(problemsOf(() => checkIssued(cert.der, inp, ec.issuer))).toBe('ok');
    expect(new crypto.X509Certificate(ec.issuingDer).verify(new crypto.X509Certificate(ec.rootDer).publicKey)).toBe(true);
    const p = new pkijs.Certificate({ schema: parseDer(cert.der, 'Certificate') });
    expect(p.signatureAlgorithm.algorithmId).toBe('1.2.840.10045.4.3.2');
  });
  it('NG garbage is ISSUED_MISMATCH, not a crash', () => {
    expect(problemsOf(() => checkIssued(new Uint8Array([1, 2, 3]), input(5, rsaCsr), ca.issuer))).toMatch(/^ISSUED_MISMATCH: unparsable/);
  });
  it('NG a certificate outliving the issuing CA is refused', async () => {
    const late = new Date(ca.issuer.certificate.notAfter.getTime() - 86_400_000);
    await expect(buildAndSign(input(5, rsaCsr, { notBefore: late }), ca.issuer)).rejects.toThrow(/CA_EXPIRES_TOO_SOON/);
  });
  it('NG a weak key is refused by the builder too (re-check)', async () => {
    const weak = checkCsrLoose(await makeCsr('RSA-1024'));
    await expect(buildAndSign(input(5, rsaCsr, { publicKey: weak }), ca.issuer)).rejects.toThrow(/key refused: RSA key of 1024 bits/);
  });
  it.each([[1n, '01'], [0x80n, '80'], [0xabcn, '0ABC'], [(1n << 127n) - 1n, '7F'.padEnd(32, 'F')]])('ok serial %s is a positive minimal INTEGER', async (serial, hex) => {
    const cert = await buildAndSign(input(5, rsaCsr, { serial }), ca.issuer);
    expect(new crypto.X509Certificate(cert.der).serialNumber).toBe(hex);
    const p = new pkijs.Certificate({ schema: parseDer(cert.der, 'Certificate') });
    expect(p.serialNumber.toBigInt()).toBe(serial);
  });
  it('NG invalid serials are refused', async () => {
    await expect(buildAndSign(input(5, rsaCsr, { serial: 0n }), ca.issuer)).rejects.toThrow(/serial/);
    await expect(buildAndSign(input(5, rsaCsr, { serial: 1n << 160n }), ca.issuer)).rejects.toThrow(/serial/);
  });
});

/** The SPKI of a CSR without the policy check (to feed the builder a key checkCsr would refuse). */
function checkCsrLoose(csr: { keys: CryptoKeyPair; der: Uint8Array }): Uint8Array {
  const req = new pkijs.CertificationRequest({ schema: parseDer(csr.der, 'csr') });
  return new Uint8Array(req.subjectPublicKeyInfo.toSchema().toBER());
}
