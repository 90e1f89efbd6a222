import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCsr } from './csr.ts';
import { importPublicKey } from './keys.ts';
import { toDer } from './asn1.ts';
import { HakkoError } from '../errors.ts';
import { makeCsr, testKeys, type TestCsr } from '../../tests/helpers/pki.ts';

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof HakkoError) return `${e.code}: ${String(e.extra?.detail)}`;
    throw e;
  }
  return 'ok';
}

describe('checkCsr (spec 03 §CSR rules)', () => {
  let rsa: TestCsr;
  beforeAll(async () => {
    rsa = await makeCsr('RSA-2048');
  });

  it('ok: RSA-2048 PEM — canonical SPKI, its SHA-256 and the CSR subject for display', async () => {
    const c = checkCsr(rsa.pem);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', rsa.keys.publicKey));
    expect(Buffer.from(c.spki).equals(Buffer.from(spki))).toBe(true);
    expect(c.spkiSha256).toBe(crypto.createHash('sha256').update(spki).digest('hex'));
    expect(c.key).toMatchObject({ kind: 'rsa', bits: 2048, exponent: 65537n });
    // @peculiar/x509 encodes the name in string order, so the CN is the outermost RDN.
    expect(c.subject).toBe('C=JP,O=Example University,CN=Test User');
    expect(Buffer.from(c.der).equals(Buffer.from(rsa.der))).toBe(true);
  });
  it('ok: DER input and the NEW CERTIFICATE REQUEST label', () => {
    expect(checkCsr(rsa.der).spkiSha256).toBe(checkCsr(rsa.pem).spkiSha256);
    expect(checkCsr(rsa.pem.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST')).key.kind).toBe('rsa');
  });
  it.each(['RSA-3072', 'P-256', 'P-384'] as const)('ok: %s', async (kind) => {
    expect(codeOf(() => checkCsr(''))).toMatch(/^CSR_MALFORMED/);
    const csr = await makeCsr(kind);
    expect(codeOf(() => checkCsr(csr.pem))).toBe('ok');
  });
  it.each([
    ['RSA-1024', 'KEY_UNSUPPORTED: RSA key of 1024 bits (2048–4096 accepted)'],
    ['RSA-e3', 'KEY_UNSUPPORTED: RSA public exponent 3 (65537 required)'],
    ['P-521', 'KEY_UNSUPPORTED: EC curve P-521 (P-256 and P-384 accepted)'],
  ] as const)('NG %s', async (kind, want) => {
    const csr = await makeCsr(kind);
    expect(codeOf(() => checkCsr(csr.pem))).toBe(want);
  });
  it('NG Ed25519 key → KEY_UNSUPPORTED', async () => {
    const keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys, signingAlgorithm: { name: 'Ed25519' } });
    expect(codeOf(() => checkCsr(csr.toString('pem')))).toMatch(/^KEY_UNSUPPORTED/);
  });
  it('NG tampered signature → CSR_SIGNATURE', () => {
    const der = rsa.der.slice();
    der[der.length - 1]! ^= 0x01;
    expect(codeOf(() => checkCsr(der))).toBe('CSR_SIGNATURE: the self-signature does not verify');
  });
  it('NG tampered subject (signed bytes changed) → CSR_SIGNATURE', () => {
    const der = rsa.der.slice();
    const at = Buffer.from(der).indexOf(Buffer.from('Test User'));
    der[at]! ^= 0x20;
    expect(codeOf(() => checkCsr(der))).toBe('CSR_SIGNATURE: the self-signature does not verify');
  });
  it('NG SHA-1 signature → CSR_SIGNATURE (unsupported algorithm)', async () => {
    const csr = await makeCsr('RSA-2048', { hash: 'SHA-1' });
    expect(codeOf(() => checkCsr(csr.pem))).toMatch(/^CSR_SIGNATURE: unsupported signature algorithm/);
  });
  it('NG RSASSA-PSS signature → CSR_SIGNATURE (unsupported algorithm)', async () => {
    const keys = (await crypto.subtle.generateKey({ name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys, signingAlgorithm: { name: 'RSA-PSS', saltLength: 32 } as Algorithm });
    expect(codeOf(() => checkCsr(csr.toString('pem')))).toMatch(/^CSR_SIGNATURE|^KEY_UNSUPPORTED/);
  });
  it.each([
    ['empty', ''],
    ['not PEM', 'hello'],
    ['a certificate, not a CSR', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'],
    ['bad base64', '-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n'],
    ['base64 of garbage', '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n'],
  ])('NG %s → CSR_MALFORMED', (_n, pem) => {
    expect(codeOf(() => checkCsr(pem))).toMatch(/^CSR_MALFORMED/);
  });
  it('NG truncated or extended DER → CSR_MALFORMED', () => {
    expect(codeOf(() => checkCsr(rsa.der.subarray(0, rsa.der.length - 10)))).toMatch(/^CSR_MALFORMED/);
    expect(codeOf(() => checkCsr(new Uint8Array([...rsa.der, 0])))).toMatch(/^CSR_MALFORMED/);
  });
  it('NG oversized input → CSR_MALFORMED', () => {
    expect(codeOf(() => checkCsr(new Uint8Array(20_000)))).toBe('CSR_MALFORMED: the CSR is too large');
  });
  it('NG random bytes never crash (always a HakkoError)', () => {
    for (let i = 0; i < 300; i++) {
      const der = rsa.der.slice();
      der[Math.floor(Math.random() * der.length)] = Math.floor(Math.random() * 256);
      expect(codeOf(() => checkCsr(der))).toMatch(/^(ok|CSR_MALFORMED|CSR_SIGNATURE|KEY_UNSUPPORTED)/);
    }
  });
});

describe('key fingerprints', () => {
  it('ok: the same EC key compressed or uncompressed has one fingerprint (no KEY_REUSED evasion)', async () => {
    const keys = await testKeys('P-256');
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
    const point = new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey));
    const compressed = crypto.ECDH.convertKey(Buffer.from(point), 'prime256v1', undefined, undefined, 'compressed') as Buffer;
    const alg = new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.10045.2.1' }), new asn1js.ObjectIdentifier({ value: '1.2.840.10045.3.1.7' })] });
    const compressedSpki = toDer(new asn1js.Sequence({ value: [alg, new asn1js.BitString({ valueHex: new Uint8Array(compressed) })] }));
    const a = importPublicKey(spki);
    const b = importPublicKey(compressedSpki);
    expect(compressedSpki.length).toBeLessThan(spki.length);
    expect(b.sha256).toBe(a.sha256);
    expect(Buffer.from(b.spki).equals(Buffer.from(spki))).toBe(true);
    expect(Buffer.from(b.keyId).equals(Buffer.from(a.keyId))).toBe(true);
  });
  it('ok: SKI is SHA-1 of the subjectPublicKey (RFC 5280 §4.2.1.2 method 1)', async () => {
    const keys = await testKeys('RSA-2048');
    const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
    const pkcs1 = crypto.createPublicKey({ key: jwk as crypto.JsonWebKey, format: 'jwk' }).export({ type: 'pkcs1', format: 'der' });
    const pub = importPublicKey(new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)));
    expect(Buffer.from(pub.keyId).toString('hex')).toBe(crypto.createHash('sha1').update(pkcs1).digest('hex'));
  });
});
