/**
 * Subscriber key policy (spec 03 §Profiles: RSA 2048–4096 with e = 65537, EC P-256 and P-384) and the
 * key-reuse rules (spec 03 §CSR rules) as pure functions over fingerprints; the workflow supplies
 * the database lookups (Boulder's key checker takes its lookup the same way).
 */
import type { KeyInfo } from './keys.ts';

/** Odd primes up to 751, as Boulder's goodkey checks: a modulus divisible by one is broken. */
const SMALL_PRIMES: readonly bigint[] = (() => {
  const out: bigint[] = [];
  for (let n = 3; n <= 751; n += 2) {
    let prime = true;
    for (let d = 3; d * d <= n; d += 2) if (n % d === 0) prime = false;
    if (prime) out.push(BigInt(n));
  }
  return out;
})();
const SMALL_PRIMES_PRODUCT = SMALL_PRIMES.reduce((a, b) => a * b, 1n);

/**
 * The primes in groups whose product stays below 2^53, so that the residue of the modulus by a
 * group is an exact Number and each prime of the group is tested with Number arithmetic: ≈ 30 BigInt
 * divisions per key instead of ≈ 130 (spec 08 signing throughput; the result is the same test).
 */
const PRIME_GROUPS: readonly { readonly product: bigint; readonly primes: readonly number[] }[] = (() => {
  const groups: { product: bigint; primes: number[] }[] = [];
  let cur = { product: 1n, primes: [] as number[] };
  for (const p of SMALL_PRIMES) {
    if (cur.product * p >= 1n << 53n) {
      groups.push(cur);
      cur = { product: 1n, primes: [] };
    }
    cur.product *= p;
    cur.primes.push(Number(p));
  }
  groups.push(cur);
  return groups;
})();

/** The smallest listed prime dividing `n`, or null. */
function smallPrimeFactor(n: bigint): number | null {
  const r = n % SMALL_PRIMES_PRODUCT;
  for (const g of PRIME_GROUPS) {
    const rg = Number(r % g.product);
    for (const p of g.primes) if (rg % p === 0) return p;
  }
  return null;
}

/** Why a subscriber key is refused (→ KEY_UNSUPPORTED), or null when it is acceptable. */
export function subscriberKeyProblem(k: KeyInfo): string | null {
  if (k.kind === 'rsa') {
    if (k.bits < 2048 || k.bits > 4096) return `RSA key of ${k.bits} bits (2048–4096 accepted)`;
    if (k.exponent !== 65537n) return `RSA public exponent ${k.exponent} (65537 required)`;
    if ((k.modulus & 1n) === 0n) return 'RSA modulus is even';
    const p = smallPrimeFactor(k.modulus);
    return p === null ? null : `RSA modulus divisible by ${p}`;
  }
  if (k.kind === 'ec') return k.curve === 'P-256' || k.curve === 'P-384' ? null : `EC curve ${k.curve} (P-256 and P-384 accepted)`;
  return `key algorithm ${k.algorithm} (RSA and EC accepted)`;
}

/** Outcome of the key-reuse checks, with the API code to answer. */
export type KeyReuseProblem = 'KEY_REUSED' | 'KEY_SAME_AS_REPLACED' | null;

/**
 * spec 03 §CSR rules: for a renewal the key must differ from the replaced certificate's key, and no
 * other certificate of this CA may carry it. The workflow answers `usedBefore` from the database
 * (a certificate with this SPKI SHA-256 exists) after handling the idempotent case (the same CSR for
 * the same request returns the already issued certificate before this check).
 */
export function keyReuseProblem(spkiSha256: string, ctx: { readonly replacedSpkiSha256?: string | null; readonly usedBefore: boolean }): KeyReuseProblem {
  if (ctx.replacedSpkiSha256 && ctx.replacedSpkiSha256.toLowerCase() === spkiSha256.toLowerCase()) return 'KEY_SAME_AS_REPLACED';
  if (ctx.usedBefore) return 'KEY_REUSED';
  return null;
}
