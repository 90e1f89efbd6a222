/**
 * Sealed strings: links that carry a one-time token (PIN, pickup and enrollment URLs) sit in the
 * outbox until the worker delivers them. Only the token's SHA-256 may be stored (spec 04 §Secrets:
 * "a database dump opens nothing"), so the outbox keeps such a link AES-GCM encrypted under the
 * PIN-encryption key (its own additional data keeps the two uses apart); the worker opens it just
 * before rendering the mail.
 */
import { createCipheriv, createSecretKey, randomFillSync, type KeyObject } from 'node:crypto';
import { decryptPin } from './pin.ts';

const PREFIX = 'sealed:v1:';
const AAD = Buffer.from('hakko-outbox:sealed-string');

// An upload of 10,000 rows seals 20,000 links inside its transaction (spec 08: ≤ 3 s): importing
// the key once and drawing nonces from a CSPRNG pool makes a seal ~5× cheaper than encryptPin.
const keyObjects = new WeakMap<Uint8Array, KeyObject>();
const nonces = Buffer.alloc(12 * 4096);
let nonceAt = nonces.length;

function nonce(): Buffer {
  if (nonceAt === nonces.length) {
    randomFillSync(nonces);
    nonceAt = 0;
  }
  nonceAt += 12;
  return Buffer.from(nonces.subarray(nonceAt - 12, nonceAt));
}

/** Encrypts `text` (AES-256-GCM: nonce ‖ ciphertext ‖ tag, as `encryptPin`) into a string for JSON mail data. */
export function seal(key: Uint8Array, text: string): string {
  let k = keyObjects.get(key);
  if (!k) keyObjects.set(key, (k = createSecretKey(key)));
  const iv = nonce();
  const c = createCipheriv('aes-256-gcm', k, iv);
  c.setAAD(AAD);
  return PREFIX + Buffer.concat([iv, c.update(text, 'utf8'), c.final(), c.getAuthTag()]).toString('base64url');
}

export function isSealed(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(PREFIX);
}

/** Opens every sealed string anywhere inside `value` (objects and arrays are copied, not changed). */
export function unsealDeep<T>(key: Uint8Array, value: T): T {
  if (isSealed(value)) return decryptPin(key, Buffer.from(value.slice(PREFIX.length), 'base64url'), AAD.toString()) as T;
  if (Array.isArray(value)) return value.map((v) => unsealDeep(key, v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unsealDeep(key, v)])) as T;
  }
  return value;
}
