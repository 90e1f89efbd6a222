import { describe, expect, it } from 'vitest';
import { decodeName, encodeName, escapeRfc4514, formatDn, subjectProblem, type DnAttribute } from './names.ts';
import { parseDer, toHex } from './asn1.ts';

const hex = (s: string) => s.replace(/\s+/g, '');

describe('names (spec 03 §Names)', () => {
  it('ok: known answer — X.500 order, one attribute per RDN, C PrintableString, others UTF8String', () => {
    const der = encodeName([{ type: 'CN', value: 'Taro' }, { type: 'O', value: 'U' }, { type: 'C', value: 'JP' }]);
    expect(toHex(der)).toBe(hex(`30 28
      31 0b 30 09 06 03 55 04 06 13 02 4a 50
      31 0a 30 08 06 03 55 04 0a 0c 01 55
      31 0d 30 0b 06 03 55 04 03 0c 04 54 61 72 6f`));
  });
  it('ok: decode gives back the request order and string types', () => {
    const dn: DnAttribute[] = [
      { type: 'CN', value: 'Yamada Taro' },
      { type: 'OU', value: 'Dept, Physics' },
      { type: 'OU', value: '12345' },
      { type: 'O', value: 'Foo, Inc.' },
      { type: 'L', value: 'Academe' },
      { type: 'ST', value: 'Tokyo' },
      { type: 'C', value: 'JP' },
    ];
    const back = decodeName(parseDer(encodeName(dn), 'Name'));
    expect(back.map((a) => ({ type: a.type, value: a.value }))).toEqual(dn);
    expect(back.map((a) => a.utf8)).toEqual([true, true, true, true, true, true, false]);
    expect(formatDn(back)).toBe('CN=Yamada Taro,OU=Dept\\, Physics,OU=12345,O=Foo\\, Inc.,L=Academe,ST=Tokyo,C=JP');
  });
  it('ok: non-ASCII values are UTF-8', () => {
    const back = decodeName(parseDer(encodeName([{ type: 'CN', value: '山田太郎' }]), 'Name'));
    expect(back[0]!.value).toBe('山田太郎');
  });
  it.each([
    [[{ type: 'CN', value: 'a' }, { type: 'OU', value: 'b' }, { type: 'OU', value: 'c' }, { type: 'O', value: 'd' }, { type: 'C', value: 'JP' }], null],
    [[], 'the DN must start with CN'],
    [[{ type: 'O', value: 'x' }], 'the DN must start with CN'],
    [[{ type: 'CN', value: 'a' }, { type: 'O', value: 'd' }, { type: 'OU', value: 'b' }], 'attribute OU out of order or repeated'],
    [[{ type: 'CN', value: 'a' }, { type: 'O', value: 'd' }, { type: 'O', value: 'e' }], 'attribute O out of order or repeated'],
    [[{ type: 'CN', value: '' }], 'CN must be 1–64 characters'],
    [[{ type: 'CN', value: 'x'.repeat(65) }], 'CN must be 1–64 characters'],
    [[{ type: 'CN', value: 'a\nb' }], 'CN contains a control character'],
    [[{ type: 'CN', value: 'a' }, { type: 'C', value: 'jp' }], 'C must be two capital letters'],
  ] as [DnAttribute[], string | null][])('subjectProblem %#', (dn, want) => {
    expect(subjectProblem(dn)).toBe(want);
  });
  it('ok: RFC 4514 escapes', () => {
    expect(escapeRfc4514('a,b+c"d\\e<f>g;h')).toBe('a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h');
    expect(escapeRfc4514('#x')).toBe('\\#x');
    expect(escapeRfc4514(' x ')).toBe('\\ x\\ ');
  });
});
