/**
 * PKCS#12 test material: a three-certificate chain (root, issuing CA, end-entity) for a key made at
 * test time (@peculiar/x509; no key is ever committed), and a reader that takes a PKCS#12 apart with
 * pkijs/asn1js so tests can assert its structure, algorithms and attributes byte by byte.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import { AuthenticatedSafe, CertBag, PFX, PKCS8ShroudedKeyBag, SafeContents, getCrypto } from 'pkijs';

x509.cryptoProvider.set(globalThis.crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** PEMs of an end-entity certificate for `keys` with subject `dn`, its issuing CA and the root. */
export async function chainFor(keys: CryptoKeyPair, dn: string): Promise<string[]> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 86_400_000);
  const rootKeys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const issuingKeys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)];
  const root = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=P12 Test Root,O=Hakko Test,C=JP', notBefore, notAfter, keys: rootKeys, signingAlgorithm: EC, extensions: ca });
  const issuing = await x509.X509CertificateGenerator.create({ serialNumber: '02', subject: 'CN=P12 Test Issuing,O=Hakko Test,C=JP', issuer: root.subject, notBefore, notAfter, publicKey: issuingKeys.publicKey, signingKey: rootKeys.privateKey, signingAlgorithm: EC, extensions: ca });
  const ee = await x509.X509CertificateGenerator.create({
    serialNumber: '0a1b2c', subject: dn, issuer: issuing.subject, notBefore, notAfter, publicKey: keys.publicKey, signingKey: issuingKeys.privateKey, signingAlgorithm: EC,
    extensions: [new x509.BasicConstraintsExtension(false), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  });
  return [ee.toString('pem'), issuing.toString('pem'), root.toString('pem')];
}

export interface BagView {
  readonly bagId: string;
  readonly friendlyName: string | null;
  readonly localKeyId: string | null;
  readonly raw: unknown;
}

export interface P12View {
  readonly version: number;
  readonly mac: { readonly digestOid: string; readonly iterations: number; readonly saltLength: number; readonly paramsNull: boolean };
  /** Per safe: its content type and bags. */
  readonly safes: { readonly contentType: string; readonly bags: BagView[] }[];
  /** Does the MAC verify with `password`? */
  macVerifies(password: string): Promise<boolean>;
}

const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');

function attr(bag: { bagAttributes?: { type: string; values: unknown[] }[] }, oid: string): unknown {
  return bag.bagAttributes?.find((a) => a.type === oid)?.values[0] ?? null;
}

/** A PKCS#12 taken apart (plain safes only: what Hakko writes). */
export function readP12(der: Uint8Array): P12View {
  const pfx = PFX.fromBER(der.slice().buffer);
  const content = (pfx.authSafe.content as asn1js.OctetString).getValue();
  const auth = AuthenticatedSafe.fromBER(content);
  const safes = auth.safeContents.map((ci) => {
    const inner = SafeContents.fromBER((ci.content as asn1js.OctetString).getValue());
    return {
      contentType: ci.contentType,
      bags: inner.safeBags.map((b) => {
        const fn = attr(b, '1.2.840.113549.1.9.20') as asn1js.BmpString | null;
        const id = attr(b, '1.2.840.113549.1.9.21') as asn1js.OctetString | null;
        return { bagId: b.bagId, friendlyName: fn ? fn.valueBlock.value : null, localKeyId: id ? hex(id.getValue()) : null, raw: b.bagValue };
      }),
    };
  });
  const mac = pfx.macData!;
  return {
    version: pfx.version,
    mac: { digestOid: mac.mac.digestAlgorithm.algorithmId, iterations: mac.iterations ?? 1, saltLength: mac.macSalt.getValue().byteLength, paramsNull: mac.mac.digestAlgorithm.algorithmParams instanceof asn1js.Null },
    safes,
    macVerifies: (password: string) =>
      getCrypto(true).verifyDataStampedWithPassword({
        password: new TextEncoder().encode(password).buffer,
        hashAlgorithm: mac.mac.digestAlgorithm.algorithmId === '1.3.14.3.2.26' ? 'SHA-1' : 'SHA-256',
        salt: mac.macSalt.getValue(),
        iterationCount: mac.iterations ?? 1,
        contentToVerify: content,
        signatureToVerify: mac.mac.digest.getValue(),
      }),
  };
}

/** The certificate DER inside a certificate bag. */
export function certOfBag(bag: BagView): Uint8Array {
  return new Uint8Array(((bag.raw as CertBag).certValue as asn1js.OctetString).getValue());
}

/** Algorithm and parameters of a shrouded key bag, and its PKCS#8 decrypted with pkijs (PBES2 only). */
export function keyBagAlgorithm(bag: BagView): { oid: string; params: asn1js.AsnType } {
  const k = bag.raw as PKCS8ShroudedKeyBag;
  return { oid: k.encryptionAlgorithm.algorithmId, params: k.encryptionAlgorithm.algorithmParams as asn1js.AsnType };
}
