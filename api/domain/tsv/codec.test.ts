import { describe, expect, it } from 'vitest';
import { decodeTsv, encodeTsv, firstBadOffset, joinTsv, splitTsv, unencodablePlaces } from './codec.ts';
import { cp932Encodable, encodeCp932, unencodableChars } from './cp932.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const sjis = (s: string) => encodeCp932(s);

describe('decodeTsv', () => {
  it('ok CP932 with NEC specials ① and ～', () => {
    expect(decodeTsv(Uint8Array.of(0x87, 0x40, 0x81, 0x60))).toEqual({ ok: true, text: '①～', encoding: 'cp932' });
  });

  it('ok UTF-8 with and without BOM', () => {
    const text = '佐藤\t①';
    expect(decodeTsv(new TextEncoder().encode(text))).toEqual({ ok: true, text, encoding: 'utf-8' });
    expect(decodeTsv(Uint8Array.of(0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)))).toEqual({ ok: true, text, encoding: 'utf-8' });
  });

  it('ok user-defined area decodes (to private use; the names rule refuses it)', () => {
    expect(decodeTsv(Uint8Array.of(0xf0, 0x40))).toEqual({ ok: true, text: '\ue000', encoding: 'cp932' });
  });

  it('NG 217 offset of the first bad byte sequence', () => {
    expect(decodeTsv(Uint8Array.of(0x41, 0x42, 0xff))).toEqual({ ok: false, offset: 2 });
    // CP932 lead byte followed by a byte that is no trail byte: the sequence starts at the lead byte.
    expect(decodeTsv(Uint8Array.of(0x41, 0x81, 0x81, 0x82, 0x0a))).toEqual({ ok: false, offset: 3 });
    // a file cut in the middle of a character
    expect(decodeTsv(Uint8Array.of(...sjis('テスト'), 0x83))).toEqual({ ok: false, offset: 6 });
  });

  it('NG 217 the offset is where the likelier encoding failed', () => {
    // CP932 text (invalid UTF-8 from byte 0) with a bad byte at 6: CP932 got further.
    expect(decodeTsv(Uint8Array.of(...sjis('テスト'), 0xa0, 0x41))).toEqual({ ok: false, offset: 6 });
    // UTF-8 text with a bad byte at 9: UTF-8 got further than CP932.
    const utf8 = new TextEncoder().encode('日本語');
    expect(firstBadOffset(Uint8Array.of(...utf8, 0xff), 'utf-8')).toBe(9);
    expect(decodeTsv(Uint8Array.of(...utf8, 0xff))).toEqual({ ok: false, offset: 9 });
  });

  it('ok firstBadOffset is null for decodable bytes', () => {
    expect(firstBadOffset(sjis('①～'), 'cp932')).toBeNull();
  });
});

describe('splitTsv', () => {
  it('ok CRLF and LF, final line end optional, blank lines counted', () => {
    const split = splitTsv('a\tb\r\n\r\nc\n\t\t\nd');
    expect(split.physicalLines).toBe(5);
    expect(split.lines.map((l) => [l.seq, l.columns[0], l.count])).toEqual([[1, 'a', 2], [3, 'c', 1], [5, 'd', 1]]);
    expect(splitTsv('a\r\n').physicalLines).toBe(1);
    expect(splitTsv('').physicalLines).toBe(0);
  });

  it('ok 14 columns padded to 15; no quoting', () => {
    const line = splitTsv(['"a', 'b"', ...Array(12).fill('')].join('\t')).lines[0]!;
    expect([line.count, line.columns.length, line.columns[0], line.columns[14]]).toEqual([14, 15, '"a', '']);
  });

  it('ok a lone CR stays in the value', () => {
    expect(splitTsv('a\rb\r\n').lines[0]!.columns).toEqual(['a\rb']);
  });
});

describe('CP932 encoding', () => {
  it('ok round-trips ① ～ and IBM extensions, written as Windows writes them', () => {
    expect(hex(encodeCp932('①～'))).toBe('87408160');
    expect(hex(encodeCp932('髙ⅰ'))).toBe('fbfcfa40'); // FA–FC rows, not NEC-selected ED/EE
    expect(new TextDecoder('shift_jis').decode(encodeCp932('髙﨑ⅰ￤'))).toBe('髙﨑ⅰ￤');
  });

  it('ok encodeTsv writes CP932 with CRLF', () => {
    expect(hex(encodeTsv([['a', '①'], ['b']]))).toBe('61098740' + '0d0a' + '62' + '0d0a');
    expect(joinTsv([['a', 'b']])).toBe('a\tb\r\n');
  });

  it('NG characters CP932 cannot encode', () => {
    expect(unencodableChars('佐藤①～〜−ü😀\ue000')).toEqual(['〜', '−', 'ü', '😀', '\ue000']);
    expect(cp932Encodable('～')).toBe(true);
    expect(cp932Encodable('?')).toBe(true);
  });
});

describe('unencodablePlaces', () => {
  it('ok names row, column and character position of what CP932 cannot hold', () => {
    expect(unencodablePlaces([['a', '事務局①～'], ['', 'x〜y', 'ü😀']])).toEqual([
      { row: 2, column: 2, offset: 2, char: '〜' },
      { row: 2, column: 3, offset: 1, char: 'ü' },
      { row: 2, column: 3, offset: 2, char: '😀' },
    ]);
    expect(unencodablePlaces([['CN=A', '髙橋']])).toEqual([]);
  });
});
