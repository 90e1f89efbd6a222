// The shared 【…】 layout of notifications (spec 05 §Which mail goes to whom): bytes parsers rely on.
import { describe, expect, test } from 'vitest';
import {
  bilingual, DN_RULE, dnAttributes, dnSection, ENGLISH_FOLLOWS, oneLine, section, serialSection,
  subjectLine, timeEn, timeJa,
} from '../../api/mail/templates/layout.ts';

describe('dn section', () => {
  test('ok: rule is U+3000 and 45 hyphen-minus', () => {
    expect(DN_RULE).toBe('\u3000---------------------------------------------');
    expect([...DN_RULE].length).toBe(46);
    expect(Buffer.from(DN_RULE, 'utf8').subarray(0, 3).toString('hex')).toBe('e38080');
  });

  test('ok: one attribute per line after a full-width space, between two rules', () => {
    const dn = 'CN=SATO TARO,OU=20261234,OU=Graduate School of Engineering,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';
    expect(dnSection('対象証明書DN', dn)).toEqual([
      '【対象証明書DN】',
      DN_RULE,
      '\u3000CN=SATO TARO',
      '\u3000OU=20261234',
      '\u3000OU=Graduate School of Engineering',
      '\u3000O=Sample University',
      '\u3000L=Bunkyo-ku',
      '\u3000ST=Tokyo',
      '\u3000C=JP',
      DN_RULE,
    ]);
  });

  test('ok: a comma not followed by an attribute name stays in the value (spec 02)', () => {
    expect(dnAttributes('CN=A, B,OU=Foo, Inc.,O=X,L=Y,C=JP')).toEqual(['CN=A, B', 'OU=Foo, Inc.', 'O=X', 'L=Y', 'C=JP']);
  });

  test('NG a DN with a line break is refused', () => {
    expect(() => dnSection('対象証明書DN', 'CN=A\n【失効理由】,O=X,C=JP')).toThrow(RangeError);
  });
});

describe('serial and value sections', () => {
  test('ok: the serial on its own line after a full-width space', () => {
    expect(serialSection('対象証明書シリアル番号', '123456789012345678901234567890')).toEqual([
      '【対象証明書シリアル番号】',
      '\u3000123456789012345678901234567890',
    ]);
  });

  test.each(['0x1F', '12 34', '', '1'.repeat(41), '-5'])('NG serial %j is not decimal', (s) => {
    expect(() => serialSection('対象証明書シリアル番号', s)).toThrow(RangeError);
  });

  test('NG a value with a line break could forge a heading', () => {
    expect(() => section('利用者', 'x\r\n【失効理由】')).toThrow(RangeError);
    expect(() => oneLine('a\u2028b')).toThrow(RangeError);
  });
});

describe('subject', () => {
  test.each([
    ['[Hakko]', '[Hakko] 有効期限のお知らせ / Certificate expiry reminder'],
    ['[UPKI]', '[UPKI] 有効期限のお知らせ / Certificate expiry reminder'],
    ['', '有効期限のお知らせ / Certificate expiry reminder'],
  ])('ok: prefix %j', (prefix, expected) => {
    expect(subjectLine(prefix, '有効期限のお知らせ', 'Certificate expiry reminder')).toBe(expected);
  });
});

describe('times', () => {
  test('ok: JST in Japanese, JST and UTC in English', () => {
    expect(timeJa('2026-12-31T00:00:00Z')).toBe('2026/12/31 09:00（日本時間）');
    expect(timeEn('2026-12-31T00:00:00Z')).toBe('2026-12-31 09:00 JST (2026-12-31T00:00:00Z)');
  });

  test('ok: the JST date rolls over at 15:00 UTC', () => {
    expect(timeJa('2026-12-31T15:00:00Z')).toBe('2027/01/01 00:00（日本時間）');
    expect(timeJa('2027-01-01T00:00:00+09:00')).toBe('2027/01/01 00:00（日本時間）');
  });

  test('NG not a time', () => {
    expect(() => timeJa('tomorrow')).toThrow(RangeError);
  });
});

describe('bilingual frame', () => {
  test('ok: Japanese, then "English follows.", then English', () => {
    const text = bilingual([['日本語の本文']], [['English text']]);
    const ja = text.indexOf('日本語の本文');
    const marker = text.indexOf(`\n${ENGLISH_FOLLOWS}\n`);
    const en = text.indexOf('English text');
    expect(ja).toBe(0);
    expect(marker).toBeGreaterThan(ja);
    expect(en).toBeGreaterThan(marker);
    expect(text.endsWith('\n')).toBe(true);
  });
});
