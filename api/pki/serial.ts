/**
 * Certificate serial numbers (spec 03 §Serial numbers, RFC 5280 §4.1.2.2): 127 bits from a CSPRNG
 * with the top bit of 128 clear, so the DER INTEGER is positive and at most 16 octets (≤ 20 allowed),
 * and the decimal form at most 39 digits (the TSV column takes 40). Uniqueness per CA is the
 * database's unique index; the workflow retries on a collision.
 */

/** Fills and returns `n` random bytes; tests pass a seeded source (STYLE.md practice 6). */
export type RandomBytes = (n: number) => Uint8Array;

export const cryptoRandomBytes: RandomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

/** Largest serial Hakko issues (2^127 − 1). */
export const MAX_SERIAL = (1n << 127n) - 1n;

/**
 * A new serial: 16 random bytes with the top bit cleared (127 random bits). Zero, which RFC 5280
 * forbids, is drawn again (probability 2^-127).
 */
export function newSerial(random: RandomBytes = cryptoRandomBytes): bigint {
  for (;;) {
    const b = random(16);
    if (b.length !== 16) throw new Error('random source returned the wrong length');
    let n = BigInt(b[0]! & 0x7f);
    for (let i = 1; i < 16; i++) n = (n << 8n) | BigInt(b[i]!);
    if (n > 0n) return n;
  }
}

/** Decimal form shown to people (TSV, mail, dashboard, API). */
export function serialToDecimal(serial: bigint): string {
  return serial.toString(10);
}

/** Hex form for tooling, upper case with an even number of digits, as `openssl x509 -serial` prints. */
export function serialToHex(serial: bigint): string {
  const h = serial.toString(16).toUpperCase();
  return h.length % 2 ? '0' + h : h;
}

/**
 * Parses a decimal serial as people write it (digits only, ≤ 40, spec 02 §Value rules); null when it
 * is not a positive serial that fits in 20 octets.
 */
export function parseSerialDecimal(s: string): bigint | null {
  if (!/^\d{1,40}$/.test(s)) return null;
  const n = BigInt(s);
  return isValidSerial(n) ? n : null;
}

/** Parses hex (with optional `0x` and `:` separators, any case); null when not a valid serial. */
export function parseSerialHex(s: string): bigint | null {
  const h = s.replace(/^0x/i, '').replace(/:/g, '');
  if (!/^[0-9a-fA-F]{1,40}$/.test(h)) return null;
  const n = BigInt('0x' + h);
  return isValidSerial(n) ? n : null;
}

/** Positive and at most 20 octets as a DER INTEGER (RFC 5280 §4.1.2.2). */
export function isValidSerial(n: bigint): boolean {
  return n > 0n && n < 1n << 159n;
}
