/**
 * The upload preview (spec 06 §Dashboard: "a preview of the parsed rows before submitting"): the
 * shared validator's result (`$domain/tsv`, the same codes as the server — no copied rule) reduced to
 * what the table shows, so that a 10,000-row answer crosses from the worker cheaply.
 */
import type { TsvValidation, TsvKind, InstitutionForRules } from '$domain/tsv/index.ts';

export interface PreviewProblem {
  readonly code: string;
  readonly level: 'error' | 'warning';
  readonly column: number;
  readonly message: string;
}

export interface PreviewRow {
  readonly seq: number;
  readonly ok: boolean;
  readonly dn: string;
  /** Name, affiliation, mail of the row's person: the user (A, B, C) or the new administrator (D). */
  readonly name: string | null;
  readonly affiliation: string | null;
  readonly mail: string | null;
  readonly serial: string | null;
  readonly problems: readonly PreviewProblem[];
}

export interface Preview {
  readonly kind: TsvKind;
  readonly lines: number;
  readonly encoding: 'cp932' | 'utf-8' | null;
  readonly fileProblems: readonly PreviewProblem[];
  readonly rows: readonly PreviewRow[];
  readonly counts: TsvValidation['counts'];
  /** Codes only the server can check (212, 223…): listed so nobody mistakes a clean preview for a clean upload. */
  readonly notChecked: readonly string[];
}

/** What the page asks the worker. */
export interface PreviewRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly fileName: string;
  readonly kind: TsvKind;
  readonly lang: 'ja' | 'en';
  readonly institution: InstitutionForRules | null;
  readonly today: string;
  readonly maxBytes: number;
  readonly maxLines: number;
  readonly w227IsError: boolean;
}

export type PreviewAnswer = { readonly id: number; readonly preview: Preview } | { readonly id: number; readonly failed: string };

const problem = (p: TsvValidation['problems'][number]): PreviewProblem => ({ code: p.code, level: p.level, column: p.column, message: p.message });

/** The validation as the preview shows it. */
export function toPreview(v: TsvValidation): Preview {
  const rows = v.rows.map((r): PreviewRow => {
    const p = r.parsed;
    const person = v.kind === 'admin' ? p?.admin : p?.user;
    return {
      seq: r.seq, ok: r.ok, dn: p?.dnText ?? '', name: person?.name ?? null, affiliation: person?.affiliation ?? null, mail: person?.mail ?? null,
      serial: p?.serial ?? null, problems: r.problems.map(problem),
    };
  });
  return { kind: v.kind, lines: v.lines, encoding: v.encoding, fileProblems: v.fileProblems.map(problem), rows, counts: v.counts, notChecked: [...v.notChecked] };
}

/** Today's date in Japan (approval expiry is a JST calendar day, spec 02 302). */
export function jstToday(now: Date): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}
