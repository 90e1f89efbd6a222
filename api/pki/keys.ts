/**
 * Key and signature algorithms: SubjectPublicKeyInfo inspection, AlgorithmIdentifier encoding,
 * key identifiers and signature verification (RFC 3279, RFC 4055, RFC 5480, RFC 5758).
 */
import crypto from 'node:crypto';
import { DerError, DerReader, TAG, decodeBitString, decodeInteger, decodeOid, inside, nul, oid, readOne, seq, type Bytes, type Tlv } from './der.ts';
import { OID } from './oids.ts';
import type { SignatureAlgorithm } from './signer.ts';

/** Key algorithms Hakko can generate for its own CA and service keys. */
export type CaKeyAlgorithm = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'P-256' | 'P-384';

/** What a SubjectPublicKeyInfo holds. */
export type KeyInfo =
  | { readonly kind: 'rsa'; readonly bits: number; readonly exponent: bigint; readonly modulus: bigint }
  | { readonly kind: 'ec'; readonly curve: 'P-256' | 'P-384' | 'P-521' | string }
  | { readonly kind: 'other'; readonly algorithm: string };

/** Human-readable short form, e.g. `RSA-2048`, `EC P-256`. */
export function keyLabel(k: KeyInfo): string {
  return k.kind === 'rsa' ? `RSA-${k.bits}` : k.kind === 'ec' ? `EC ${k.curve}` : `algorithm ${k.algorithm}`;
}

/** Parsed SubjectPublicKeyInfo (RFC 5280 §4.1.2.7). */
export interface Spki {
  readonly der: Bytes;
  readonly algorithm: string;
  /** The subjectPublicKey BIT STRING contents (without the unused-bits octet). */
  readonly publicKey: Bytes;
  readonly info: KeyInfo;
}

const CURVES: Readonly<Record<string, string>> = { [OID.p256]: 'P-256', [OID.p384]: 'P-384', [OID.p521]: 'P-521' };

/** Parses a SubjectPublicKeyInfo TLV; RSA moduli and exponents are decoded for the key policy. */
export function parseSpki(t: Tlv): Spki {
  const r = inside(t);
  const alg = inside(r.expect(TAG.SEQUENCE, 'AlgorithmIdentifier'));
  const algorithm = decodeOid(alg.expect(TAG.OID));
  const params = alg.done ? undefined : alg.next();
  alg.end('AlgorithmIdentifier');
  const { bytes: publicKey, unused } = decodeBitString(r.expect(TAG.BIT_STRING, 'subjectPublicKey'));
  r.end('SubjectPublicKeyInfo');
  if (unused !== 0) throw new DerError('subjectPublicKey has padding bits');
  let info: KeyInfo;
  if (algorithm === OID.rsaEncryption) {
    if (params && params.tag !== TAG.NULL) throw new DerError('RSA parameters must be NULL');
    const k = inside(readOne(publicKey, TAG.SEQUENCE));
    const modulus = decodeInteger(k.expect(TAG.INTEGER));
    const exponent = decodeInteger(k.expect(TAG.INTEGER));
    k.end('RSAPublicKey');
    if (modulus <= 0n || exponent <= 0n) throw new DerError('RSA key values must be positive');
    info = { kind: 'rsa', bits: modulus.toString(2).length, exponent, modulus };
  } else if (algorithm === OID.ecPublicKey) {
    if (!params || params.tag !== TAG.OID) throw new DerError('EC keys need a named curve');
    const curveOid = decodeOid(params);
    info = { kind: 'ec', curve: CURVES[curveOid] ?? curveOid };
  } else {
    info = { kind: 'other', algorithm };
  }
  return { der: t.raw, algorithm, publicKey, info };
}

/** SubjectKeyIdentifier method 1: SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2). */
export function keyIdentifier(spki: Spki): Bytes {
  return new Uint8Array(crypto.createHash('sha1').update(spki.publicKey).digest());
}

