/**
 * What a pickup keeps in the browser between key generation and the user's "saved" confirmation
 * (spec 04 §Resuming), per pickup URL: one `PickupRecord`, and one `RowRecord` per request row —
 * one row for the individual methods and enrollment, every row of the group for the bulk method
 * (issue 11). Records are keyed by `pickupKey(token)`, the SHA-256 of the URL token, so the store
 * never holds the token itself.
 *
 * The private key is kept as the CryptoKey WebCrypto made — extractable, because the PKCS#12 must
 * be built again from it after a reload (web/lib/crypto/keys.ts); IndexedDB stores CryptoKeys by
 * structured clone, and the key never leaves the browser. Records are deleted after the user
 * confirms, and purged once the pickup URL has expired.
 */
import type { KeyAlgorithm } from '$domain/profiles.ts';
import type { P12Variant } from '../crypto/p12.ts';

/** The pickup URL as a whole. */
export interface PickupRecord {
  /** `pickupKey(token)`. */
  readonly pickup: string;
  readonly method: number;
  readonly keyAlgorithm: KeyAlgorithm;
  /** The pickup URL's expiry (ISO 8601): after it, the records are useless and purged. */
  readonly expiresAt: string;
  readonly createdAt: string;
  /** The variant chosen (the bulk page chooses once for the batch). */
  readonly variant?: P12Variant;
  /** Free-form progress of a bulk job (issue 11), e.g. `{ phase: 'submitting' }`. */
  readonly progress?: Readonly<Record<string, unknown>>;
}

/** The certificate the API returned for a row (spec 04 §HTTP API: `certificates[]`). */
export interface StoredCertificate {
  readonly serial: string;
  readonly pem: string;
  /** Issuing CA, root. */
  readonly chain: readonly string[];
}

/** One request row: its key and CSR from the moment they exist, its certificate once issued. */
export interface RowRecord {
  readonly pickup: string;
  /** The API's row id (a string, spec 04). */
  readonly rowId: string;
  readonly privateKey: CryptoKey;
  readonly csrPem: string;
  readonly createdAt: string;
  readonly certificate?: StoredCertificate;
}

/** The key of a pickup URL's records: base64url SHA-256 of its token. */
export async function pickupKey(token: string, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<string> {
  const digest = new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(token)));
  let binary = '';
  for (const b of digest) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
