/**
 * Renders problems as `CODE:COLUMN,ITEM,TEXT` in Japanese or English (spec 02 §Error messages) and
 * builds the JSON problem objects of the upload answer and `hakko tsv check --json` (spec README).
 */
import { PROBLEM_CATALOGUE, type ProblemCode } from './catalogue.ts';
import { columnName, type ColumnNumber, type Lang } from './columns.ts';
import { PROBLEM_DETAILS, type DetailKey } from './details.ts';

/** DN attribute names (spec 02 §Value rules). */
export type DnAttr = 'CN' | 'OU' | 'O' | 'L' | 'ST' | 'C';

/** Language-neutral parameters of a problem; formatProblem turns them into text. */
export interface ProblemParams {
  /** Narrows {item} to one DN attribute ("主体者DNのCN"). */
  readonly attr?: DnAttr;
  /** A limit (202, 214, 216) or a count found (207). */
  readonly n?: number;
  /** Offending characters (203, 205), named with their code points. */
  readonly chars?: readonly string[];
  /** Byte offset (217). */
  readonly offset?: number;
  /** Line of the first occurrence (219, 231). */
  readonly line?: number;
  /** The offending value (210, 211, 226, 218, unknown DN attribute). */
  readonly value?: string;
  readonly detail?: DetailKey;
}

/** A problem before rendering: what the rules produce, and what can be re-rendered in another language. */
export interface Finding {
  readonly code: ProblemCode;
  readonly column: ColumnNumber;
  readonly params?: ProblemParams;
}

/** The problem object of the upload answer and `tsv check --json` (spec README). */
export interface Problem {
  readonly code: ProblemCode;
  readonly level: 'error' | 'warning';
  /** 1-based physical line; 0 for file-level problems. */
  readonly line: number;
  /** 1-based column; 0 for file-level problems. */
  readonly column: number;
  readonly message: string;
}

const MAX_NAMED_CHARS = 5;

/** `「ü」(U+00FC)` in Japanese, `"ü" (U+00FC)` in English; control characters by code point only. */
export function describeChars(chars: readonly string[], lang: Lang): string {
  const shown = chars.slice(0, MAX_NAMED_CHARS).map((c) => {
    const cp = c.codePointAt(0) ?? 0;
    const u = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return u;
    return lang === 'ja' ? `「${c}」(${u})` : `"${c}" (${u})`;
  });
  const more = chars.length > MAX_NAMED_CHARS ? (lang === 'ja' ? ' など' : ', …') : '';
  return shown.join(lang === 'ja' ? '、' : ', ') + more;
}

function itemText(column: ColumnNumber, attr: DnAttr | undefined, lang: Lang): string {
  const col = columnName(column, lang);
  if (attr === undefined) return col;
  return lang === 'ja' ? `${col}の${attr}` : `${attr} of ${col}`;
}

function fill(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

function withDetail(text: string, detail: string, lang: Lang): string {
  if (lang === 'ja') return text.replace(/。$/, '') + `（${detail}）。`;
  return text.replace(/\.$/, '') + ` (${detail}).`;
}

/** The TEXT part of a message: the catalogue template filled in, plus the detail if any. */
export function problemText(code: ProblemCode, column: ColumnNumber, params: ProblemParams, lang: Lang): string {
  const vars: Record<string, string> = {
    item: itemText(column, params.attr, lang),
    n: params.n === undefined ? '' : String(params.n),
    char: describeChars(params.chars ?? [], lang),
    offset: params.offset === undefined ? '' : String(params.offset),
    line: params.line === undefined ? '' : String(params.line),
    value: params.value ?? '',
  };
  const text = fill(PROBLEM_CATALOGUE[code].text[lang], vars);
  if (params.detail === undefined) return text;
  return withDetail(text, fill(PROBLEM_DETAILS[params.detail][lang], vars), lang);
}

/** `CODE:COLUMN,ITEM,TEXT`, e.g. `212:1,主体者DN,指定したDNはすでに存在しています。` (spec 02 §Error messages). */
export function formatProblem(code: ProblemCode, column: ColumnNumber, params: ProblemParams, lang: Lang): string {
  return `${code}:${column},${columnName(column, lang)},${problemText(code, column, params, lang)}`;
}

/** `"warning"` for W227 unless the operator made it an error (`tsv.w227IsError`); `"error"` otherwise. */
export function problemLevel(code: ProblemCode, w227IsError = false): 'error' | 'warning' {
  return code === 'W227' && !w227IsError ? 'warning' : 'error';
}

/** Renders a finding of physical line `line` (0 for the file) as the JSON problem object. */
export function toProblem(finding: Finding, line: number, lang: Lang, w227IsError = false): Problem {
  return {
    code: finding.code,
    level: problemLevel(finding.code, w227IsError),
    line,
    column: finding.column,
    message: formatProblem(finding.code, finding.column, finding.params ?? {}, lang),
  };
}
