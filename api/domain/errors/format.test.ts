import { describe, expect, it } from 'vitest';
import { PROBLEM_CATALOGUE, PROBLEM_CODES, isProblemCode } from './catalogue.ts';
import { COLUMN_NAMES } from './columns.ts';
import { PROBLEM_DETAILS } from './details.ts';
import { describeChars, formatProblem, problemLevel, toProblem } from './format.ts';

describe('catalogue', () => {
  it('ok every code of spec 02 with both texts, in the spec\'s order', () => {
    expect(PROBLEM_CODES).toEqual([
      '208', '209', '213', '214', '216', '217', '218', '201', '202', '203', '204', '205', '206', '207', '210', '211',
      '212', '219', '220', '221', '222', '223', '224', '225', '226', 'W227', '228', '229', '230', '231', '232', '215',
      '301', '302', '303', '304', '305', '306', '307',
    ]);
    for (const code of PROBLEM_CODES) {
      const e = PROBLEM_CATALOGUE[code];
      expect(e.code).toBe(code);
      expect(e.text.ja.length).toBeGreaterThan(0);
      expect(e.text.en.length).toBeGreaterThan(0);
    }
  });

  it('ok UPKI codes marked, UPKI texts kept word for word', () => {
    const upki = PROBLEM_CODES.filter((c) => PROBLEM_CATALOGUE[c].upki);
    expect(upki).toEqual(['208', '209', '213', '214', '201', '202', '204', '205', '206', '212', '215']);
    expect(PROBLEM_CATALOGUE['201'].text.ja).toBe('{item}は入力必須項目です。');
    expect(PROBLEM_CATALOGUE['202'].text.ja).toBe('{item}は{n}桁以内で入力してください。');
    expect(PROBLEM_CATALOGUE['212'].text.ja).toBe('指定したDNはすでに存在しています。');
    expect(PROBLEM_CATALOGUE['301'].text.ja).toBe('対象のドメインは許可されていないため発行できません。サービス窓口にお問い合わせください。');
    expect(PROBLEM_CATALOGUE['302'].text.ja).toBe('機関の証明書発行有効期限が切れています。サービス窓口にお問い合わせください。');
    expect(PROBLEM_CATALOGUE['303'].text.ja.startsWith('WHOISサーバへの接続に失敗しました。')).toBe(true);
    expect(PROBLEM_CATALOGUE['304'].text.ja.startsWith('WHOISサーバに登録されている情報と一致しません。')).toBe(true);
    expect(PROBLEM_CATALOGUE['305'].text.ja).toBe('主体者DNのLが登録された値と一致しません。');
    expect(PROBLEM_CATALOGUE['306'].text.ja).toBe('主体者DNのSTが登録された値と一致しません。');
  });

  it('ok causes and remedies for 301 to 304', () => {
    for (const code of ['301', '302', '303', '304'] as const) {
      expect(PROBLEM_CATALOGUE[code].cause?.ja).toBeTruthy();
      expect(PROBLEM_CATALOGUE[code].remedy?.en).toBeTruthy();
    }
  });

  it('ok scopes follow the spec table', () => {
    const scope = (s: string) => PROBLEM_CODES.filter((c) => PROBLEM_CATALOGUE[c].scope === s);
    expect(scope('file')).toEqual(['208', '209', '213', '214', '216', '217', '218']);
    expect(scope('institution')).toEqual(['215', '301', '302', '303', '304', '305', '306', '307']);
    expect(scope('warning')).toEqual(['W227']);
  });

  it('ok column names, 15 columns plus the file placeholder', () => {
    expect(COLUMN_NAMES).toHaveLength(16);
    expect(COLUMN_NAMES[1]).toEqual({ ja: '主体者DN', en: 'Subject DN' });
    expect(COLUMN_NAMES[14]).toEqual({ ja: '利用者メールアドレス', en: 'User mail' });
  });

  it('ok isProblemCode', () => {
    expect(isProblemCode('W227')).toBe(true);
    expect(isProblemCode('227')).toBe(false);
    expect(isProblemCode('toString')).toBe(false);
  });
});

describe('formatProblem', () => {
  it('ok CODE:COLUMN,ITEM,TEXT', () => {
    expect(formatProblem('212', 1, {}, 'ja')).toBe('212:1,主体者DN,指定したDNはすでに存在しています。');
    expect(formatProblem('202', 11, { n: 64 }, 'en')).toBe('202:11,User name,User name must be at most 64 characters long.');
    expect(formatProblem('208', 0, {}, 'ja')).toBe('208:0,-,ファイルが指定されていません。');
    expect(formatProblem('207', 0, { n: 3 }, 'en')).toBe('207:0,-,The line must have 15 (or 14) columns; found 3.');
  });

  it('ok details appended in brackets', () => {
    expect(formatProblem('206', 1, { detail: 'dn.missing', value: 'L' }, 'ja')).toBe('206:1,主体者DN,主体者DNの形式が正しくありません（Lがありません）。');
    expect(formatProblem('206', 1, { detail: 'dn.missing', value: 'L' }, 'en')).toBe('206:1,Subject DN,Subject DN is malformed (L is missing).');
    expect(formatProblem('221', 15, { detail: 'pin.method' }, 'en')).toBe(
      '221:15,Access PIN,Access PIN is not valid (an access PIN may be given only with download method 2 (bulk P12)).',
    );
  });

  it('ok every detail renders in both languages without placeholders left', () => {
    for (const key of Object.keys(PROBLEM_DETAILS) as (keyof typeof PROBLEM_DETAILS)[]) {
      for (const lang of ['ja', 'en'] as const) {
        expect(formatProblem('206', 1, { detail: key, value: 'E' }, lang)).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('ok characters named with code points; controls by code point only', () => {
    expect(describeChars(['ü', '\u0007'], 'ja')).toBe('「ü」(U+00FC)、U+0007');
    expect(describeChars(['a', 'b', 'c', 'd', 'e', 'f'], 'en')).toBe('"a" (U+0061), "b" (U+0062), "c" (U+0063), "d" (U+0064), "e" (U+0065), …');
  });

  it('ok levels: W227 a warning unless configured', () => {
    expect(problemLevel('W227')).toBe('warning');
    expect(problemLevel('W227', true)).toBe('error');
    expect(toProblem({ code: '212', column: 1 }, 3, 'en')).toEqual({
      code: '212', level: 'error', line: 3, column: 1,
      message: '212:1,Subject DN,A certificate or open request with this CN and OU already exists.',
    });
  });
});
