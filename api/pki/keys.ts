/**
 * Public keys and signature algorithms: SubjectPublicKeyInfo import (Node's OpenSSL parser), key
 * identifiers, AlgorithmIdentifier encodings (pkijs) and signature verification
 * (RFC 3279, RFC 4055, RFC 5480, RFC 5758).
 */
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { Asn1Error, bytesEqual, encoded, itemsOf, parseDer, rawOf, toDer, type Bytes } from './asn1.ts';
import { toPem } from './pem.ts';
import { OID } from './oids.ts';
import type { SignatureAlgorithm } from './signer.ts';

import type { CaKeyAlgorithm } from '../domain/ca-keys.ts';

export type { CaKeyAlgorithm };

/** What a public key is, for the key policy. */
export type KeyInfo =
  | { readonly kind: 'rsa'; readonly bits: number; readonly exponent: bigint; readonly modulus: bigint }
  | { readonly kind: 'ec'; readonly curve: string }
  | { readonly kind: 'other'; readonly algorithm: string };

/** An imported public key: Node KeyObject, canonical SPKI DER and what it is. */
export interface PublicKey {
  readonly key: crypto.KeyObject;
  /** Canonical SPKI as OpenSSL writes it (RSA parameters NULL; EC points uncompressed). */
  readonly spki: Bytes;
  /** Hex SHA-256 of `spki`: the key fingerprint (spec 03 §CSR rules, key reuse). */
  readonly sha256: string;
  readonly info: KeyInfo;
  /** The subjectPublicKey BIT STRING contents (OCSP issuerKeyHash input, RFC 6960 §4.1.1). */
  readonly subjectPublicKey: Bytes;
  /** SubjectKeyIdentifier method 1: SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2). */
  readonly keyId: Bytes;
}

const CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** Imports a DER SubjectPublicKeyInfo (see `publicKeyFromNode`). */
export function importPublicKey(spkiDer: Uint8Array): PublicKey {
  return recall(spkiDer) ?? remember(spkiDer, publicKeyFromNode(parseDer(spkiDer, 'SubjectPublicKeyInfo')));
}

/**
 * Imports a parsed SubjectPublicKeyInfo: OpenSSL (Node) validates the key (structure, EC point on
 * the curve), gives its type and size, and re-exports it in its canonical encoding (RSA parameters
 * NULL, EC points uncompressed), so that one key has one fingerprint whatever the CSR's encoding
 * (key reuse must not be evadable by re-encoding). Throws on anything OpenSSL rejects.
 */
export function publicKeyFromNode(node: asn1js.AsnType): PublicKey {
  const raw = rawOf(node as asn1js.BaseBlock);
  // As PEM: Node takes an options object ({ key, format: 'der' }) through two exception-driven type
  // checks that cost more than OpenSSL's decoding (spec 08 signing throughput); the key is the same.
  let key = crypto.createPublicKey(toPem(raw, 'PUBLIC KEY'));
  let spki = canonicalSpki(key);
  if (key.asymmetricKeyType === 'ec' && isCompressedEc(spki)) {
    // OpenSSL keeps a compressed point compressed on export; a JWK round trip uncompresses it.
    key = crypto.createPublicKey({ key: key.export({ format: 'jwk' }), format: 'jwk' });
    spki = bytes(key.export({ type: 'spki', format: 'der' }));
  }
  // The canonical form is almost always the input itself; otherwise read the parts from it.
  const tree = bytesEqual(spki, raw) ? node : parseDer(spki, 'SubjectPublicKeyInfo');
  const parts = itemsOf(tree, asn1js.Sequence, 2, 'SubjectPublicKeyInfo');
  const bits = parts[1];
  if (parts.length !== 2 || !(bits instanceof asn1js.BitString) || bits.valueBlock.unusedBits !== 0) throw new Asn1Error('SubjectPublicKeyInfo: unexpected structure');
  const subjectPublicKey = bits.valueBlock.valueHexView;
  const type = key.asymmetricKeyType;
  let info: KeyInfo;
  if (type === 'rsa') {
    // Size and exponent from the canonical encoding OpenSSL accepted and wrote (DER integers: no
    // redundant leading octets), which reads faster than asking OpenSSL for the details.
    const inner = bits.valueBlock.value[0] ?? parseDer(subjectPublicKey, 'RSAPublicKey');
    const [n, e] = itemsOf(inner, asn1js.Sequence, 2, 'RSAPublicKey');
    if (!(n instanceof asn1js.Integer) || !(e instanceof asn1js.Integer)) throw new Asn1Error('RSAPublicKey: modulus or exponent');
    const modulus = unsigned(n.valueBlock.valueHexView);
    info = { kind: 'rsa', bits: bitLength(n.valueBlock.valueHexView), exponent: unsigned(e.valueBlock.valueHexView), modulus };
  } else if (type === 'ec') {
    const d = key.asymmetricKeyDetails ?? {};
    info = { kind: 'ec', curve: CURVES[d.namedCurve ?? ''] ?? String(d.namedCurve) };
  } else {
    info = { kind: 'other', algorithm: String(type) };
  }
  return { key, spki, sha256: sha256Hex(spki), info, subjectPublicKey: new Uint8Array(subjectPublicKey), keyId: sha1(subjectPublicKey) };
}

