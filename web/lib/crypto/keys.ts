/**
 * The subscriber key pair, made with the platform's WebCrypto (spec 04 §Pickup page 2): RSA-2048
 * by default, P-256 when the institution chose it (the API's `keyAlgorithm`, spec 03 §CSR rules).
 *
 * The private key is made **extractable**: the PKCS#12 holds it as PKCS#8, and after a reload the
 * page must build the P12 again from the key kept in IndexedDB (spec 04 §Resuming). A
 * non-extractable key could sign the CSR but could never be put into the file. It never leaves the
 * browser: only the CSR is sent (spec 08 §Security).
 */
import type { KeyAlgorithm } from '$domain/profiles.ts';

/** The generation parameters of each algorithm the pickup offers. */
export const KEY_PARAMS: Readonly<Record<KeyAlgorithm, RsaHashedKeyGenParams | EcKeyGenParams>> = {
  'RSA-2048': { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
  'P-256': { name: 'ECDSA', namedCurve: 'P-256' },
};

/** A key algorithm named by the API; anything unknown falls back to the default RSA-2048 (spec 03). */
export function keyAlgorithmOf(value: unknown): KeyAlgorithm {
  return value === 'P-256' ? 'P-256' : 'RSA-2048';
}

/** A new key pair for `algorithm`; the private key is extractable (see the module comment). */
export async function generateKeyPair(algorithm: KeyAlgorithm, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(KEY_PARAMS[algorithm], true, ['sign', 'verify'])) as CryptoKeyPair;
}

