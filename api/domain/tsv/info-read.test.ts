import { describe, expect, it } from 'vitest';
import { infoFileHeader, jstTime } from './info-file.ts';
import { INFO_COL, isExpiring, parseJstTime, readInfoFile, renewalRowFromInfo } from './info-read.ts';
import { guessKind } from './layout.ts';
import { validateRowsOffline } from './validate.ts';

const DN = 'CN=SATO TARO,OU=20261234,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';
const PROFILE = { code: 'sample-u', ja: '見本大学', en: 'Sample University', o: 'Sample University', l: 'Bunkyo-ku', st: 'Tokyo', domains: ['sample.ac.jp'], profiles: [5, 7, 13, 14, 15, 16], methods: [1, 2, 3] } as const;

/** A §E row with the columns the tool reads set. */
function infoRow(state: string, notAfter: string, serial = '1234'): string[] {
  const r = Array.from({ length: 30 }, () => '');
  const set = (col: number, v: string) => (r[col - 1] = v);
  set(INFO_COL.requestId, '7'); set(INFO_COL.dn, DN); set(INFO_COL.profile, '5'); set(INFO_COL.method, '3');
  set(INFO_COL.adminName, '管理 花子'); set(INFO_COL.adminAffiliation, '情報基盤センター'); set(INFO_COL.adminMail, 'admin@sample.ac.jp');
  set(INFO_COL.userName, '佐藤 太郎'); set(INFO_COL.state, state); set(INFO_COL.userAffiliation, '工学部①'); set(INFO_COL.p12FileName, 'sato.p12');
  set(INFO_COL.userMail, 'taro@sample.ac.jp'); set(INFO_COL.serial, serial); set(INFO_COL.notAfter, notAfter);
  return r;
}

describe('readInfoFile', () => {
  it('ok Japanese and English headers, CRLF, rows padded to 30 values', () => {
    for (const lang of ['ja', 'en'] as const) {
      const text = [infoFileHeader(lang).join('\t'), infoRow('5', '2027/01/01 00:00:00').join('\t'), 'a\tb', ''].join('\r\n');
      const t = readInfoFile(text);
      expect(t?.lang).toBe(lang);
      expect(t?.rows).toHaveLength(2);
      expect(t?.rows[1]).toHaveLength(30);
    }
  });
  it('NG a request file (no header) is not an information file', () => {
    expect(readInfoFile(`${DN}\t5\t1\t\t\t\t\ta\tb\tc@sample.ac.jp\td\t\t\te@sample.ac.jp\t\r\n`)).toBeNull();
    expect(readInfoFile('')).toBeNull();
  });
});

describe('times and expiry', () => {
  it('ok parseJstTime is the inverse of jstTime', () => {
    const t = new Date('2026-11-21T15:04:05Z');
    expect(parseJstTime(jstTime(t))?.toISOString()).toBe(t.toISOString());
    expect(parseJstTime('')).toBeNull();
    expect(parseJstTime('2026-11-21')).toBeNull();
  });
  it('ok expiring: state 5 within the window; other states and later dates are not', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(isExpiring(infoRow('5', '2026/12/20 09:00:00'), now, 30)).toBe(true);
    expect(isExpiring(infoRow('5', '2027/03/01 09:00:00'), now, 30)).toBe(false);
    expect(isExpiring(infoRow('7', '2026/12/20 09:00:00'), now, 30)).toBe(false);
    expect(isExpiring(infoRow('5', ''), now, 30)).toBe(false);
  });
});

describe('renewalRowFromInfo', () => {
  it('ok a renewal row that passes the offline rules, guessed as renewal', () => {
    const row = renewalRowFromInfo(infoRow('5', '2026/12/20 09:00:00', '98765'), '1');
    expect(row).toEqual([DN, '5', '1', '98765', '', '', '', '管理 花子', '情報基盤センター', 'admin@sample.ac.jp', '佐藤 太郎', 'sato.p12', '工学部①', 'taro@sample.ac.jp', '']);
    const v = validateRowsOffline([row], { kind: 'renew', institution: PROFILE });
    expect(v.problems).toEqual([]);
    expect(guessKind([row])).toBe('renew');
  });
});

describe('guessKind', () => {
  const issue = [DN, '5', '1', '', '', '', '', 'a', 'b', 'c@sample.ac.jp', 'd', '', '', 'e@sample.ac.jp', ''];
  it('ok each kind from its column use', () => {
    expect(guessKind([issue])).toBe('issue');
    expect(guessKind([[DN, '', '', '123', '0', '', '', '', '', '', '', '', '', '', '']])).toBe('revoke');
    expect(guessKind([[DN, '', '', '123', '', '', '', 'a', 'b', 'c@sample.ac.jp', '', '', '', '', '']])).toBe('admin');
    expect(guessKind([])).toBe('issue');
  });
});

describe('validateRowsOffline limits', () => {
  it('NG 214 over the line limit, reported while every row is still checked', () => {
    const row = renewalRowFromInfo(infoRow('5', '2026/12/20 09:00:00'), '1');
    const v = validateRowsOffline([row, row, row], { kind: 'issue', institution: PROFILE, maxLines: 2 });
    expect(v.fileProblems.map((p) => p.code)).toEqual(['214']);
    expect(v.rows).toHaveLength(3);
    expect(validateRowsOffline([row, row], { kind: 'issue', institution: PROFILE, maxLines: 2 }).fileProblems).toEqual([]);
  });
});
