/**
 * One row of a preview or result table (spec 06 §Dashboard: SEQ, OK/NG, errors, institution,
 * affiliation, name, mail), whichever source it came from: the browser's preview or the stored report.
 */
import { PROBLEM_CATALOGUE, isProblemCode, type LocalText } from '$domain/errors/index.ts';

export interface TableMessage {
  readonly code: string;
  readonly level: 'error' | 'warning';
  readonly text: string;
}

export interface TableRow {
  readonly seq: number;
  readonly ok: boolean;
  readonly dn?: string;
  readonly institution?: string;
  readonly affiliation: string | null;
  readonly name: string | null;
  readonly mail: string | null;
  readonly messages: readonly TableMessage[];
}

/** Rows per page of a client-side paged table: enough to scan, few enough to render at once. */
export const ROWS_PER_PAGE = 100;

/** The cause and remedy the manuals give for a code (spec 02: shown under the message), if any. */
export function guidanceOf(code: string): { cause?: LocalText; remedy?: LocalText } | null {
  if (!isProblemCode(code)) return null;
  const e = PROBLEM_CATALOGUE[code];
  return e.cause || e.remedy ? { cause: e.cause, remedy: e.remedy } : null;
}

/** The code at the start of a stored message (`212:1,主体者DN,…`). */
export function codeOfMessage(message: string): string {
  return /^(W?\d{3}):/.exec(message)?.[1] ?? '';
}
