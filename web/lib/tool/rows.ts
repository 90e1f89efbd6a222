/**
 * Rows as the tool edits them: 15 values (spec 02 §The 15 columns), the columns each kind uses, and
 * a new row prefilled from the institution profile and the row above (spec 07 §Creating).
 */
import { dnFromFields } from '$domain/dn.ts';
import type { ColumnNumber } from '$domain/errors/index.ts';
import type { InstitutionProfile } from '$domain/institution.ts';
import { COLUMN_USE, TSV_COLUMNS, type TsvKind } from '$domain/tsv/index.ts';

export type Row = readonly string[];

/** The columns a kind of file uses (required or optional), in order. */
export function usedColumns(kind: TsvKind): ColumnNumber[] {
  const out: ColumnNumber[] = [];
  COLUMN_USE[kind].forEach((use, i) => {
    if (use !== 'empty') out.push((i + 1) as ColumnNumber);
  });
  return out;
}

/** The row with exactly 15 values: missing ones empty, extra ones (a 207 line) dropped. */
export function fifteen(row: Row): string[] {
  return Array.from({ length: TSV_COLUMNS }, (_, i) => row[i] ?? '');
}

/** Columns copied from the row above into a new row: what a file usually repeats. */
const REPEATED: Readonly<Record<TsvKind, readonly number[]>> = {
  issue: [2, 3, 8, 9, 10],
  renew: [3, 8, 9, 10],
  revoke: [],
  admin: [8, 9, 10],
};

/**
 * A new row: the DN's O, L, ST and C from the profile (CN and OU left for the user), and the
 * profile, download method and user administrator of the row above where the kind repeats them.
 */
export function newRow(kind: TsvKind, profile: InstitutionProfile | null, above: Row | null): string[] {
  const row = Array.from({ length: TSV_COLUMNS }, () => '');
  if (profile !== null) row[0] = dnFromFields({ cn: '', ou: [], o: profile.o, l: profile.l, st: profile.st ?? '', c: 'JP' });
  if (above !== null) for (const col of REPEATED[kind]) row[col - 1] = above[col - 1] ?? '';
  return row;
}
