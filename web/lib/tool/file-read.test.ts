import { describe, expect, it } from 'vitest';
import { encodeTsv, infoFileHeader } from '$domain/tsv/index.ts';
import { pastedRows, readRequestFile } from './file-read.ts';

const ROW = ['CN=A,O=X,L=Y,C=JP', '5', '1', '', '', '', '', '管理 花子', '情報基盤センター', 'a@x.ac.jp', '利用者①', '', '', 'u@x.ac.jp', ''];
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('readRequestFile', () => {
  it('ok CP932 TSV: encoding named, blank lines counted and left out, 14 columns completed', () => {
    const bytes = encodeTsv([ROW, [], ROW.slice(0, 14)]);
    const r = readRequestFile(bytes, 'a.tsv');
    expect(r).toMatchObject({ ok: true, format: 'tsv', encoding: 'cp932', blankLines: 1, info: null });
    expect(r.ok && r.rows).toEqual([ROW, [...ROW.slice(0, 14), '']]);
  });
  it('ok UTF-8 CSV with a BOM and quoted commas', () => {
    const r = readRequestFile(utf8('\uFEFF"CN=ITO, MISAKI,O=X,L=Y,C=JP",5\r\n,\r\n'), 'people.csv');
    expect(r).toMatchObject({ ok: true, format: 'csv', encoding: 'utf-8', blankLines: 1 });
    expect(r.ok && r.rows).toEqual([['CN=ITO, MISAKI,O=X,L=Y,C=JP', '5']]);
  });
  it('ok a file without a known extension is CSV only when it has commas and no TAB', () => {
    expect(readRequestFile(utf8('a,b\n'), 'x')).toMatchObject({ format: 'csv' });
    expect(readRequestFile(utf8('a,b\tc\n'), 'x')).toMatchObject({ format: 'tsv' });
  });
  it('ok the information file is recognised by its header', () => {
    const r = readRequestFile(encodeTsv([infoFileHeader('en'), Array.from({ length: 30 }, () => 'v')]), 'export.tsv');
    expect(r.ok && r.info?.lang).toBe('en');
    expect(r.ok && r.info?.rows).toHaveLength(1);
  });
  it('NG empty, undecodable (offset as 217 gives it), too large', () => {
    expect(readRequestFile(new Uint8Array(0), 'a.tsv')).toEqual({ ok: false, reason: 'empty' });
    expect(readRequestFile(Uint8Array.of(0x41, 0x42, 0x81, 0x20), 'a.tsv')).toEqual({ ok: false, reason: 'encoding', offset: 2 });
    expect(readRequestFile(new Uint8Array(21 * 1024 * 1024), 'a.tsv')).toEqual({ ok: false, reason: 'too-large' });
  });
});

describe('pastedRows', () => {
  it('ok TAB-separated lines from a spreadsheet, blank ones left out', () => {
    expect(pastedRows('a\tb\r\n\r\nc\td\n')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(pastedRows('')).toEqual([]);
  });
});
