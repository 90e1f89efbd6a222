/**
 * Interop: private keys at rest (spec 03 §Hierarchy): every stored key is a PKCS#8
 * EncryptedPrivateKeyInfo (PBES2, AES-256-CBC) that OpenSSL decrypts with HAKKO_CA_PASSPHRASE and
 * only with it; nothing in the store is a clear key; the TLS credentials serve a certificate that
 * OpenSSL and curl accept with Hakko's root as the only trust anchor.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ca } from '../../api/pki/hierarchy.ts';
import type { MemoryCaKeyStore } from '../../api/pki/hierarchy.ts';
import { TEST_CA_OPTIONS, openssl, runAsync, tempDir, testCa } from '../helpers/pki.ts';

let ca: Ca;
let store: MemoryCaKeyStore;
const tmp = tempDir();
const PASS = TEST_CA_OPTIONS.passphrase;
beforeAll(async () => {
  ({ ca, store } = await testCa());
});
afterAll(() => tmp.cleanup());

describe('keys at rest', () => {
  it.each(['root', 'issuing', 'ocsp', 'mail', 'tls'] as const)('ok %s: EncryptedPrivateKeyInfo, PBES2 + AES-256-CBC, decrypts with the passphrase and matches its certificate', (name) => {
    const rec = store.records.get(name)!;
    const keyFile = tmp.file(`${name}.key.der`, rec.encryptedKey!);
    const certFile = tmp.file(`${name}.pem`, ca.show()[name].pem);
    const parsed = openssl(['asn1parse', '-inform', 'DER', '-in', keyFile]).out;
    expect(parsed).toContain(':PBES2');
    expect(parsed).toContain(':PBKDF2');
    expect(parsed).toContain(':hmacWithSHA256');
    expect(parsed).toContain(':aes-256-cbc');
    // A clear PKCS#8 would start with INTEGER 0 (version) and carry rsaEncryption right away.
    expect(parsed).not.toContain(':rsaEncryption');
    const pub = openssl(['pkey', '-inform', 'DER', '-in', keyFile, '-passin', `pass:${PASS}`, '-pubout']);
    expect(pub.status).toBe(0);
    expect(pub.out).toBe(openssl(['x509', '-in', certFile, '-noout', '-pubkey']).out);
    const wrong = openssl(['pkey', '-inform', 'DER', '-in', keyFile, '-passin', 'pass:wrong', '-pubout']);
    expect(wrong.status).not.toBe(0);
  });
  it('ok nothing in the store is a clear private key', () => {
    const dump = [...store.records.values()].map((r) => Buffer.concat([Buffer.from(r.certificate), Buffer.from(r.encryptedKey ?? []), Buffer.from(JSON.stringify(r.meta ?? {}))]).toString('latin1')).join('\n');
    expect(dump).not.toContain('BEGIN PRIVATE KEY');
    expect(dump).not.toContain('BEGIN RSA PRIVATE KEY');
    for (const [name, rec] of store.records) {
      // a clear key would parse as PrivateKeyInfo without a passphrase
      const r = openssl(['pkey', '-inform', 'DER', '-in', tmp.file(`${name}.probe`, rec.encryptedKey!), '-passin', 'pass:', '-noout']);
      expect(r.status, name).not.toBe(0);
    }
  });
});

describe('TLS credentials', () => {
  it('ok openssl s_client and curl accept the server certificate for localhost with the root as the only anchor', async () => {
    const server = https.createServer(ca.tlsCredentials(), (_q, r) => r.end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const root = tmp.file('root.pem', ca.show().root.pem);
    try {
      const s = await runAsync('sh', ['-c', `echo | openssl s_client -connect 127.0.0.1:${port} -servername localhost -CAfile ${root} -verify_return_error -verify_hostname localhost 2>&1`]);
      expect(s.out).toContain('Verify return code: 0 (ok)');
      const c = await runAsync('curl', ['-sS', '--cacert', root, '--resolve', `localhost:${port}:127.0.0.1`, `https://localhost:${port}/`]);
      expect(c.out).toBe('hello');
      const ip = await runAsync('curl', ['-sS', '--cacert', root, `https://127.0.0.1:${port}/`]);
      expect(ip.out).toBe('hello');
    } finally {
      server.close();
    }
  });
});
