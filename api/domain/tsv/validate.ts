/**
 * Validation of a request file: file rules, then every row's column rules, then the rules over the
 * file, the institution and the system — reporting every problem of every row (spec 02).
 */
import type { ProblemCode } from '../errors/catalogue.ts';
import type { Lang } from '../errors/columns.ts';
import { toProblem, type Finding, type Problem } from '../errors/format.ts';
import { decodeTsv, splitTsv, type SplitTsv, type TsvEncoding, type TsvLine } from './codec.ts';
import {
  DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES, duplicateFindings, fileNameFinding, institutionFileFindings,
  kindNeedsActiveInstitution, mixedMethodFinding,
} from './file-rules.ts';
import { toRequest } from './requests.ts';
import { checkRow, type RowCheck } from './rows.ts';
import { recordUnchecked, systemFindings, type FindingsBySeq } from './system-rules.ts';
import type { RowResult, TsvKind, TsvValidation, ValidateOptions } from './types.ts';

interface Resolved {
  readonly kind: TsvKind;
  readonly lang: Lang;
  readonly options: ValidateOptions;
  readonly w227IsError: boolean;
}

/** What the offline part found; `validateTsv` adds the system rules to it. */
export interface OfflineStage {
  readonly resolved: Resolved;
  readonly encoding: TsvEncoding | null;
  readonly physicalLines: number;
  readonly fileFindings: readonly Finding[];
  readonly checks: readonly RowCheck[];
  readonly extra: FindingsBySeq;
  readonly notChecked: Set<ProblemCode>;
  /** A file-level problem that makes the rows unreadable (208, 213, 214, 216, 217). */
  readonly stopped: boolean;
}

function resolve(options: ValidateOptions): Resolved {
  return { kind: options.kind, lang: options.lang ?? 'ja', options, w227IsError: options.w227IsError ?? false };
}

const INSTITUTION_CODES: readonly ProblemCode[] = ['210', '211', '215', '301', '302', '303', '304', '305', '306', '307'];

function stop(resolved: Resolved, findings: Finding[], code: ProblemCode, params: Finding['params'], encoding: TsvEncoding | null, physicalLines = 0): OfflineStage {
  findings.push(params === undefined ? { code, column: 0 } : { code, column: 0, params });
  return { resolved, encoding, physicalLines, fileFindings: findings, checks: [], extra: new Map(), notChecked: new Set(), stopped: true };
}

/** Column, file and institution rules of already split lines; no system lookups. */
function offlineLines(resolved: Resolved, split: SplitTsv, fileFindings: Finding[], encoding: TsvEncoding | null): OfflineStage {
  const { kind, options } = resolved;
  const institution = options.institution ?? null;
  const notChecked = new Set<ProblemCode>();
  const checks = split.lines.map((line) => checkRow(line, kind, institution));
  const mixed = kind === 'issue' || kind === 'renew' ? mixedMethodFinding(checks) : null;
  if (mixed !== null) fileFindings.push(mixed);
  if (kindNeedsActiveInstitution(kind)) {
    if (institution === null) for (const code of INSTITUTION_CODES) notChecked.add(code);
    else fileFindings.push(...institutionFileFindings(institution, options.today ?? null, notChecked));
  }
  const extra = duplicateFindings(checks, kind);
  return { resolved, encoding, physicalLines: split.physicalLines, fileFindings, checks, extra, notChecked, stopped: false };
}

/**
 * Physical lines of bytes that are not decoded (216, 217): LF count, plus a last line without LF —
 * the count `splitTsv` gives for decoded text (0x0A is LF in CP932 and UTF-8 alike; no CP932 trail
 * byte is below 0x40).
 */
function physicalLinesOf(bytes: Uint8Array): number {
  let lf = 0;
  let at = bytes.indexOf(0x0a);
  while (at !== -1) {
    lf++;
    at = bytes.indexOf(0x0a, at + 1);
  }
  return bytes.length === 0 || bytes[bytes.length - 1] === 0x0a ? lf : lf + 1;
}

/** File rules (208, 209, 216, 213, 217, 214) and the offline row rules of a file's bytes. */
function offlineBytes(bytes: Uint8Array | null, resolved: Resolved): OfflineStage {
  const findings: Finding[] = [];
  const { options } = resolved;
  if (bytes === null) return stop(resolved, findings, '208', undefined, null);
  const name = options.fileName != null ? fileNameFinding(options.fileName) : null;
  if (name !== null) findings.push(name);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length > maxBytes) return stop(resolved, findings, '216', { n: maxBytes }, null, physicalLinesOf(bytes));
  if (bytes.length === 0) return stop(resolved, findings, '213', undefined, null);
  const decoded = decodeTsv(bytes);
  if (!decoded.ok) return stop(resolved, findings, '217', { offset: decoded.offset }, null, physicalLinesOf(bytes));
  return offlineText(decoded.text, resolved, findings, decoded.encoding);
}

