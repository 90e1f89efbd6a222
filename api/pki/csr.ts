/**
 * CSR checks before signing (spec 03 §CSR rules): a valid PKCS#10 structure (RFC 2986), a
 * self-signature that verifies (proof of possession) and an accepted key type. The CSR contributes
 * only its public key: its subject is returned for display and never used for the certificate.
 */
import * as asn1js from 'asn1js';
import { HakkoError } from '../errors.ts';
import { Asn1Error, itemsOf, parseDer, rawOf, type Bytes } from './asn1.ts';
import { publicKeyFromNode, remember, verifyAlgorithmOf, verifySignature, type KeyInfo, type PublicKey } from './keys.ts';
import { subscriberKeyProblem } from './key-policy.ts';
import { decodeName, formatDn } from './names.ts';
import { OID } from './oids.ts';
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
  // PEM of a CSR at the DER limit is about 4/3 of it plus line breaks and boundaries: anything much
  // longer is refused before it is read.
  if (input.length > 2 * MAX_CSR_BYTES + 1024) throw refuse('CSR_MALFORMED', 'the CSR is too large');
  const der = typeof input === 'string' ? fromPem(input, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']) : (new Uint8Array(input) as Bytes);
  if (!der || der.length === 0) throw refuse('CSR_MALFORMED', 'not a PEM certificate request');
  if (der.length > MAX_CSR_BYTES) throw refuse('CSR_MALFORMED', 'the CSR is too large');

  let parsed;
  try {
    parsed = parseCsr(der);
  } catch (e) {
    throw refuse('CSR_MALFORMED', e instanceof Asn1Error ? e.message : 'unreadable structure');
  }
  let key: PublicKey;
  try {
    key = publicKeyFromNode(parsed.spki);
  } catch (e) {
    // OpenSSL refused the key: a broken RSA/EC key is malformed, any other algorithm unsupported.
    const known = parsed.spkiAlgorithm === OID.rsaEncryption || parsed.spkiAlgorithm === OID.ecPublicKey;
    if (!known) throw refuse('KEY_UNSUPPORTED', `key algorithm ${parsed.spkiAlgorithm} (RSA and EC accepted)`);
    throw refuse('CSR_MALFORMED', e instanceof Asn1Error ? e.message : 'the public key is not valid');
  }
  const keyProblem = subscriberKeyProblem(key.info);
  if (keyProblem) throw refuse('KEY_UNSUPPORTED', keyProblem);
  const alg = verifyAlgorithmOf(parsed.signatureAlgorithm);
  if (!alg) throw refuse('CSR_SIGNATURE', 'unsupported signature algorithm (RSA PKCS#1 v1.5 or ECDSA with SHA-2 accepted)');
  if (!verifySignature(alg, parsed.info, parsed.signature, key.key)) throw refuse('CSR_SIGNATURE', 'the self-signature does not verify');

  remember(rawOf(parsed.spki), key);
  const subjectNode = parsed.subject;
  return {
    der,
    spki: key.spki,
    spkiSha256: key.sha256,
    key: key.info,
    // Decoded on demand: nothing on the signing path needs it.
    get subject() {
      try {
        return formatDn(decodeName(subjectNode));
      } catch {
        return null;
      }
    },
  };
}

/** Splits a PKCS#10 CertificationRequest into its parts (RFC 2986 §4) with asn1js. */
function parseCsr(der: Bytes) {
  // Embedded contents unparsed: the signature is opaque, and the key is read by OpenSSL (keys.ts).
  const root = parseDer(der, 'CertificationRequest', { parseEmbedded: false });
  const parts = itemsOf(root, asn1js.Sequence, 3, 'CertificationRequest');
  const [info, signatureAlgorithm, sig] = parts;
  if (parts.length !== 3) throw new Asn1Error('CertificationRequest: unexpected fields');
  const fields = itemsOf(info, asn1js.Sequence, 3, 'certificationRequestInfo');
  const [version, subject, spki, attributes] = fields;
  if (!(version instanceof asn1js.Integer) || version.valueBlock.valueDec !== 0) throw new Asn1Error('version must be 0 (v1)');
  if (!(subject instanceof asn1js.Sequence) || !(spki instanceof asn1js.Sequence)) throw new Asn1Error('certificationRequestInfo: unexpected types');
  // attributes [0]: content ignored (extension requests are never honoured).
  if (fields.length > 4 || (attributes && !(attributes.idBlock.tagClass === 3 && attributes.idBlock.tagNumber === 0))) throw new Asn1Error('certificationRequestInfo: unexpected fields');
  if (!(sig instanceof asn1js.BitString) || sig.valueBlock.unusedBits !== 0) throw new Asn1Error('signature: not a BIT STRING');
  const alg = spki.valueBlock.value[0];
  const algOid = alg instanceof asn1js.Sequence && alg.valueBlock.value[0] instanceof asn1js.ObjectIdentifier ? alg.valueBlock.value[0].getValue() : '';
  return { info: rawOf(info!), subject, spki, spkiAlgorithm: algOid, signatureAlgorithm, signature: sig.valueBlock.valueHexView };
}

function refuse(code: 'CSR_MALFORMED' | 'CSR_SIGNATURE' | 'KEY_UNSUPPORTED', detail: string): HakkoError {
  return new HakkoError(code, { extra: { detail } });
}