/** `AlgorithmIdentifier { rsaEncryption, NULL }` (RFC 3279 §2.3.1), encoded once. */
let rsaAlgId: Bytes | undefined;

/**
 * The SubjectPublicKeyInfo OpenSSL writes for a key. For RSA it is built from OpenSSL's RSAPublicKey
 * DER (its `pkcs1` export) and the fixed rsaEncryption AlgorithmIdentifier, which are exactly the
 * parts of its `spki` export (keys.test.ts compares them) at half the cost.
 */
export function canonicalSpki(key: crypto.KeyObject): Bytes {
  if (key.asymmetricKeyType !== 'rsa') return bytes(key.export({ type: 'spki', format: 'der' }));
  rsaAlgId ??= toDer(new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }).toSchema());
  const pkcs1 = key.export({ type: 'pkcs1', format: 'der' });
  return toDer(new asn1js.Sequence({ value: [encoded(rsaAlgId), new asn1js.BitString({ valueHex: pkcs1 })] }));
}

/** A non-negative INTEGER's contents as a bigint (OpenSSL refuses negative RSA parameters before this). */
function unsigned(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex'));
}

/** Bits of a non-negative INTEGER's contents (BN_num_bits: leading zero octets and bits not counted). */
function bitLength(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return i === b.length ? 0 : (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]!));
}

/** Whether an EC SPKI carries a compressed point (its BIT STRING contents start with 0x02 or 0x03). */
function isCompressedEc(spki: Uint8Array): boolean {
  const bits = itemsOf(parseDer(spki, 'SubjectPublicKeyInfo'), asn1js.Sequence, 2, 'SubjectPublicKeyInfo')[1];
  const first = bits instanceof asn1js.BitString ? bits.valueBlock.valueHexView[0] : undefined;
  return first === 2 || first === 3;
}

/** Remembers an import under the input array and the canonical one (checkCsr → buildAndSign → checkIssued). */
export function remember(input: Uint8Array, pub: PublicKey): PublicKey {
  keep(input, pub);
  if (pub.spki !== input) keep(pub.spki, pub);
  return pub;
}

/**
 * The last imports, by array identity, re-validated by content on every hit (a mutated array is
 * imported afresh). A small ring rather than a WeakMap: an issuance hands its key from checkCsr to
 * buildAndSign to checkIssued within moments, and a WeakMap entry per key made the garbage
 * collector's ephemeron work a visible share of issuance time. A miss only costs a re-import.
 */
const RECENT = 128;
const imported: ({ readonly array: Uint8Array; readonly copy: Uint8Array; readonly pub: PublicKey } | undefined)[] = new Array(RECENT);
let nextSlot = 0;

function keep(array: Uint8Array, pub: PublicKey): void {
  imported[nextSlot] = { array, copy: array.slice(), pub };
  nextSlot = (nextSlot + 1) % RECENT;
}

function recall(array: Uint8Array): PublicKey | undefined {
  for (const e of imported) if (e?.array === array && bytesEqual(e.copy, array)) return e.pub;
  return undefined;
}

function sha1(b: Uint8Array): Bytes {
  return bytes(crypto.createHash('sha1').update(b).digest());
}

