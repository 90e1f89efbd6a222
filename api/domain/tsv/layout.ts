/** Which of the 15 columns each kind of file requires, allows or leaves empty (spec 02 §The 15 columns). */
import type { ColumnNumber } from '../errors/columns.ts';
import type { TsvKind } from './types.ts';

export type ColumnUse = 'required' | 'optional' | 'empty';

const R = 'required';
const O = 'optional';
const E = 'empty';

/**
 * Index 0 is column 1. Revocation: column 6 is optional (reason 0 without it is W227), columns 8–11,
 * 13, 14 optional. Administrator change: 8–10 carry the new administrator.
 */
export const COLUMN_USE: Readonly<Record<TsvKind, readonly ColumnUse[]>> = {
  issue: [R, R, R, E, E, E, E, R, R, R, R, O, O, R, O],
  renew: [R, R, R, R, E, E, E, R, R, R, R, O, O, R, O],
  revoke: [R, E, E, R, R, O, E, O, O, O, O, E, O, O, E],
  admin: [R, E, E, R, E, E, E, R, R, R, E, E, E, E, E],
};

/** The use of column `column` (1–15) in files of `kind`. */
export function columnUse(kind: TsvKind, column: ColumnNumber): ColumnUse {
  return COLUMN_USE[kind][column - 1] ?? 'empty';
}

/**
 * The kind a set of rows most likely is (the TSV tool opening a file: request files carry no header):
 * the kind whose column use the rows break least — a required column empty or an unused one filled.
 * Ties go to the earlier kind of `TSV_KINDS` order (issuance first).
 */
export function guessKind(rows: readonly (readonly string[])[]): TsvKind {
  const kinds: readonly TsvKind[] = ['issue', 'renew', 'revoke', 'admin'];
  let best: TsvKind = 'issue';
  let bestScore = Infinity;
  for (const kind of kinds) {
    let score = 0;
    for (const row of rows) {
      COLUMN_USE[kind].forEach((use, i) => {
        const empty = (row[i] ?? '') === '';
        if ((use === 'required' && empty) || (use === 'empty' && !empty)) score++;
      });
    }
    if (score < bestScore) {
      best = kind;
      bestScore = score;
    }
  }
  return best;
}
