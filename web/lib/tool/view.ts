/**
 * The viewer's table logic (spec 07 §Viewing): filter by keyword and state, sort by a column, count
 * what is shown. Pure, so the rules are tested without a page.
 */

export interface ViewQuery {
  /** Matched case-insensitively against every value of a row. */
  readonly keyword: string;
  /** Keep rows whose state is one of these; empty keeps all. */
  readonly states: readonly string[];
  /** 0-based column to sort by, or null for file order. */
  readonly sortColumn: number | null;
  readonly descending: boolean;
}

/** Indexes of the rows shown, in display order. `stateOf` names a row's state (a §E code, "ok", "error" …). */
export function viewRows(rows: readonly (readonly string[])[], query: ViewQuery, stateOf: (index: number) => string, extra: (index: number) => boolean = () => true): number[] {
  const needle = query.keyword.trim().toLowerCase();
  const states = new Set(query.states);
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (states.size > 0 && !states.has(stateOf(i))) continue;
    if (!extra(i)) continue;
    if (needle !== '' && !rows[i]!.some((v) => v.toLowerCase().includes(needle))) continue;
    out.push(i);
  }
  const col = query.sortColumn;
  if (col === null) return out;
  const numeric = out.every((i) => /^\d*$/.test(rows[i]![col] ?? ''));
  const key = (i: number) => rows[i]![col] ?? '';
  const sign = query.descending ? -1 : 1;
  out.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    let c: number;
    if (numeric) c = x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
    else c = x < y ? -1 : x > y ? 1 : 0;
    return c * sign || a - b;
  });
  return out;
}

/** How many rows have each state, in first-seen order. */
export function stateCounts(count: number, stateOf: (index: number) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < count; i++) m.set(stateOf(i), (m.get(stateOf(i)) ?? 0) + 1);
  return m;
}

/** The value most rows have (ties: the first seen), or null for none. */
export function mostCommon(values: readonly string[]): string | null {
  const m = new Map<string, number>();
  let best: string | null = null;
  for (const v of values) {
    const n = (m.get(v) ?? 0) + 1;
    m.set(v, n);
    if (best === null || n > m.get(best)!) best = v;
  }
  return best;
}
