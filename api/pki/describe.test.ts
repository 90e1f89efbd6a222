/** Certificate description helpers: dotted OIDs past JS numbers, colon hex; and the hex serial search. */
import { describe, expect, it } from 'vitest';
import { colonHex, dottedOid } from './describe.ts';
import { hexSerial } from '../workflows/officer-certificates.ts';

describe('dottedOid', () => {
  it('ok a 2.25.<UUID> arc that asn1js shows as {hex} of 7-bit groups becomes decimal', () => {
    // Eleven 7-bit groups 0x10, 0x00 × 10, as asn1js keeps them: 16 × 128^10.
    expect(dottedOid('2.25.{1000000000000000000000}.1.5')).toBe(`2.25.${16n * 128n ** 10n}.1.5`);
    expect(dottedOid('1.3.6.1.5.5.7.3.2')).toBe('1.3.6.1.5.5.7.3.2');
  });

  it('ok colon hex, upper case, two digits a byte', () => {
    expect(colonHex(new Uint8Array([0, 0x1b, 0xff]))).toBe('00:1B:FF');
  });
});

describe('hexSerial', () => {
  it.each([
    ['0x1b6e', '7022'], ['1B:6E', '7022'], ['1b:6e:00', String(0x1b6e00)], ['1b6e', null], ['tanaka', null], ['0x' + 'f'.repeat(35), null],
  ])('%s → %s', (q, dec) => {
    expect(hexSerial(q)).toBe(dec);
  });
});
