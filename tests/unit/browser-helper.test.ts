/** The private-key scan used on every browser flow's request bodies finds keys and passes CSRs. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { privateKeyMaterial } from '../helpers/browser.ts';

describe('privateKeyMaterial', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = (k: typeof rsa.privateKey) => k.export({ format: 'der', type: 'pkcs8' });

  it.each([
    ['PEM', () => rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string],
    ['PKCS#1 PEM', () => rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }) as string],
    ['JWK', () => JSON.stringify({ key: rsa.privateKey.export({ format: 'jwk' }) })],
    ['base64 RSA', () => JSON.stringify({ k: der(rsa.privateKey).toString('base64') })],
    ['base64 EC', () => JSON.stringify({ k: der(ec.privateKey).toString('base64') })],
    ['raw DER', () => der(rsa.privateKey).toString('latin1')],
  ])('finds a private key as %s', (_name, body) => {
    expect(privateKeyMaterial(body())).not.toBeNull();
  });

  it('ok a CSR-like body with a public key only', () => {
    const spki = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    expect(privateKeyMaterial(JSON.stringify({ pin: 'ABCD', csr: spki.replace(/PUBLIC KEY/g, 'CERTIFICATE REQUEST') }))).toBeNull();
    expect(privateKeyMaterial(JSON.stringify({ key: rsa.publicKey.export({ format: 'jwk' }) }))).toBeNull();
  });
});
