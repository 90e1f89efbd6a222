import { describe, expect, it } from 'vitest';
import { MAX_SERIAL, isValidSerial, newSerial, parseSerialDecimal, parseSerialHex, serialToDecimal, serialToHex } from './serial.ts';

const fixed = (byte: number) => (n: number) => new Uint8Array(n).fill(byte);

describe('serial numbers (spec 03 §Serial numbers)', () => {
  it('ok: all-ones random → top bit cleared → 2^127 − 1 (39 decimal digits, 16 octets)', () => {
    const s = newSerial(fixed(0xff));
    expect(s).toBe(MAX_SERIAL);
    expect(serialToDecimal(s)).toBe('170141183460469231731687303715884105727');
    expect(serialToHex(s)).toBe('7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF');
  });
  it('ok: known bytes → known serial', () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i + 0x80);
    // 0x80 loses its top bit → 0x00, so the serial is the remaining 15 bytes.
    expect(serialToHex(newSerial(() => bytes.slice()))).toBe('8182838485868788898A8B8C8D8E8F');
  });
  it('ok: zero is drawn again', () => {
    let calls = 0;
    const s = newSerial((n) => (calls++ === 0 ? new Uint8Array(n) : fixed(1)(n)));
    expect(calls).toBe(2);
    expect(s).toBe(BigInt('0x' + '01'.repeat(16)));
  });
  it('ok: CSPRNG serials are positive, < 2^127 and differ', () => {
    const seen = new Set<bigint>();
    for (let i = 0; i < 1000; i++) {
      const s = newSerial();
      expect(s > 0n && s <= MAX_SERIAL).toBe(true);
      seen.add(s);
    }
    expect(seen.size).toBe(1000);
  });
  it('ok: hex has an even number of digits', () => {
    expect(serialToHex(0xabcn)).toBe('0ABC');
    expect(serialToHex(1n)).toBe('01');
  });
  it.each([
    ['1', 1n],
    ['170141183460469231731687303715884105727', MAX_SERIAL],
    ['0', null],
    ['-1', null],
    [' 12', null],
    ['1'.repeat(41), null],
    ['9'.repeat(49), null],
  ])('parseSerialDecimal(%s)', (s, want) => {
    expect(parseSerialDecimal(s)).toBe(want);
  });
  it('ok: parseSerialHex accepts openssl forms', () => {
    expect(parseSerialHex('7F:FF')).toBe(0x7fffn);
    expect(parseSerialHex('0x0abc')).toBe(0xabcn);
    expect(parseSerialHex('zz')).toBe(null);
  });
  it('ok: 20 octets is the limit (RFC 5280 §4.1.2.2)', () => {
    expect(isValidSerial((1n << 159n) - 1n)).toBe(true);
    expect(isValidSerial(1n << 159n)).toBe(false);
  });
});