/** Human-readable short form, e.g. `RSA-2048`, `EC P-256`. */
export function keyLabel(k: KeyInfo): string {
  return k.kind === 'rsa' ? `RSA-${k.bits}` : k.kind === 'ec' ? `EC ${k.curve}` : `algorithm ${k.algorithm}`;
}

/** SubjectKeyIdentifier of a key (RFC 5280 §4.2.1.2 method 1). */
export function keyIdentifier(pub: PublicKey): Bytes {
  return pub.keyId;
}

/** Signature algorithm of a key: SHA-256 for RSA and P-256, SHA-384 for P-384 (spec 03). */
export function signatureAlgorithmFor(alg: CaKeyAlgorithm): SignatureAlgorithm {
  if (alg.startsWith('RSA')) return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return { name: 'ECDSA', hash: alg === 'P-384' ? 'SHA-384' : 'SHA-256' };
}

const algIdCache = new Map<string, Bytes>();

/** AlgorithmIdentifier DER of a signature algorithm: RSA with NULL parameters, ECDSA without (RFC 5758 §3.2). */
export function algorithmIdentifier(a: SignatureAlgorithm): Bytes {
  const id = a.name === 'RSASSA-PKCS1-v1_5' ? (a.hash === 'SHA-256' ? OID.sha256WithRSA : OID.sha384WithRSA) : a.hash === 'SHA-256' ? OID.ecdsaWithSHA256 : OID.ecdsaWithSHA384;
  let der = algIdCache.get(id);
  if (!der) {
    const params = a.name === 'RSASSA-PKCS1-v1_5' ? { algorithmParams: new asn1js.Null() } : {};
    der = toDer(new pkijs.AlgorithmIdentifier({ algorithmId: id, ...params }).toSchema());
    algIdCache.set(id, der);
  }
  return der;
}

const VERIFY: Readonly<Record<string, { hash: string; kind: 'rsa' | 'ec' }>> = {
  [OID.sha256WithRSA]: { hash: 'sha256', kind: 'rsa' },
  [OID.sha384WithRSA]: { hash: 'sha384', kind: 'rsa' },
  [OID.sha512WithRSA]: { hash: 'sha512', kind: 'rsa' },
  [OID.ecdsaWithSHA256]: { hash: 'sha256', kind: 'ec' },
  [OID.ecdsaWithSHA384]: { hash: 'sha384', kind: 'ec' },
  [OID.ecdsaWithSHA512]: { hash: 'sha512', kind: 'ec' },
};

export type VerifyAlgorithm = { readonly hash: string; readonly kind: 'rsa' | 'ec' };

/**
 * The verification parameters of a signature AlgorithmIdentifier, or null for algorithms Hakko does
 * not accept (SHA-1, RSASSA-PSS, …). RSA parameters must be NULL or absent; ECDSA's absent.
 */
export function verifyAlgorithm(algorithmId: string, params: unknown): VerifyAlgorithm | null {
  const v = VERIFY[algorithmId];
  if (!v) return null;
  if (params !== undefined && !(v.kind === 'rsa' && params instanceof asn1js.Null)) return null;
  return v;
}

/** `verifyAlgorithm` of a parsed AlgorithmIdentifier SEQUENCE node. */
export function verifyAlgorithmOf(node: unknown): VerifyAlgorithm | null {
  if (!(node instanceof asn1js.Sequence)) return null;
  const [id, params, extra] = node.valueBlock.value;
  if (!(id instanceof asn1js.ObjectIdentifier) || extra !== undefined) return null;
  return verifyAlgorithm(id.getValue(), params);
}

/** Verifies a signature (ECDSA in DER `Ecdsa-Sig-Value` form); false, never a throw, when it fails. */
export function verifySignature(alg: VerifyAlgorithm, data: Uint8Array, signature: Uint8Array, key: crypto.KeyObject): boolean {
  if ((alg.kind === 'rsa') !== (key.asymmetricKeyType === 'rsa')) return false;
  try {
    return crypto.verify(alg.hash, data, alg.kind === 'ec' ? { key, dsaEncoding: 'der' } : key, signature);
  } catch {
    return false;
  }
}

/** Hex SHA-256 (certificate and key fingerprints). */
export function sha256Hex(b: Uint8Array): string {
  return crypto.createHash('sha256').update(b).digest('hex');
}

function bytes(b: Buffer): Bytes {
  return new Uint8Array(b.buffer, b.byteOffset, b.length).slice();
}
