/**
 * A message area: the Japanese and English texts of one part of the app (the shell, the pickup
 * pages, the dashboard, the tool…), kept in one file under `areas/`. Japanese is the source of the
 * keys and placeholders; English must have the same keys (the type says so, a unit test checks the
 * placeholders). Areas are registered at run time (`registerMessages`) by the pages that use them,
 * so a page's bundle carries only its own texts (spec 08: the pickup page's JavaScript budget).
 */

/** The texts of one area in both languages. */
export interface MessageArea<J extends Readonly<Record<string, string>>> {
  readonly ja: J;
  readonly en: { readonly [K in keyof J]: string };
}

/** Declare an area; `const` keeps the Japanese literals, from which placeholder types are read. */
export function defineMessages<const J extends Readonly<Record<string, string>>>(area: {
  readonly ja: J;
  readonly en: { readonly [K in keyof J]: string };
}): MessageArea<J> {
  return area;
}