/** Signature algorithm of a signer key: SHA-256 for RSA and P-256, SHA-384 for P-384 (spec 03). */
export function signatureAlgorithmFor(alg: CaKeyAlgorithm): SignatureAlgorithm {
  if (alg.startsWith('RSA')) return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return { name: 'ECDSA', hash: alg === 'P-384' ? 'SHA-384' : 'SHA-256' };
}

/** AlgorithmIdentifier DER for a signature algorithm (RSA with NULL parameters, ECDSA without). */
export function algorithmIdentifier(a: SignatureAlgorithm): Bytes {
  if (a.name === 'RSASSA-PKCS1-v1_5') return seq(oid(a.hash === 'SHA-256' ? OID.sha256WithRSA : OID.sha384WithRSA), nul());
  return seq(oid(a.hash === 'SHA-256' ? OID.ecdsaWithSHA256 : OID.ecdsaWithSHA384));
}

const VERIFY_HASH: Readonly<Record<string, { hash: string; kind: 'rsa' | 'ec' }>> = {
  [OID.sha256WithRSA]: { hash: 'sha256', kind: 'rsa' },
  [OID.sha384WithRSA]: { hash: 'sha384', kind: 'rsa' },
  [OID.sha512WithRSA]: { hash: 'sha512', kind: 'rsa' },
  [OID.ecdsaWithSHA256]: { hash: 'sha256', kind: 'ec' },
  [OID.ecdsaWithSHA384]: { hash: 'sha384', kind: 'ec' },
  [OID.ecdsaWithSHA512]: { hash: 'sha512', kind: 'ec' },
};

/** Decodes a signature AlgorithmIdentifier; null for algorithms Hakko does not verify (SHA-1, PSS…). */
export function readSignatureAlgorithm(t: Tlv): { oid: string; hash: string; kind: 'rsa' | 'ec' } | null {
  const r = inside(t);
  const o = decodeOid(r.expect(TAG.OID));
  const entry = VERIFY_HASH[o];
  if (!entry) return null;
  const params = r.done ? undefined : r.next();
  r.end('AlgorithmIdentifier');
  // RSA: parameters NULL (or absent, which some encoders write); ECDSA: absent (RFC 5758 §3.2).
  if (params && !(entry.kind === 'rsa' && params.tag === TAG.NULL && params.value.length === 0)) return null;
  return { oid: o, ...entry };
}

/**
 * Verifies `signature` over `data` with `key` for a decoded signature algorithm; ECDSA signatures
 * are DER `Ecdsa-Sig-Value`. Returns false (never throws) for a bad or mismatched signature.
 */
export function verifySignature(alg: { hash: string; kind: 'rsa' | 'ec' }, data: Uint8Array, signature: Uint8Array, key: crypto.KeyObject): boolean {
  if ((alg.kind === 'rsa') !== (key.asymmetricKeyType === 'rsa')) return false;
  try {
    return crypto.verify(alg.hash, data, alg.kind === 'ec' ? { key, dsaEncoding: 'der' } : key, signature);
  } catch {
    return false;
  }
}

/**
 * Imports an SPKI into a Node KeyObject and re-exports it in OpenSSL's canonical encoding (EC points
 * uncompressed, RSA parameters NULL), so that one key has one fingerprint whatever the CSR's
 * encoding (spec 03 §CSR rules: key reuse must not be evadable by re-encoding).
 */
export function importSpki(der: Uint8Array): { key: crypto.KeyObject; canonical: Bytes } {
  const key = crypto.createPublicKey({ key: Buffer.from(der.buffer, der.byteOffset, der.length), format: 'der', type: 'spki' });
  const out = key.export({ type: 'spki', format: 'der' });
  return { key, canonical: new Uint8Array(out.buffer, out.byteOffset, out.length).slice() };
}

/** Hex SHA-256 of bytes (certificate and key fingerprints). */
export function sha256Hex(b: Uint8Array): string {
  return crypto.createHash('sha256').update(b).digest('hex');
}

/** A DerReader helper re-exported for modules that only need SPKI parsing. */
export function readSpki(r: DerReader): Spki {
  return parseSpki(r.expect(TAG.SEQUENCE, 'SubjectPublicKeyInfo'));
}
