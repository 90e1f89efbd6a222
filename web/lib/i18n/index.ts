/** The i18n entry point: `import { useI18n } from '$lib/i18n/index.ts'` in components. */
export { I18n, LANG_STORAGE_KEY, provideI18n, useI18n } from './language.svelte.ts';
export {
  LANGS,
  detectLanguage,
  isLang,
  pickLocalized,
  translate,
  type Lang,
  type Localized,
  type MessageKey,
  type ParamArgs,
  type PlainMessageKey,
} from './translate.ts';