function offlineText(text: string, resolved: Resolved, findings: Finding[], encoding: TsvEncoding | null): OfflineStage {
  const split = splitTsv(text);
  if (split.lines.length === 0) return stop(resolved, findings, '213', undefined, encoding, split.physicalLines);
  const maxLines = resolved.options.maxLines ?? DEFAULT_MAX_LINES;
  if (split.lines.length > maxLines) return stop(resolved, findings, '214', { n: maxLines }, encoding, split.physicalLines);
  return offlineLines(resolved, split, findings, encoding);
}

function rowResult(check: RowCheck, extra: readonly Finding[] | undefined, resolved: Resolved): RowResult {
  const findings = extra === undefined ? check.findings : [...check.findings, ...extra].sort((a, b) => a.column - b.column);
  const problems = findings.map((f) => toProblem(f, check.seq, resolved.lang, resolved.w227IsError));
  const ok = !problems.some((p) => p.level === 'error');
  const request = ok && check.parsed !== null ? toRequest(check.parsed) : null;
  return { seq: check.seq, ok, problems, findings, parsed: check.parsed, request };
}

/** Renders the stage (plus system findings) as the result in the chosen language. */
function assemble(stage: OfflineStage, system: FindingsBySeq): TsvValidation {
  const { resolved } = stage;
  const fileProblems = stage.fileFindings.map((f) => toProblem(f, 0, resolved.lang, resolved.w227IsError));
  const rows = stage.checks.map((c) => {
    const extra = [...(stage.extra.get(c.seq) ?? []), ...(system.get(c.seq) ?? [])];
    return rowResult(c, extra.length === 0 ? undefined : extra, resolved);
  });
  const problems: Problem[] = [...fileProblems];
  for (const r of rows) problems.push(...r.problems);
  const errors = problems.filter((p) => p.level === 'error').length;
  const okRows = rows.filter((r) => r.ok).length;
  return {
    ok: errors === 0, kind: resolved.kind, lang: resolved.lang, encoding: stage.encoding, lines: stage.physicalLines,
    fileProblems, fileFindings: stage.fileFindings, rows, problems,
    counts: { rows: rows.length, okRows, errorRows: rows.length - okRows, errors, warnings: problems.length - errors },
    notChecked: [...stage.notChecked].sort(),
  };
}

async function withSystem(stage: OfflineStage): Promise<TsvValidation> {
  if (stage.stopped) return assemble(stage, new Map());
  const { kind, options } = stage.resolved;
  const system = await systemFindings(stage.checks, {
    kind, institution: options.institution ?? null, lookup: options.lookup ?? null, notChecked: stage.notChecked,
  });
  return assemble(stage, system);
}

/**
 * Validates an uploaded request file: what an upload and `hakko tsv check` run (spec 02, README).
 * `bytes` null means no file was sent (208). Never throws on any input; only a rejected lookup
 * promise (database down) propagates.
 */
export async function validateTsv(bytes: Uint8Array | null, options: ValidateOptions): Promise<TsvValidation> {
  return withSystem(offlineBytes(bytes, resolve(options)));
}

/** The same for text that is already decoded (the TSV tool's paste and editor). */
export async function validateTsvText(text: string, options: ValidateOptions): Promise<TsvValidation> {
  return withSystem(offlineText(text, resolve(options), [], null));
}

/**
 * Synchronous validation without any system lookup, for the TSV tool's immediate checks on every
 * edit: rows are given as columns, SEQ = index + 1. System checks are listed in `notChecked`. More
 * rows than `maxLines` is reported as 214 without stopping: the rows are still being edited.
 */
export function validateRowsOffline(rows: readonly (readonly string[])[], options: Omit<ValidateOptions, 'lookup'>): TsvValidation {
  const lines: TsvLine[] = rows.map((columns, i) => {
    const cols = columns.length === 14 ? [...columns, ''] : columns;
    return { seq: i + 1, columns: cols, count: columns.length };
  });
  const resolved = resolve({ ...options, lookup: null });
  const maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
  const fileFindings: Finding[] = rows.length > maxLines ? [{ code: '214', column: 0, params: { n: maxLines } }] : [];
  const stage = offlineLines(resolved, { physicalLines: rows.length, lines }, fileFindings, null);
  recordUnchecked(stage.checks, { kind: resolved.kind, institution: options.institution ?? null, notChecked: stage.notChecked });
  return assemble(stage, new Map());
}
