/**
 * Findings as the tool shows them: the server's catalogue text (`problemText`, api/domain) in the
 * chosen language, with the code, the level and the column — the same messages an upload gives.
 */
import { columnName, problemLevel, problemText, PROBLEM_CATALOGUE, type ColumnNumber, type Finding, type Lang, type ProblemCode } from '$domain/errors/index.ts';

export interface ShownProblem {
  readonly code: ProblemCode;
  readonly level: 'error' | 'warning';
  readonly column: ColumnNumber;
  /** The TEXT part of `CODE:COLUMN,ITEM,TEXT` (spec 02 §Error messages). */
  readonly text: string;
  /** The column's name; `-` for the whole line or file. */
  readonly item: string;
}

/** One finding in `lang`. */
export function showFinding(f: Finding, lang: Lang): ShownProblem {
  return {
    code: f.code, level: problemLevel(f.code), column: f.column,
    text: problemText(f.code, f.column, f.params ?? {}, lang), item: columnName(f.column, lang),
  };
}

/** The short title of a code ("Existing DN"), for the lists of codes not checked here. */
export function codeTitle(code: ProblemCode, lang: Lang): string {
  return PROBLEM_CATALOGUE[code].title[lang];
}

/** Errors and warnings among findings. */
export function countLevels(findings: readonly Finding[]): { errors: number; warnings: number } {
  let warnings = 0;
  for (const f of findings) if (problemLevel(f.code) === 'warning') warnings++;
  return { errors: findings.length - warnings, warnings };
}
