/**
 * The browser's CSR (spec 04 §Pickup page 2, spec 03 §Names): the request DN in X.500 order with one
 * attribute per RDN, a valid self-signature for RSA-2048 and P-256, and the server's own CSR check
 * accepting it; the certificate/CSR key match used before a P12 is built.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { checkCsr } from '../../../api/pki/csr.ts';
import { chainFor } from '../../../tests/helpers/p12-fixture.ts';
import { buildCsr, certificateMatchesCsr } from './csr.ts';
import { generateKeyPair } from './keys.ts';
import { handleTask } from './handle-task.ts';
import { fromPem } from './pem.ts';

x509.cryptoProvider.set(globalThis.crypto);

const DN = 'CN=Yamada Taro,OU=Faculty of Science,OU=S1234567,O=Foo, Inc.,L=Academe,ST=Tokyo,C=JP';

describe('buildCsr', () => {
  for (const alg of ['RSA-2048', 'P-256'] as const) {
    it(`ok ${alg}: subject in X.500 order, one attribute per RDN, signature verifies`, async () => {
      const keys = await generateKeyPair(alg);
      const pem = await buildCsr(keys, DN);
      expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
      const csr = new x509.Pkcs10CertificateRequest(pem);
      expect(await csr.verify()).toBe(true);
      // @peculiar/x509 prints the RDNs in encoding order: C first (X.500 order, spec 03 §Names).
      expect(csr.subjectName.toString()).toBe('C=JP, ST=Tokyo, L=Academe, O=Foo\\, Inc., OU=S1234567, OU=Faculty of Science, CN=Yamada Taro');
      expect(csr.subjectName.toJSON().map((rdn) => Object.keys(rdn).length)).toEqual([1, 1, 1, 1, 1, 1, 1]);
      expect(csr.subjectName.toJSON()[0]).toEqual({ C: ['JP'] });
      expect(csr.publicKey.algorithm.name).toBe(alg === 'P-256' ? 'ECDSA' : 'RSASSA-PKCS1-v1_5');
    });
  }

  it('ok: the server CSR check accepts it (same rules as pickup)', async () => {
    const keys = await generateKeyPair('RSA-2048');
    const der = fromPem(await buildCsr(keys, DN), 'CERTIFICATE REQUEST');
    const checked = checkCsr(der);
    expect(checked.key).toMatchObject({ kind: 'rsa', bits: 2048 });
    expect(checked.subject).toBe('CN=Yamada Taro,OU=Faculty of Science,OU=S1234567,O=Foo\\, Inc.,L=Academe,ST=Tokyo,C=JP');
  });
});

describe('certificateMatchesCsr', () => {
  it('ok: own key matches, another key does not', async () => {
    const keys = await generateKeyPair('P-256');
    const other = await generateKeyPair('P-256');
    const csr = await buildCsr(keys, DN);
    const [mine] = await chainFor(keys, 'CN=Yamada Taro,C=JP');
    const [theirs] = await chainFor(other, 'CN=Yamada Taro,C=JP');
    expect(certificateMatchesCsr(mine!, csr)).toBe(true);
    expect(certificateMatchesCsr(theirs!, csr)).toBe(false);
  });

  it('ok RSA-2048: the SubjectPublicKeyInfo found in both is the key itself', async () => {
    const keys = await generateKeyPair('RSA-2048');
    const csr = await buildCsr(keys, DN);
    const [mine] = await chainFor(keys, 'CN=Yamada Taro,C=JP');
    expect(certificateMatchesCsr(mine!, csr)).toBe(true);
    const [theirs] = await chainFor(await generateKeyPair('RSA-2048'), 'CN=Yamada Taro,C=JP');
    expect(certificateMatchesCsr(theirs!, csr)).toBe(false);
  });

  it('NG something that is not a certificate never matches (a CSR under the certificate label, an empty SEQUENCE)', async () => {
    const keys = await generateKeyPair('P-256');
    const csr = await buildCsr(keys, DN);
    const csrAsCertificate = csr.replace(/CERTIFICATE REQUEST/g, 'CERTIFICATE');
    expect(certificateMatchesCsr(csrAsCertificate, csr)).toBe(false);
    const empty = `-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n`;
    expect(certificateMatchesCsr(empty, csr)).toBe(false);
  });
});

describe('handleTask (what the worker runs)', () => {
  it('ok key task: an extractable private key and a CSR for it', async () => {
    const out = await handleTask({ op: 'key', keyAlgorithm: 'P-256', dn: DN });
    expect(out && 'csrPem' in out).toBe(true);
    const { privateKey, csrPem } = out as { privateKey: CryptoKey; csrPem: string };
    expect(privateKey.extractable).toBe(true);
    expect(privateKey.type).toBe('private');
    expect(await new x509.Pkcs10CertificateRequest(csrPem).verify()).toBe(true);
  });

  it('NG p12 task whose certificate is for another key: MISMATCH, no file', async () => {
    const keys = await generateKeyPair('P-256');
    const other = await generateKeyPair('P-256');
    const csrPem = await buildCsr(keys, DN);
    const chain = await chainFor(other, 'CN=x');
    await expect(handleTask({ op: 'p12', privateKey: keys.privateKey, certificates: chain, password: 'abcdefgh', friendlyName: 'x', variant: 'modern', csrPem })).rejects.toMatchObject({ failure: 'MISMATCH' });
    const ok = await handleTask({ op: 'p12', privateKey: keys.privateKey, certificates: await chainFor(keys, 'CN=x'), password: 'abcdefgh', friendlyName: 'x', variant: 'modern', csrPem });
    expect(ok && 'p12' in ok && ok.p12.byteLength > 1000).toBe(true);
  });

  it('NG p12 task with a bad password: a P12 failure, not a crash', async () => {
    const keys = await generateKeyPair('P-256');
    await expect(handleTask({ op: 'p12', privateKey: keys.privateKey, certificates: await chainFor(keys, 'CN=x'), password: '', friendlyName: 'x', variant: 'modern' })).rejects.toMatchObject({ failure: 'P12' });
  });
});
