/**
 * The message catalogues: both languages have the same keys with the same placeholders and no
 * empty texts; translate, localized messages, the default language and the preference store.
 */
import { describe, expect, it } from 'vitest';
import { AREAS, en, ja } from '../../web/lib/i18n/all.ts';
import {
  detectLanguage,
  formatDateTime,
  formatNumber,
  isLang,
  pickLocalized,
  placeholdersOf,
  translate,
} from '../../web/lib/i18n/translate.ts';
import { browserPreferences } from '../../web/lib/storage/preferences.ts';

const jaKeys = Object.keys(ja).sort();

/** Differences between two catalogues: keys missing on either side, and differing placeholder sets. */
function catalogueProblems(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(a)) if (!Object.hasOwn(b, key)) problems.push(`missing in en: ${key}`);
  for (const key of Object.keys(b)) if (!Object.hasOwn(a, key)) problems.push(`missing in ja: ${key}`);
  for (const key of Object.keys(a)) {
    if (!Object.hasOwn(b, key)) continue;
    const pa = placeholdersOf(a[key] as string).join(',');
    const pb = placeholdersOf(b[key] as string).join(',');
    if (pa !== pb) problems.push(`placeholders differ in ${key}: {${pa}} vs {${pb}}`);
  }
  return problems;
}

describe('catalogues', () => {
  it('ja and en have the same keys and the same placeholders', () => {
    expect(catalogueProblems(ja, en)).toEqual([]);
  });

  it('each area has the same keys in both languages and no area repeats another area\'s key', () => {
    const seen = new Map<string, string>();
    for (const [name, area] of Object.entries(AREAS)) {
      expect(catalogueProblems(area.ja, area.en), name).toEqual([]);
      for (const key of Object.keys(area.ja)) {
        expect(seen.get(key), `${key} in ${name}`).toBeUndefined();
        seen.set(key, name);
      }
    }
  });

  it('the check finds a key missing on either side and a differing placeholder', () => {
    expect(
      catalogueProblems({ 'a.b': 'x', 'a.c': '{n} 件', 'a.d': 'y' }, { 'a.b': 'x', 'a.c': '{count} rows', 'a.e': 'z' }),
    ).toEqual(['missing in en: a.d', 'missing in ja: a.e', 'placeholders differ in a.c: {n} vs {count}']);
  });

  it('no message is empty or untrimmed', () => {
    for (const [lang, catalogue] of Object.entries({ ja, en })) {
      for (const [key, text] of Object.entries(catalogue)) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        expect(text, `${lang} ${key}`).toBe(text.trim());
      }
    }
  });

  it('keys are dotted lower camel case', () => {
    expect(jaKeys.filter((k) => !/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/.test(k))).toEqual([]);
  });

  it('braces are only used for placeholders', () => {
    for (const [lang, catalogue] of Object.entries({ ja, en })) {
      for (const [key, text] of Object.entries(catalogue)) {
        expect(text.replace(/\{[A-Za-z0-9_]+\}/g, ''), `${lang} ${key}`).not.toMatch(/[{}]/);
      }
    }
  });
});

describe('placeholdersOf', () => {
  it('ok sorted unique names', () => {
    expect(placeholdersOf('{b} and {a} and {b}')).toEqual(['a', 'b']);
  });
  it('ok none', () => {
    expect(placeholdersOf('plain')).toEqual([]);
  });
});

describe('translate', () => {
  it('ok message without placeholders', () => {
    expect(translate('en', 'start.title')).toBe('Start');
    expect(translate('ja', 'start.title')).toBe('ホーム');
  });
  it('ok placeholders filled', () => {
    expect(translate('en', 'shell.version', { version: '1.2.3' })).toBe('Version 1.2.3');
    expect(translate('ja', 'error.status', { status: 404 })).toBe('エラーコード 404');
  });
  it('a missing parameter stays visible', () => {
    const params = {} as { version: string };
    expect(translate('en', 'shell.version', params)).toBe('Version {version}');
  });
});

describe('pickLocalized', () => {
  const message = { ja: '見つかりません', en: 'Not found' };
  it('ok each language', () => {
    expect(pickLocalized('ja', message)).toBe('見つかりません');
    expect(pickLocalized('en', message)).toBe('Not found');
  });
  it('falls back to the other language when one is empty', () => {
    expect(pickLocalized('en', { ja: '日本語だけ', en: '' })).toBe('日本語だけ');
  });
});

describe('detectLanguage', () => {
  it.each([
    ['en-US', 'en'],
    ['en', 'en'],
    ['EN-gb', 'en'],
    ['ja-JP', 'ja'],
    ['ja', 'ja'],
    ['de-DE', 'ja'],
    ['', 'ja'],
    [undefined, 'ja'],
  ] as const)('%s → %s', (input, expected) => {
    expect(detectLanguage(input)).toBe(expected);
  });
  it('isLang', () => {
    expect(isLang('ja')).toBe(true);
    expect(isLang('en')).toBe(true);
    expect(isLang('fr')).toBe(false);
    expect(isLang(null)).toBe(false);
  });
});

describe('formatDateTime / formatNumber', () => {
  it('ok Japanese and English, zone named', () => {
    expect(formatDateTime('ja', '2026-12-21T06:04:00Z', 'Asia/Tokyo')).toBe('2026年12月21日 15:04 JST');
    expect(formatDateTime('en', new Date('2026-12-21T06:04:00Z'), 'UTC')).toBe('21 December 2026 at 06:04 UTC');
  });
  it('ok digit grouping', () => {
    expect(formatNumber('ja', 10000)).toBe('10,000');
    expect(formatNumber('en', 12345678901234567890n)).toBe('12,345,678,901,234,567,890');
  });
});

describe('browserPreferences', () => {
  const memoryStorage = (): Storage => {
    const map = new Map<string, string>();
    return {
      get length() {
        return map.size;
      },
      clear: () => map.clear(),
      getItem: (k) => map.get(k) ?? null,
      key: (i) => [...map.keys()][i] ?? null,
      removeItem: (k) => void map.delete(k),
      setItem: (k, v) => void map.set(k, v),
    };
  };

  it('ok reads what it wrote', () => {
    const storage = memoryStorage();
    browserPreferences(() => storage).set('hakko.lang', 'en');
    expect(storage.getItem('hakko.lang')).toBe('en');
    expect(browserPreferences(() => storage).get('hakko.lang')).toBe('en');
  });

  it('survives a store whose access throws (storage disabled)', () => {
    const prefs = browserPreferences(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    expect(prefs.get('hakko.lang')).toBeNull();
    prefs.set('hakko.lang', 'en');
    expect(prefs.get('hakko.lang')).toBe('en');
  });

  it('survives a full store (setItem throws)', () => {
    const storage = memoryStorage();
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const prefs = browserPreferences(() => storage);
    prefs.set('hakko.lang', 'ja');
    expect(prefs.get('hakko.lang')).toBe('ja');
  });

  it('survives no storage at all', () => {
    const prefs = browserPreferences(() => undefined);
    prefs.set('k', 'v');
    expect(prefs.get('k')).toBe('v');
  });
});
