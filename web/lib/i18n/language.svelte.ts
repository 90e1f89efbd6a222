/**
 * The UI language as Svelte 5 state, with `t` and `localized` bound to it. One instance is created
 * by the root layout and shared through context (`useI18n()`), so components re-render on a switch.
 */
import { getContext, setContext } from 'svelte';
import type { PreferenceStore } from '../storage/preferences.ts';
import {
  detectLanguage,
  formatDateTime,
  formatNumber,
  isLang,
  languageLoaded,
  loadLanguage,
  pickLocalized,
  translate,
  type Lang,
  type Localized,
  type MessageKey,
  type ParamArgs,
} from './translate.ts';

const CONTEXT_KEY = Symbol('hakko.i18n');
/** localStorage key of the chosen language. */
export const LANG_STORAGE_KEY = 'hakko.lang';

export class I18n {
  /** The current language; reading it inside a component or effect makes that reactive. */
  lang: Lang = $state('ja');
  readonly #store: PreferenceStore;

  /** Start with the remembered language, else the browser's (`navigator.language`). */
  constructor(store: PreferenceStore, navigatorLanguage: string | undefined) {
    this.#store = store;
    const saved = store.get(LANG_STORAGE_KEY);
    this.lang = isLang(saved) ? saved : detectLanguage(navigatorLanguage);
  }

  #switching = 0;

  /**
   * Switch the language and remember the choice. When a page's texts in `lang` are still to be
   * loaded (`registerLazyMessages`), the switch happens once they are there (or failed to load), so
   * no text flashes in the other language; the last of quick successive switches wins.
   */
  setLang(lang: Lang): void {
    this.#store.set(LANG_STORAGE_KEY, lang);
    const switching = ++this.#switching;
    if (languageLoaded(lang)) {
      this.lang = lang;
      return;
    }
    void loadLanguage(lang)
      .catch(() => undefined)
      .then(() => {
        if (switching === this.#switching) this.lang = lang;
      });
  }

  /** Resolves once the current language's lazily registered texts are in the catalogue. */
  ready(): Promise<void> {
    return loadLanguage(this.lang);
  }

  /** Message `key` in the current language, placeholders filled from the typed params. */
  t = <K extends MessageKey>(key: K, ...args: ParamArgs<K>): string => translate(this.lang, key, ...args);

  /** The current language's text of a `{ja, en}` message (domain errors, API `message`). */
  localized = (message: Localized): string => pickLocalized(this.lang, message);

  /** A date and time in the current language, with the time zone named. */
  dateTime = (value: Date | string): string => formatDateTime(this.lang, value);

  /** A number with the current language's digit grouping. */
  number = (value: number | bigint): string => formatNumber(this.lang, value);
}

/** Make `i18n` available to the component tree below the caller (the root layout). */
export function provideI18n(i18n: I18n): I18n {
  return setContext(CONTEXT_KEY, i18n);
}

/** The `I18n` of the app; call during component initialisation. */
export function useI18n(): I18n {
  const i18n = getContext<I18n | undefined>(CONTEXT_KEY);
  if (!i18n) throw new Error('useI18n() called outside the root layout');
  return i18n;
}
