import { describe, expect, it } from 'vitest';
import { keyReuseProblem, subscriberKeyProblem } from './key-policy.ts';
import type { KeyInfo } from './keys.ts';

const rsa = (bits: number, modulus: bigint, exponent = 65537n): KeyInfo => ({ kind: 'rsa', bits, exponent, modulus });
// A 2048-bit odd number with no factor ≤ 751 (2^2047 + 1 is divisible by 3, so add 2 until clean).
const clean = (() => {
  let n = (1n << 2047n) + 1n;
  for (;;) {
    let ok = true;
    for (let p = 3n; p <= 751n; p += 2n) if (n % p === 0n) ok = false;
    if (ok) return n;
    n += 2n;
  }
})();

describe('subscriber key policy (spec 03: RSA 2048–4096 e=65537, EC P-256/P-384)', () => {
  it.each([
    ['ok RSA-2048', rsa(2048, clean), null],
    ['ok RSA-4096', rsa(4096, clean), null],
    ['NG RSA-2047', rsa(2047, clean), 'RSA key of 2047 bits (2048–4096 accepted)'],
    ['NG RSA-8192', rsa(8192, clean), 'RSA key of 8192 bits (2048–4096 accepted)'],
    ['NG e=3', rsa(2048, clean, 3n), 'RSA public exponent 3 (65537 required)'],
    ['NG even modulus', rsa(2048, clean + 1n), 'RSA modulus is even'],
    ['NG modulus divisible by 751', rsa(2048, clean * 751n), 'RSA modulus divisible by 751'],
    ['ok P-256', { kind: 'ec', curve: 'P-256' }, null],
    ['ok P-384', { kind: 'ec', curve: 'P-384' }, null],
    ['NG P-521', { kind: 'ec', curve: 'P-521' }, 'EC curve P-521 (P-256 and P-384 accepted)'],
    ['NG Ed25519', { kind: 'other', algorithm: 'ed25519' }, 'key algorithm ed25519 (RSA and EC accepted)'],
  ] as [string, KeyInfo, string | null][])('%s', (_n, key, want) => {
    expect(subscriberKeyProblem(key)).toBe(want);
  });

  it('NG a modulus with any odd prime factor up to 751 names that prime (every one of them, and the smallest when there are two)', () => {
    const primes: bigint[] = [];
    for (let n = 3n; n <= 751n; n += 2n) {
      let prime = true;
      for (let d = 3n; d * d <= n; d += 2n) if (n % d === 0n) prime = false;
      if (prime) primes.push(n);
    }
    expect(primes).toHaveLength(132);
    for (const p of primes) expect(subscriberKeyProblem(rsa(2048, clean * p))).toBe(`RSA modulus divisible by ${p}`);
    expect(subscriberKeyProblem(rsa(2048, clean * 751n * 7n))).toBe('RSA modulus divisible by 7');
    // 757 is the next prime: outside the list, so accepted.
    expect(subscriberKeyProblem(rsa(2048, clean * 757n))).toBeNull();
  });
});

describe('key reuse (spec 03 §CSR rules)', () => {
  it.each([
    ['ok new key', { usedBefore: false }, null],
    ['ok renewal with a new key', { usedBefore: false, replacedSpkiSha256: 'bb' }, null],
    ['NG KEY_SAME_AS_REPLACED', { usedBefore: true, replacedSpkiSha256: 'AA' }, 'KEY_SAME_AS_REPLACED'],
    ['NG KEY_REUSED', { usedBefore: true }, 'KEY_REUSED'],
  ] as const)('%s', (_n, ctx, want) => {
    expect(keyReuseProblem('aa', ctx)).toBe(want);
  });
});
