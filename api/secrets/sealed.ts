/**
 * Sealed strings: links that carry a one-time token (PIN, pickup and enrollment URLs) sit in the
 * outbox until the worker delivers them. Only the token's SHA-256 may be stored (spec 04 §Secrets:
 * "a database dump opens nothing"), so the outbox keeps such a link AES-GCM encrypted under the
 * PIN-encryption key (its own additional data keeps the two uses apart); the worker opens it just
 * before rendering the mail.
 */
import { decryptPin, encryptPin } from './pin.ts';

const PREFIX = 'sealed:v1:';
const AAD = 'hakko-outbox:sealed-string';

/** Encrypts `text` into a string that can be stored in JSON mail data. */
export function seal(key: Uint8Array, text: string): string {
  return PREFIX + Buffer.from(encryptPin(key, text, AAD)).toString('base64url');
}

export function isSealed(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(PREFIX);
}

/** Opens every sealed string anywhere inside `value` (objects and arrays are copied, not changed). */
export function unsealDeep<T>(key: Uint8Array, value: T): T {
  if (isSealed(value)) return decryptPin(key, Buffer.from(value.slice(PREFIX.length), 'base64url'), AAD) as T;
  if (Array.isArray(value)) return value.map((v) => unsealDeep(key, v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unsealDeep(key, v)])) as T;
  }
  return value;
}
