/**
 * The i18n entry point. In a component:
 *
 *   const { t, localized, dateTime } = useI18n();
 *   <h1>{t('start.heading')}</h1>                    (reactive: re-renders on a language switch)
 *   <p>{t('shell.version', { version })}</p>         (params typed from the placeholders in ja.ts)
 *   <p role="alert">{localized(apiError.message)}</p> ({ja, en} objects from the API / domain)
 *
 * Outside components (workers, tests, CLI-like code) use the pure `translate(lang, key, params)`.
 * New strings: add the key to ja.ts and en.ts (the unit test and the `Catalogue` type enforce both).
 */
export { I18n, LANG_STORAGE_KEY, provideI18n, useI18n } from './language.svelte.ts';
export {
  LANGS,
  detectLanguage,
  formatDateTime,
  formatNumber,
  isLang,
  pickLocalized,
  translate,
  type Lang,
  type Localized,
  type MessageKey,
  type ParamArgs,
  type PlainMessageKey,
} from './translate.ts';
