/** One-time URL tokens: 256 random bits, base64url; only SHA-256 is stored (spec 04 §Secrets). */
import { createHash, randomBytes } from 'node:crypto';

export function newUrlToken(): { token: string; hash: Uint8Array<ArrayBuffer> } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashUrlToken(token) };
}

/** `n` tokens from one CSPRNG draw (an upload makes 20,000: one call instead of 20,000). */
export function newUrlTokens(n: number): { token: string; hash: Uint8Array<ArrayBuffer> }[] {
  const bytes = randomBytes(32 * n);
  return Array.from({ length: n }, (_, i) => {
    const token = bytes.subarray(32 * i, 32 * (i + 1)).toString('base64url');
    return { token, hash: hashUrlToken(token) };
  });
}

export function hashUrlToken(token: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(token, 'utf8').digest());
}

/** A syntactically plausible token (43 base64url characters). */
export function isTokenShape(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
