/**
 * The PKCS#12 builder against spec 04 §PKCS#12 contents, read back with pkijs/asn1js: bag layout,
 * friendlyName and matching localKeyId, the algorithms and iteration counts of each variant, the
 * 8-byte MAC salt, the MAC under the password, and the key decrypting to the very key exported.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import { getCrypto, PBES2Params, PBKDF2Params, PKCS8ShroudedKeyBag } from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { certOfBag, chainFor, keyBagAlgorithm, readP12 } from '../../../tests/helpers/p12-fixture.ts';
import { generateKeyPair } from './keys.ts';
import { assembleP12, buildP12, deriveMacKey, P12_OID, P12_PARAMETERS, shroudKey, type P12Variant } from './p12.ts';
import type { KeyAlgorithm } from '$domain/profiles.ts';

const DN = 'CN=Yamada Taro,OU=S1234567,O=Example University,L=Academe,ST=Tokyo,C=JP';
const PASSWORD = 'Kq7mZp3rXw9tBn2H';

interface Material {
  keys: CryptoKeyPair;
  chain: string[];
  pkcs8: Uint8Array;
}
const material = new Map<KeyAlgorithm, Material>();

beforeAll(async () => {
  for (const alg of ['RSA-2048', 'P-256'] as const) {
    const keys = await generateKeyPair(alg);
    material.set(alg, { keys, chain: await chainFor(keys, DN), pkcs8: new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey)) });
  }
});

const derOf = (pem: string) => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
const sha1hex = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');

async function build(alg: KeyAlgorithm, variant: P12Variant, password = PASSWORD) {
  const m = material.get(alg)!;
  return buildP12({ privateKey: m.keys.privateKey, certificates: m.chain, password, friendlyName: 'Yamada Taro', variant });
}

for (const variant of ['modern', 'compatible'] as const) {
  for (const alg of ['RSA-2048', 'P-256'] as const) {
    describe(`${variant} P12, ${alg}`, () => {
      it('ok: MAC algorithm, 2,048 iterations, 8-byte salt, verifies only with the password', async () => {
        const p12 = readP12(await build(alg, variant));
        expect(p12.version).toBe(3);
        expect(p12.mac.digestOid).toBe(variant === 'modern' ? P12_OID.sha256 : P12_OID.sha1);
        expect(p12.mac.iterations).toBe(2048);
        expect(p12.mac.saltLength).toBe(8);
        await expect(p12.macVerifies(PASSWORD)).resolves.toBe(true);
        await expect(p12.macVerifies(PASSWORD + 'x')).resolves.toBe(false);
      });

      it('ok: certificates in a plain safe (end-entity, issuing, root), the key bag in a second; friendlyName and localKeyId match', async () => {
        const m = material.get(alg)!;
        const p12 = readP12(await build(alg, variant));
        expect(p12.safes.map((s) => s.contentType)).toEqual([P12_OID.data, P12_OID.data]);
        const [certs, keys] = p12.safes;
        expect(certs!.bags.map((b) => b.bagId)).toEqual([P12_OID.certBag, P12_OID.certBag, P12_OID.certBag]);
        expect(certs!.bags.map((b) => Buffer.from(certOfBag(b)).toString('hex'))).toEqual(m.chain.map((pem) => Buffer.from(derOf(pem)).toString('hex')));
        const localKeyId = sha1hex(derOf(m.chain[0]!));
        expect(certs!.bags[0]).toMatchObject({ friendlyName: 'Yamada Taro', localKeyId });
        expect(certs!.bags.slice(1).map((b) => [b.friendlyName, b.localKeyId])).toEqual([[null, null], [null, null]]);
        expect(keys!.bags).toHaveLength(1);
        expect(keys!.bags[0]).toMatchObject({ bagId: P12_OID.keyBag, friendlyName: 'Yamada Taro', localKeyId });
      });
    });
  }
}

describe('key encryption', () => {
  it('ok modern: PBES2, PBKDF2-HMAC-SHA256 100,000 iterations, AES-256-CBC; decrypts to the exported PKCS#8', async () => {
    const p12 = readP12(await build('RSA-2048', 'modern'));
    const bag = p12.safes[1]!.bags[0]!;
    const { oid, params } = keyBagAlgorithm(bag);
    expect(oid).toBe(P12_OID.pbes2);
    const pbes2 = new PBES2Params({ schema: params });
    expect(pbes2.keyDerivationFunc.algorithmId).toBe('1.2.840.113549.1.5.12');
    const kdf = new PBKDF2Params({ schema: pbes2.keyDerivationFunc.algorithmParams });
    expect(kdf.iterationCount).toBe(P12_PARAMETERS.modern.keyIterations);
    expect(kdf.iterationCount).toBe(100_000);
    expect(kdf.prf?.algorithmId).toBe('1.2.840.113549.2.9'); // hmacWithSHA256
    expect(pbes2.encryptionScheme.algorithmId).toBe('2.16.840.1.101.3.4.1.42'); // aes256-CBC
    const shrouded = bag.raw as PKCS8ShroudedKeyBag & { parseInternalValues(p: { password: ArrayBuffer }): Promise<void> };
    await shrouded.parseInternalValues({ password: new TextEncoder().encode(PASSWORD).buffer });
    expect(Buffer.from(shrouded.parsedValue!.toSchema().toBER(false)).equals(Buffer.from(material.get('RSA-2048')!.pkcs8))).toBe(true);
  });

  for (const alg of ['RSA-2048', 'P-256'] as const) {
    it(`ok compatible ${alg}: pbeWithSHAAnd3-KeyTripleDES-CBC, 2,048 iterations, 8-byte salt; decrypts to the exported PKCS#8`, async () => {
      const p12 = readP12(await build(alg, 'compatible'));
      const bag = p12.safes[1]!.bags[0]!;
      const { oid, params } = keyBagAlgorithm(bag);
      expect(oid).toBe(P12_OID.pbeSha1TripleDes);
      const [salt, iterations] = (params as asn1js.Sequence).valueBlock.value as [asn1js.OctetString, asn1js.Integer];
      expect(salt.getValue().byteLength).toBe(8);
      expect(iterations.valueBlock.valueDec).toBe(2048);
      const der = (bag.raw as PKCS8ShroudedKeyBag).toSchema().toBER(false);
      const info = forge.pki.decryptPrivateKeyInfo(forge.asn1.fromDer(forge.util.createBuffer(new Uint8Array(der))), PASSWORD);
      expect(forge.asn1.toDer(info).getBytes()).toBe(Buffer.from(material.get(alg)!.pkcs8).toString('binary'));
    });
  }

  it('ok: two builds of the same key differ (fresh salts and IVs)', async () => {
    const a = await build('P-256', 'modern');
    const b = await build('P-256', 'modern');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});

describe('MAC key derived ahead (deriveMacKey, used while the CSR travels)', () => {
  for (const variant of ['modern', 'compatible'] as const) {
    it(`ok ${variant}: the key gives the same MAC as pkijs' own stampDataWithPassword`, async () => {
      const salt = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
      const content = new TextEncoder().encode('the authenticated safe').buffer;
      const { macHash, macIterations } = P12_PARAMETERS[variant];
      const mac = await deriveMacKey(PASSWORD, variant, salt);
      expect(mac).toMatchObject({ hash: macHash, iterations: macIterations });
      expect(mac.key.byteLength).toBe(macHash === 'SHA-1' ? 20 : 32);
      const hmac = await crypto.subtle.importKey('raw', mac.key, { name: 'HMAC', hash: macHash }, false, ['sign']);
      const ours = await crypto.subtle.sign('HMAC', hmac, content);
      const theirs = await getCrypto(true).stampDataWithPassword({ password: new TextEncoder().encode(PASSWORD).buffer, hashAlgorithm: macHash, salt: salt.buffer, iterationCount: macIterations, contentToStamp: content });
      expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(theirs).toString('hex'));
      const other = await deriveMacKey(PASSWORD + 'x', variant, salt);
      expect(Buffer.from(other.key).equals(Buffer.from(mac.key))).toBe(false);
    });

    it(`ok ${variant}: a file assembled from a shrouded key and a MAC key made ahead verifies with the password only`, async () => {
      const m = material.get('P-256')!;
      const [shroudedKey, macKey] = await Promise.all([shroudKey(m.keys.privateKey, PASSWORD, variant), deriveMacKey(PASSWORD, variant)]);
      const p12 = readP12(await assembleP12({ shroudedKey, macKey, certificates: m.chain, password: PASSWORD, friendlyName: 'Yamada Taro', variant }));
      expect(p12.mac.saltLength).toBe(8);
      await expect(p12.macVerifies(PASSWORD)).resolves.toBe(true);
      await expect(p12.macVerifies(PASSWORD + 'x')).resolves.toBe(false);
    });
  }

  it('NG a MAC key derived for the other variant is refused', async () => {
    const m = material.get('P-256')!;
    const shroudedKey = await shroudKey(m.keys.privateKey, PASSWORD, 'modern');
    const macKey = await deriveMacKey(PASSWORD, 'compatible');
    await expect(assembleP12({ shroudedKey, macKey, certificates: m.chain, password: PASSWORD, friendlyName: 'x', variant: 'modern' })).rejects.toThrow(/another variant/);
  });
});

describe('passwords', () => {
  for (const [name, pw] of [['empty', ''], ['non-ASCII', 'パスワード1234'], ['control character', 'abc\tdefgh']] as const) {
    it(`NG ${name} password refused`, async () => {
      await expect(build('P-256', 'modern', pw)).rejects.toThrow(/printable ASCII/);
    });
  }

  it('ok: a password with spaces and symbols (printable ASCII) works in both variants', async () => {
    for (const variant of ['modern', 'compatible'] as const) {
      const p12 = readP12(await build('P-256', variant, 'a b!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'));
      await expect(p12.macVerifies('a b!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')).resolves.toBe(true);
    }
  });
});
