/**
 * Pure i18n functions: message lookup with typed `{placeholder}` parameters, `{ja, en}` message
 * objects (the domain error catalogue and API errors use them), and the default language.
 * No DOM or Svelte here, so unit tests and workers can use it; components use `I18n` (language.svelte.ts).
 */
import type { MessageArea } from './define.ts';
import type { AllJa, MessageKey } from './messages.ts';
import { shellMessages } from './areas/shell.ts';

export type { MessageKey } from './messages.ts';

/** The languages of the UI (spec 04 §Language). */
export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];

/**
 * The registered texts per language: the shell from the start, other areas once a page registers
 * them (`registerMessages`). Mutable on purpose: registration fills it before a page renders.
 */
export const CATALOGUES: Readonly<Record<Lang, Record<string, string>>> = {
  ja: { ...shellMessages.ja },
  en: { ...shellMessages.en },
};

/**
 * Make an area's texts available to `translate` (idempotent). Call it at module level in the page
 * or component that uses the area: `<script module> registerMessages(pickupMessages) </script>`.
 */
export function registerMessages(area: MessageArea<Readonly<Record<string, string>>>): void {
  Object.assign(CATALOGUES.ja, area.ja);
  Object.assign(CATALOGUES.en, area.en);
}

/** The texts of one area in one language, as a module loaded on demand. */
export type LanguageLoader = () => Promise<Readonly<Record<string, string>>>;

/** Areas whose languages are separate modules, with the languages already in the catalogue. */
const LAZY_AREAS = new Map<Readonly<Record<Lang, LanguageLoader>>, Set<Lang>>();

/**
 * Register an area whose two languages are modules of their own, so that a page loads only the
 * language it shows (spec 08: the pickup page's JavaScript budget). Nothing is loaded here:
 * `loadLanguage` (the page, before it renders) and `I18n.setLang` (a switch) do it. Idempotent per
 * loader object; call it at module level like `registerMessages`.
 */
export function registerLazyMessages(loaders: Readonly<Record<Lang, LanguageLoader>>): void {
  if (!LAZY_AREAS.has(loaders)) LAZY_AREAS.set(loaders, new Set());
}

/** True when every lazily registered area has `lang` in the catalogue. */
export function languageLoaded(lang: Lang): boolean {
  for (const loaded of LAZY_AREAS.values()) if (!loaded.has(lang)) return false;
  return true;
}

/** Loads `lang` of every lazily registered area that lacks it into the catalogue. */
export async function loadLanguage(lang: Lang): Promise<void> {
  await Promise.all(
    [...LAZY_AREAS].filter(([, loaded]) => !loaded.has(lang)).map(async ([loaders, loaded]) => {
      Object.assign(CATALOGUES[lang], await loaders[lang]());
      loaded.add(lang);
    }),
  );
}

/** A text in both languages, as the domain error catalogue and the API (`message`) carry it. */
export interface Localized {
  readonly ja: string;
  readonly en: string;
}

/** The placeholder names of a message literal: `'a {x} b {y}'` → `'x' | 'y'`. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never;

/** The placeholder names of message `K` (taken from the Japanese catalogue). */
export type ParamsOf<K extends MessageKey> = Placeholders<AllJa[K]>;

/** Arguments after the key: none for a message without placeholders, else one object naming them all. */
export type ParamArgs<K extends MessageKey> = [ParamsOf<K>] extends [never]
  ? []
  : [params: { readonly [P in ParamsOf<K>]: string | number }];

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

/** Type guard for a supported language code. */
export function isLang(value: unknown): value is Lang {
  return value === 'ja' || value === 'en';
}

/**
 * Message `key` in `lang` with its placeholders filled; a missing parameter stays visible as
 * `{name}`, a key of an area nobody registered as the key itself.
 */
export function translate<K extends MessageKey>(lang: Lang, key: K, ...args: ParamArgs<K>): string {
  const text = CATALOGUES[lang][key] ?? CATALOGUES.ja[key] ?? key;
  const params: Readonly<Record<string, string | number>> | undefined = args[0];
  if (!params) return text;
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** The text of a `{ja, en}` message in `lang`, falling back to the other language if one is empty. */
export function pickLocalized(lang: Lang, message: Localized): string {
  return message[lang] || message[lang === 'ja' ? 'en' : 'ja'];
}

/** The placeholder names used in a message text, sorted and unique (for catalogue checks). */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}

/** Default language from `navigator.language`: English if it starts with "en", else Japanese. */
export function detectLanguage(navigatorLanguage: string | undefined | null): Lang {
  return navigatorLanguage?.toLowerCase().startsWith('en') ? 'en' : 'ja';
}

/** Keys of messages without placeholders (e.g. page titles passed around as keys). */
export type PlainMessageKey = {
  [K in MessageKey]: [ParamsOf<K>] extends [never] ? K : never;
}[MessageKey];

/** BCP 47 locale used for dates and numbers in each UI language. */
const LOCALES: Readonly<Record<Lang, string>> = { ja: 'ja-JP', en: 'en-GB' };

/**
 * A point in time for people (expiry of a URL, issue date), in the browser's time zone (or
 * `timeZone`) with the zone named: "2026年12月21日 15:04 JST" / "21 December 2026 at 15:04 GMT+9".
 */
export function formatDateTime(lang: Lang, value: Date | string, timeZone?: string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  const text = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeStyle: 'short', timeZone }).format(date);
  const zone = new Intl.DateTimeFormat(LOCALES[lang], { timeZone, timeZoneName: 'short' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')?.value;
  return zone ? `${text} ${zone}` : text;
}

/** A count with the grouping of the language ("10,000"). */
export function formatNumber(lang: Lang, value: number | bigint): string {
  return new Intl.NumberFormat(LOCALES[lang]).format(value);
}
