/**
 * Areas whose languages load on demand (translate.ts `registerLazyMessages`): nothing is loaded at
 * registration, `loadLanguage` fetches one language once, `languageLoaded` reports it, and the
 * catalogue then translates with it.
 */
import { describe, expect, it } from 'vitest';
import { languageLoaded, loadLanguage, registerLazyMessages, translate, type MessageKey } from '../../web/lib/i18n/translate.ts';

describe('registerLazyMessages', () => {
  it('ok: only the language asked for is loaded, once; both after a switch', async () => {
    const calls: string[] = [];
    const loaders = {
      ja: async () => (calls.push('ja'), { 'lazyTest.greeting': 'こんにちは {name}' }),
      en: async () => (calls.push('en'), { 'lazyTest.greeting': 'Hello {name}' }),
    };
    registerLazyMessages(loaders);
    registerLazyMessages(loaders); // idempotent
    expect(calls).toEqual([]);
    expect(languageLoaded('ja')).toBe(false);

    await loadLanguage('ja');
    await loadLanguage('ja');
    expect(calls).toEqual(['ja']);
    expect(languageLoaded('ja')).toBe(true);
    expect(languageLoaded('en')).toBe(false);
    const key = 'lazyTest.greeting' as MessageKey;
    expect((translate as (l: string, k: MessageKey, p: object) => string)('ja', key, { name: '花子' })).toBe('こんにちは 花子');

    await loadLanguage('en');
    expect(calls).toEqual(['ja', 'en']);
    expect((translate as (l: string, k: MessageKey, p: object) => string)('en', key, { name: 'Hanako' })).toBe('Hello Hanako');
  });

  it('NG a loader that fails leaves the language unloaded, so a later call tries again', async () => {
    let fail = true;
    registerLazyMessages({
      ja: async () => ({}),
      en: async () => {
        if (fail) throw new Error('offline');
        return { 'lazyTest.other': 'Other' };
      },
    });
    await expect(loadLanguage('en')).rejects.toThrow('offline');
    expect(languageLoaded('en')).toBe(false);
    fail = false;
    await loadLanguage('en');
    expect(languageLoaded('en')).toBe(true);
  });
});
