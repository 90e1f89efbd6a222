import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSoftwareSigner, decryptPrivateKey, encryptedKeyPem, encryptPrivateKey, generateSignerKey } from './software-signer.ts';
import { signCertificate } from './builder.ts';
import { encodeName } from './names.ts';
import { importPublicKey } from './keys.ts';

const PASS = 'correct horse battery staple';

async function selfSigned(alg: 'RSA-2048' | 'P-256' | 'P-384') {
  const g = await generateSignerKey(alg, PASS);
  const { signerFromGenerated } = await import('./software-signer.ts');
  const boot = signerFromGenerated('t', g, new Uint8Array());
  const name = encodeName([{ type: 'CN', value: 't' }]);
  const der = await signCertificate({ serial: 1n, issuer: name, subject: name, notBefore: new Date('2026-01-01Z'), notAfter: new Date('2027-01-01Z'), spki: importPublicKey(g.spki).spki, extensions: [] }, boot);
  return { g, der };
}

describe('software signer (spec 03: keys encrypted at rest, in clear only in memory)', () => {
  it.each(['RSA-2048', 'P-256', 'P-384'] as const)('ok %s: signatures verify with the certificate key (ECDSA as DER)', async (alg) => {
    const { g, der } = await selfSigned(alg);
    const signer = await createSoftwareSigner('t', g.encryptedKey, PASS, der);
    expect(signer.algorithm).toEqual(alg === 'RSA-2048' ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', hash: alg === 'P-384' ? 'SHA-384' : 'SHA-256' });
    const data = new TextEncoder().encode('hello');
    const sig = await signer.sign(data);
    const key = new crypto.X509Certificate(der).publicKey;
    expect(crypto.verify(alg === 'P-384' ? 'sha384' : 'sha256', data, alg === 'RSA-2048' ? key : { key, dsaEncoding: 'der' }, sig)).toBe(true);
    expect(new crypto.X509Certificate(der).verify(key)).toBe(true);
  });
  it.each(['RSA-2048', 'P-256'] as const)('ok %s: the mail signer signs on the thread pool (issue 15), others on the main thread; the signatures verify alike', async (alg) => {
    const { g, der } = await selfSigned(alg);
    const mail = await createSoftwareSigner('mail', g.encryptedKey, PASS, der);
    const issuing = await createSoftwareSigner('issuing', g.encryptedKey, PASS, der);
    expect([mail.threadPool, issuing.threadPool]).toEqual([true, false]);
    const data = new TextEncoder().encode('a mail to sign');
    const key = new crypto.X509Certificate(der).publicKey;
    const sigs = await Promise.all([mail.sign(data), mail.sign(data), issuing.sign(data)]);
    for (const sig of sigs) expect(crypto.verify('sha256', data, alg === 'RSA-2048' ? key : { key, dsaEncoding: 'der' }, sig)).toBe(true);
    // RSA PKCS#1 v1.5 is deterministic: the thread pool makes the very same signature.
    if (alg === 'RSA-2048') expect(Buffer.from(sigs[0]!).equals(Buffer.from(sigs[2]!))).toBe(true);
  });
  it('ok: the CryptoKey is not extractable; the stored form is an encrypted PEM/DER only', async () => {
    const g = await generateSignerKey('RSA-2048', PASS);
    expect(g.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', g.privateKey)).rejects.toThrow();
    expect(encryptedKeyPem(g.encryptedKey)).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END ENCRYPTED PRIVATE KEY-----\n$/);
    expect(Buffer.from(g.encryptedKey).toString('latin1')).not.toContain('PRIVATE KEY');
  });
  it('ok: encrypt/decrypt round trip; a wrong passphrase → CA_PASSPHRASE_MISMATCH', async () => {
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const enc = encryptPrivateKey(privateKey, PASS);
    expect(decryptPrivateKey(enc, PASS).equals(privateKey)).toBe(true);
    expect(() => decryptPrivateKey(enc, 'wrong')).toThrow(/CA_PASSPHRASE_MISMATCH/);
    expect(() => encryptPrivateKey(privateKey, '')).toThrow(/CA_PASSPHRASE_MISSING/);
  });
  it('NG a key that does not match the certificate → CA_KEY_MISMATCH', async () => {
    const a = await selfSigned('P-256');
    const b = await generateSignerKey('P-256', PASS);
    await expect(createSoftwareSigner('t', b.encryptedKey, PASS, a.der)).rejects.toThrow(/CA_KEY_MISMATCH/);
  });
});
