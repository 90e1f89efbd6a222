import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalSpki, importPublicKey } from './keys.ts';

// Size and exponent are read from the canonical encoding, not from OpenSSL's key details: they must agree.
describe('importPublicKey: RSA size and exponent agree with OpenSSL', () => {
  it.each([
    [2048, 65537],
    [2049, 65537],
    [2055, 3],
    [3072, 65537],
    [4095, 65537],
  ])('%i bits, e = %i', (modulusLength, publicExponent) => {
    const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength, publicExponent });
    const k = importPublicKey(publicKey.export({ type: 'spki', format: 'der' }));
    expect(k.info).toMatchObject({ kind: 'rsa', bits: publicKey.asymmetricKeyDetails!.modulusLength, exponent: publicKey.asymmetricKeyDetails!.publicExponent });
    expect(k.info).toMatchObject({ exponent: BigInt(publicExponent) }); // (OpenSSL may make an odd-sized key a bit shorter than asked)
    const n = Buffer.from(publicKey.export({ format: 'jwk' }).n!, 'base64url');
    expect(k.info.kind === 'rsa' && k.info.modulus).toBe(BigInt('0x' + n.toString('hex')));
  });
});

describe('canonicalSpki is what OpenSSL exports', () => {
  it.each([
    ['RSA-2048', () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })],
    ['RSA-4096', () => crypto.generateKeyPairSync('rsa', { modulusLength: 4096 })],
    ['P-256', () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    ['P-384', () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' })],
  ] as const)('%s', (_n, gen) => {
    const { publicKey } = gen();
    expect(Buffer.from(canonicalSpki(publicKey)).equals(publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  });
});

describe('importPublicKey remembers recent imports by array identity only', () => {
  it('an array whose contents changed is imported afresh', () => {
    const a = new Uint8Array(crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }));
    const b = new Uint8Array(crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }));
    expect(a.length).toBe(b.length);
    const first = importPublicKey(a);
    expect(importPublicKey(a)).toBe(first);
    a.set(b);
    const again = importPublicKey(a);
    expect(again).not.toBe(first);
    expect(again.sha256).toBe(importPublicKey(b).sha256);
    expect(again.sha256).not.toBe(first.sha256);
  });
});
