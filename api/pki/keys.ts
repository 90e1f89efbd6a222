/**
 * Public keys and signature algorithms: SubjectPublicKeyInfo import (Node's OpenSSL parser), key
 * identifiers, AlgorithmIdentifier encodings (pkijs) and signature verification
 * (RFC 3279, RFC 4055, RFC 5480, RFC 5758).
 */
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesEqual, toDer, type Bytes } from './asn1.ts';
import { OID } from './oids.ts';
import type { SignatureAlgorithm } from './signer.ts';

/** Key algorithms Hakko can generate for its own CA and service keys. */
export type CaKeyAlgorithm = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'P-256' | 'P-384';

/** What a public key is, for the key policy. */
export type KeyInfo =
  | { readonly kind: 'rsa'; readonly bits: number; readonly exponent: bigint; readonly modulus: bigint }
  | { readonly kind: 'ec'; readonly curve: string }
  | { readonly kind: 'other'; readonly algorithm: string };

/** An imported public key: Node KeyObject, canonical SPKI DER and what it is. */
export interface PublicKey {
  readonly key: crypto.KeyObject;
  /** OpenSSL's canonical SPKI encoding (EC points uncompressed, RSA parameters NULL). */
  readonly spki: Bytes;
  /** Hex SHA-256 of `spki`: the key fingerprint (spec 03 §CSR rules, key reuse). */
  readonly sha256: string;
  readonly info: KeyInfo;
}

const CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/**
 * Imports a SubjectPublicKeyInfo with Node (OpenSSL validates the structure and EC points) and
 * re-exports it canonically, so that one key has one fingerprint whatever the CSR's encoding
 * (key reuse must not be evadable by re-encoding). Throws on anything OpenSSL rejects.
 */
export function importPublicKey(spkiDer: Uint8Array): PublicKey {
  const hit = imported.get(spkiDer);
  if (hit && bytesEqual(hit.copy, spkiDer)) return hit.pub;
  const key = crypto.createPublicKey({ key: Buffer.from(spkiDer.buffer, spkiDer.byteOffset, spkiDer.length), format: 'der', type: 'spki' });
  const spki = bytes(key.export({ type: 'spki', format: 'der' }));
  const pub = { key, spki, sha256: sha256Hex(spki), info: keyInfo(key) };
  imported.set(spkiDer, { copy: spkiDer.slice(), pub });
  imported.set(spki, { copy: spki.slice(), pub });
  return pub;
}

/**
 * Imports remembered by array identity (checkCsr → buildAndSign → checkIssued pass the same array),
 * re-validated by content on every hit, so a mutated array is imported afresh.
 */
const imported = new WeakMap<Uint8Array, { copy: Uint8Array; pub: PublicKey }>();

function keyInfo(key: crypto.KeyObject): KeyInfo {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const n = key.export({ format: 'jwk' }).n!;
    return { kind: 'rsa', bits: d.modulusLength ?? 0, exponent: d.publicExponent ?? 0n, modulus: BigInt('0x' + Buffer.from(n, 'base64url').toString('hex')) };
  }
  if (key.asymmetricKeyType === 'ec') return { kind: 'ec', curve: CURVES[d.namedCurve ?? ''] ?? String(d.namedCurve) };
  return { kind: 'other', algorithm: String(key.asymmetricKeyType) };
}

/** Human-readable short form, e.g. `RSA-2048`, `EC P-256`. */
export function keyLabel(k: KeyInfo): string {
  return k.kind === 'rsa' ? `RSA-${k.bits}` : k.kind === 'ec' ? `EC ${k.curve}` : `algorithm ${k.algorithm}`;
}

/**
 * SubjectKeyIdentifier method 1: SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2) — the
 * RSAPublicKey DER for RSA, the uncompressed point for EC.
 */
export function keyIdentifier(pub: PublicKey): Bytes {
  let bits: Buffer;
  if (pub.key.asymmetricKeyType === 'rsa') bits = pub.key.export({ type: 'pkcs1', format: 'der' });
  else {
    const jwk = pub.key.export({ format: 'jwk' });
    bits = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  }
  return bytes(crypto.createHash('sha1').update(bits).digest());
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
