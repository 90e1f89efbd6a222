/**
 * Reads the registrant organisation out of WHOIS answers and compares organisation names (spec 02
 * §Validation against the system, 304). Pure: the TCP client and its cache live on the server.
 *
 * JPRS answers (whois.jprs.jp; Hakko queries with `/e`, the English answer):
 *   organisation-type domains (ac.jp, co.jp …)   `g. [Organization]   Example University`
 *                                   (Japanese) `f. [組織名]          例大学`
 *   general-use domains (example.jp)          `[Registrant]        Example Inc.`
 *                                   (Japanese) `[登録者名]          例株式会社`
 * Generic (ICANN registrars)                  `Registrant Organization: Example Inc.`
 */

const JPRS_LINE = /^\s*(?:[a-z]\.\s*)?\[(?:Organization|組織名|Registrant|登録者名)\][ \t\u3000]*(.*)$/;
const GENERIC_LINE = /^\s*Registrant\s+Organi[sz]ation\s*:\s*(.*)$/i;

/**
 * Every registrant organisation named in the answer, in order, without duplicates (a Japanese JPRS
 * answer names it in Japanese and English; either may be the registered one).
 */
export function whoisOrganisations(answer: string): string[] {
  const found: string[] = [];
  for (const line of answer.split(/\r?\n/)) {
    const m = JPRS_LINE.exec(line) ?? GENERIC_LINE.exec(line);
    const value = m?.[1]?.trim();
    if (value && !found.includes(value)) found.push(value);
  }
  return found;
}

/** The first registrant organisation of the answer, or null when it names none. */
export function registrantOrganisation(answer: string): string | null {
  return whoisOrganisations(answer)[0] ?? null;
}

/**
 * Organisation names compare after Unicode NFKC, case folding and collapsing of spaces (spec 02).
 * Case folding is upper-then-lower case, which folds `ß`/`SS` and final sigma as full folding does.
 */
export function normaliseOrg(s: string): string {
  return s
    .normalize('NFKC')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKC')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** True when one of the answer's organisations equals the registered organisation after normalisation. */
export function whoisMatches(registered: string, organisations: readonly string[]): boolean {
  const want = normaliseOrg(registered);
  return organisations.some((o) => normaliseOrg(o) === want);
}
