/**
 * CSR checks before signing (spec 03 §CSR rules): a valid PKCS#10 structure (RFC 2986), a
 * self-signature that verifies (proof of possession) and an accepted key type. The CSR contributes
 * only its public key: its subject is returned for display and never used for the certificate.
 */
import { HakkoError } from '../errors.ts';
import { DerError, TAG, decodeBitString, decodeInteger, inside, readOne, type Bytes } from './der.ts';
import { importSpki, parseSpki, readSignatureAlgorithm, sha256Hex, verifySignature, type KeyInfo } from './keys.ts';
import { subscriberKeyProblem } from './key-policy.ts';
import { decodeName, formatDn } from './names.ts';
import { fromPem } from './pem.ts';

/** Upper bound on a CSR's size: RSA-4096 with a long DN stays far below it. */
export const MAX_CSR_BYTES = 16 * 1024;

export interface CheckedCsr {
  /** The CSR (DER). */
  readonly der: Bytes;
  /** The public key as canonical SubjectPublicKeyInfo DER (what goes into the certificate). */
  readonly spki: Bytes;
  /** Hex SHA-256 of `spki`: the key fingerprint for KEY_REUSED / KEY_SAME_AS_REPLACED. */
  readonly spkiSha256: string;
  readonly key: KeyInfo;
  /** The CSR's own subject (RFC 4514), for display; null when it cannot be decoded. Never signed. */
  readonly subject: string | null;
}

/**
 * Checks a CSR given as PEM (`CERTIFICATE REQUEST` or `NEW CERTIFICATE REQUEST`) or DER. Throws
 * HakkoError `CSR_MALFORMED`, `KEY_UNSUPPORTED` or `CSR_SIGNATURE` with a short English `detail`.
 */
export function checkCsr(input: string | Uint8Array): CheckedCsr {
  const der = typeof input === 'string' ? fromPem(input, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']) : new Uint8Array(input);
  if (!der || der.length === 0) throw refuse('CSR_MALFORMED', 'not a PEM certificate request');
  if (der.length > MAX_CSR_BYTES) throw refuse('CSR_MALFORMED', 'the CSR is too large');

  let parsed;
  try {
    parsed = parseCsr(der);
  } catch (e) {
    throw refuse('CSR_MALFORMED', e instanceof DerError ? e.message : 'unreadable structure');
  }
  const keyProblem = subscriberKeyProblem(parsed.spki);
  if (keyProblem) throw refuse('KEY_UNSUPPORTED', keyProblem);

  let imported;
  try {
    imported = importSpki(parsed.spki.der);
  } catch {
    throw refuse('CSR_MALFORMED', 'the public key is not valid');
  }
  const alg = readSignatureAlgorithm(parsed.signatureAlgorithm);
  if (!alg) throw refuse('CSR_SIGNATURE', 'unsupported signature algorithm (RSA PKCS#1 v1.5 or ECDSA with SHA-2 accepted)');
  if (!verifySignature(alg, parsed.info, parsed.signature, imported.key)) throw refuse('CSR_SIGNATURE', 'the self-signature does not verify');

  let subject: string | null = null;
  try {
    subject = formatDn(decodeName(parsed.subject));
  } catch {
    subject = null;
  }
  return { der, spki: imported.canonical, spkiSha256: sha256Hex(imported.canonical), key: parsed.spki.info, subject };
}

/** Splits a PKCS#10 CertificationRequest into its parts (RFC 2986 §4). */
function parseCsr(der: Bytes) {
  const req = inside(readOne(der, TAG.SEQUENCE));
  const infoTlv = req.expect(TAG.SEQUENCE, 'certificationRequestInfo');
  const signatureAlgorithm = req.expect(TAG.SEQUENCE, 'signatureAlgorithm');
  const sig = decodeBitString(req.expect(TAG.BIT_STRING, 'signature'));
  req.end('CertificationRequest');
  if (sig.unused !== 0) throw new DerError('signature has padding bits');

  const info = inside(infoTlv);
  if (decodeInteger(info.expect(TAG.INTEGER, 'version')) !== 0n) throw new DerError('version must be 0 (v1)');
  const subject = info.expect(TAG.SEQUENCE, 'subject');
  const spki = parseSpki(info.expect(TAG.SEQUENCE, 'subjectPKInfo'));
  info.optional(0xa0); // attributes [0]: content ignored (extension requests are not honoured)
  info.end('certificationRequestInfo');
  return { info: infoTlv.raw, subject, spki, signatureAlgorithm, signature: sig.bytes };
}

function refuse(code: 'CSR_MALFORMED' | 'CSR_SIGNATURE' | 'KEY_UNSUPPORTED', detail: string): HakkoError {
  return new HakkoError(code, { extra: { detail } });
}
