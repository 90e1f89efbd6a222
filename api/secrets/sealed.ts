/**
 * Sealed strings and mail bodies. Links that carry a one-time token (PIN, pickup and enrollment URLs)
 * sit in the outbox until the worker delivers them, and delivered mails sit in the built-in mailbox.
 * Only the token's SHA-256 may be stored (spec 04 §Secrets: "a database dump opens nothing"), so the
 * outbox keeps such a link AES-GCM encrypted under the PIN-encryption key (its own additional data
 * keeps the two uses apart), opened by the worker just before rendering the mail; the mailbox keeps
 * whole bodies encrypted under the mailbox key, opened to be shown.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomFillSync, type KeyObject } from 'node:crypto';
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
  const k = keyObjectOf(key);
  const iv = nonce();
  const c = createCipheriv('aes-256-gcm', k, iv);
  c.setAAD(AAD);
  return PREFIX + Buffer.concat([iv, c.update(text, 'utf8'), c.final(), c.getAuthTag()]).toString('base64url');
}

export function isSealed(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(PREFIX);
}

function unseal(key: Uint8Array, value: string): string {
  return decryptPin(key, Buffer.from(value.slice(PREFIX.length), 'base64url'), AAD.toString());
}

/** Applies `f` to every sealed string anywhere inside `value` (objects and arrays are copied, not changed). */
function mapSealed<T>(value: T, f: (sealed: string) => string): T {
  if (isSealed(value)) return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapSealed(v, f)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSealed(v, f)])) as T;
  }
  return value;
}

/** Opens every sealed string anywhere inside `value` (objects and arrays are copied, not changed). */
export function unsealDeep<T>(key: Uint8Array, value: T): T {
  return mapSealed(value, (v) => unseal(key, v));
}

/** Re-seals every sealed string inside `value` from one key to another (the start-up key migration). */
export function resealDeep<T>(from: Uint8Array, to: Uint8Array, value: T): T {
  return mapSealed(value, (v) => seal(to, unseal(from, v)));
}

/**
 * Stored bodies of the built-in mailbox: they hold live PIN and pickup links, so they are kept
 * AES-256-GCM encrypted (magic ‖ nonce ‖ ciphertext ‖ tag, the Message-ID as additional data) and a
 * database dump opens nothing (spec 04 §Secrets).
 */
const MAIL_MAGIC = Buffer.from('\0hakko-sealed-mail-v1\0');

export function sealMail(key: Uint8Array, messageId: string, raw: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.concat([MAIL_MAGIC, encryptBytes(key, raw, messageId)]));
}

export function isSealedMail(stored: Uint8Array): boolean {
  return Buffer.from(stored.buffer, stored.byteOffset, Math.min(stored.length, MAIL_MAGIC.length)).equals(MAIL_MAGIC);
}

/** Opens a stored mailbox body; throws when it is not sealed or not under `key`. */
export function openMail(key: Uint8Array, messageId: string, stored: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!isSealedMail(stored)) throw new Error('mailbox body is not sealed');
  return decryptBytes(key, stored.subarray(MAIL_MAGIC.length), messageId);
}

function keyObjectOf(key: Uint8Array): KeyObject {
  let k = keyObjects.get(key);
  if (!k) keyObjects.set(key, (k = createSecretKey(key)));
  return k;
}

function encryptBytes(key: Uint8Array, data: Uint8Array, aad: string): Buffer {
  const iv = nonce();
  const c = createCipheriv('aes-256-gcm', keyObjectOf(key), iv);
  c.setAAD(Buffer.from(aad));
  return Buffer.concat([iv, c.update(data), c.final(), c.getAuthTag()]);
}

function decryptBytes(key: Uint8Array, blob: Uint8Array, aad: string): Uint8Array<ArrayBuffer> {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.length);
  const d = createDecipheriv('aes-256-gcm', keyObjectOf(key), b.subarray(0, 12));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(b.subarray(b.length - 16));
  return new Uint8Array(Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]));
}
