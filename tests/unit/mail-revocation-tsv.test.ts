// The revocation TSV a renewal mail attaches (spec 01 §Renewal step 3; spec 02 format C, File rules).
import { describe, expect, test } from 'vitest';
import { encodeRevocationTsv, revocationColumns, revocationTsvFilename } from '../../api/mail/revocation-tsv.ts';
import { ADMIN, DN_TARO, ITO, TARO } from '../helpers/mail-fixtures.ts';

const row = { requestDn: DN_TARO, serial: '123456789012345678901234567890', userAdmin: ADMIN, user: TARO };

describe('revocation TSV', () => {
  test('ok: 15 columns in the format-C positions, reason 4, empty comment and PIN', () => {
    const cols = revocationColumns(row);
    expect(cols).toHaveLength(15);
    expect(cols[0]).toBe(DN_TARO);
    expect(cols[3]).toBe('123456789012345678901234567890');
    expect(cols[4]).toBe('4');
    expect([cols[1], cols[2], cols[5], cols[6], cols[11], cols[14]]).toEqual(['', '', '', '', '', '']);
    expect(cols.slice(7, 10)).toEqual([ADMIN.name, ADMIN.affiliation, ADMIN.email]);
    expect([cols[10], cols[12], cols[13]]).toEqual([TARO.name, TARO.affiliation, TARO.email]);
  });

  test('ok: missing affiliations are empty columns', () => {
    const cols = revocationColumns({ ...row, user: ITO });
    expect(cols[12]).toBe('');
    expect(cols).toHaveLength(15);
  });

  test('ok: CP932 bytes, CRLF after every line', () => {
    const bytes = encodeRevocationTsv([row, { ...row, serial: '7', user: ITO }]);
    const text = new TextDecoder('shift_jis', { fatal: true }).decode(bytes);
    expect(text.split('\r\n')).toHaveLength(3);
    expect(text.endsWith('\r\n')).toBe(true);
    // 佐 in CP932 is 0x8D 0xB2; ① is 0x87 0x40; no UTF-8 lead bytes.
    expect(Buffer.from(bytes).includes(Buffer.from([0x8d, 0xb2]))).toBe(true);
    expect(Buffer.from(bytes).includes(Buffer.from([0x87, 0x40]))).toBe(true);
    expect(Buffer.from(bytes).includes(Buffer.from('佐', 'utf8'))).toBe(false);
  });

  test('NG a value with a TAB would shift the columns', () => {
    expect(() => revocationColumns({ ...row, user: { ...TARO, name: 'a\tb' } })).toThrow(RangeError);
  });

  test('NG a character CP932 cannot encode', () => {
    expect(() => encodeRevocationTsv([{ ...row, user: { ...TARO, name: '😀' } }])).toThrow();
  });

  test.each([
    [['1'], 'revoke-1.tsv'],
    [['5', '6', '7'], 'revoke-5-and-2-more.tsv'],
  ])('ok: file name for %j', (serials, name) => {
    expect(revocationTsvFilename(serials)).toBe(name);
  });
});
