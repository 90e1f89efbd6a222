/**
 * The i18n entry point. In a component:
 *
 *   const { t, localized, dateTime } = useI18n();
 *   <h1>{t('start.heading')}</h1>                    (reactive: re-renders on a language switch)
 *   <p>{t('shell.version', { version })}</p>         (params typed from the placeholders in ja.ts)
 *   <p role="alert">{localized(apiError.message)}</p> ({ja, en} objects from the API / domain)
 *
 * Outside components (workers, tests, CLI-like code) use the pure `translate(lang, key, params)`.
 * New strings: add the key to both languages of the area's file in `areas/` (the type and a unit
 * test enforce both); a page registers its area once with `registerMessages` (define.ts). A page
 * on a tight JavaScript budget may keep each language in a module of its own and register the two
 * loaders with `registerLazyMessages`, then render once `i18n.ready()` resolved (the pickup page).
 */
export { I18n, LANG_STORAGE_KEY, provideI18n, useI18n } from './language.svelte.ts';
export { defineMessages, type MessageArea } from './define.ts';
export {
  LANGS,
  detectLanguage,
  formatDateTime,
  formatNumber,
  isLang,
  languageLoaded,
  loadLanguage,
  pickLocalized,
  registerLazyMessages,
  registerMessages,
  translate,
  type Lang,
  type LanguageLoader,
  type Localized,
  type MessageKey,
  type ParamArgs,
  type PlainMessageKey,
} from './translate.ts';
