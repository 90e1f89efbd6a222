/**
 * Access PINs (spec 04 §Secrets): 16 characters from an unambiguous alphabet (no 0/O/1/l/I) from a
 * CSPRNG (≥ 80 bits); verified by a keyed hash; an AES-GCM encrypted copy is kept until no longer needed.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import { constantTimeEqual } from './compare.ts';

export const PIN_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
export const PIN_LENGTH = 16;

/** 16 × log2(56) ≈ 92.9 bits. */
export function newPin(): string {
  let pin = '';
  for (let i = 0; i < PIN_LENGTH; i++) pin += PIN_ALPHABET[randomInt(PIN_ALPHABET.length)];
  return pin;
}

/**
 * The KeyObject of a raw key, made once per key: handing Node the raw bytes makes it build a key
 * handle on every call, which was two thirds of the cost of hashing and encrypting 10,000 PINs (and
 * 20,000 sealed links) in an upload (spec 08 §Performance). Keys are the long-lived ServerKeys arrays.
 */
const keyObjects = new WeakMap<Uint8Array, KeyObject>();
function keyObject(key: Uint8Array): KeyObject {
  let k = keyObjects.get(key);
  if (k === undefined) {
    k = createSecretKey(key);
    keyObjects.set(key, k);
  }
  return k;
}

export function hashPin(key: Uint8Array, pin: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHmac('sha256', keyObject(key)).update(pin, 'utf8').digest());
}

/** First byte of a wrapped legacy hash (33 bytes); a current hash has 32 bytes. */
const WRAPPED = 0x01;

/**
 * A PIN hash made under the legacy PIN-hash key (before the master key, `keys.ts`) whose PIN the
 * start-up migration cannot know (no escrowed copy): kept as `0x01 ‖ HMAC(pinHash, legacyHash)`, so
 * the stored value no longer offers a fast test of the passphrase, and still verifies the PIN.
 */
export function wrapLegacyPinHash(key: Uint8Array, legacyHash: Uint8Array): Uint8Array<ArrayBuffer> {
  const outer = createHmac('sha256', keyObject(key)).update(legacyHash).digest();
  return new Uint8Array(Buffer.concat([Buffer.from([WRAPPED]), outer]));
}

/** Whether `pin` matches a stored hash (current, or a wrapped legacy one), in constant time. */
export function pinMatches(keys: { readonly pinHash: Uint8Array; readonly legacyPinHash: Uint8Array }, pin: string, stored: Uint8Array): boolean {
  if (stored.length === 33 && stored[0] === WRAPPED) return constantTimeEqual(wrapLegacyPinHash(keys.pinHash, hashPin(keys.legacyPinHash, pin)), stored);
  return constantTimeEqual(hashPin(keys.pinHash, pin), stored);
}

/** AES-256-GCM: 12-byte nonce ‖ ciphertext ‖ 16-byte tag; `aad` binds the copy to its request. */
export function encryptPin(key: Uint8Array, pin: string, aad: string): Uint8Array<ArrayBuffer> {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keyObject(key), iv);
  c.setAAD(Buffer.from(aad));
  const body = Buffer.concat([c.update(pin, 'utf8'), c.final()]);
  return new Uint8Array(Buffer.concat([iv, body, c.getAuthTag()]));
}

export function decryptPin(key: Uint8Array, blob: Uint8Array, aad: string): string {
  const b = Buffer.from(blob);
  const d = createDecipheriv('aes-256-gcm', keyObject(key), b.subarray(0, 12));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(b.subarray(b.length - 16));
  return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]).toString('utf8');
}
