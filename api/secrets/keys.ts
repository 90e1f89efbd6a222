/**
 * Server keys derived from the instance secret with HKDF under distinct labels (spec 04 §Secrets),
 * and the key-check value that lets a process started with the wrong secret refuse to start.
 */
import { createHmac, hkdfSync } from 'node:crypto';

export interface ServerKeys {
  /** HMAC-SHA-256 key for access-PIN hashes. */
  readonly pinHash: Uint8Array<ArrayBuffer>;
  /** AES-256-GCM key for the escrowed PIN copy. */
  readonly pinEnc: Uint8Array<ArrayBuffer>;
  /** Published check value: HMAC(check key, label), safe to store. */
  readonly checkValue: string;
}

function derive(secret: string, label: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('hakko'), Buffer.from(label), 32));
}

export function deriveServerKeys(secret: string): ServerKeys {
  const check = derive(secret, 'hakko/key-check/v1');
  return {
    pinHash: derive(secret, 'hakko/pin-hash/v1'),
    pinEnc: derive(secret, 'hakko/pin-encryption/v1'),
    checkValue: createHmac('sha256', check).update('hakko key check').digest('hex').slice(0, 32),
  };
}
