/**
 * Opening a file in the TSV tool (spec 07): the bytes decoded by the server's own rule (UTF-8 when
 * valid, else CP932, `decodeTsv`), then read as the certificate information file (§E, by its
 * header), a request TSV (`splitTsv`: blank lines skipped, 14-column lines completed) or a CSV.
 */
import {
  decodeTsv, DEFAULT_MAX_BYTES, readInfoFile, splitTsv, type InfoFileTable, type TsvEncoding,
} from '$domain/tsv/index.ts';
import { parseCsv } from './csv.ts';

export type FileFormat = 'tsv' | 'csv';

export type FileRead =
  | {
      readonly ok: true;
      readonly format: FileFormat;
      readonly encoding: TsvEncoding;
      /** Request rows (empty for an information file). */
      readonly rows: string[][];
      /** Blank lines left out (the server ignores them too, spec 02 §File rules). */
      readonly blankLines: number;
      /** Set when the file is the certificate information file. */
      readonly info: InfoFileTable | null;
    }
  /** `offset`: the byte where neither UTF-8 nor CP932 could go on (as 217 reports it). */
  | { readonly ok: false; readonly reason: 'encoding'; readonly offset: number }
  | { readonly ok: false; readonly reason: 'empty' | 'too-large' };

/** A file counts as CSV by its name, or when it has no TAB but commas. */
function isCsv(fileName: string, text: string): boolean {
  if (/\.csv$/i.test(fileName)) return true;
  if (/\.(tsv|txt)$/i.test(fileName)) return false;
  return !text.includes('\t') && text.includes(',');
}

const isBlank = (row: readonly string[]) => row.every((v) => v === '');

/** Reads a file's bytes; never throws. Files over 4 × the upload limit are refused (the server's is 5 MB). */
export function readRequestFile(bytes: Uint8Array, fileName: string): FileRead {
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  if (bytes.length > 4 * DEFAULT_MAX_BYTES) return { ok: false, reason: 'too-large' };
  const decoded = decodeTsv(bytes);
  if (!decoded.ok) return { ok: false, reason: 'encoding', offset: decoded.offset };
  const text = decoded.text.startsWith('\uFEFF') ? decoded.text.slice(1) : decoded.text;
  const info = readInfoFile(text);
  if (info !== null) return { ok: true, format: 'tsv', encoding: decoded.encoding, rows: [], blankLines: 0, info };
  if (isCsv(fileName, text)) {
    const records = parseCsv(text);
    const rows = records.filter((r) => !isBlank(r)).map((r) => (r.length === 14 ? [...r, ''] : r));
    return { ok: true, format: 'csv', encoding: decoded.encoding, rows, blankLines: records.length - rows.length, info: null };
  }
  const split = splitTsv(text);
  const rows = split.lines.map((l) => [...l.columns]);
  return { ok: true, format: 'tsv', encoding: decoded.encoding, rows, blankLines: split.physicalLines - rows.length, info: null };
}

/** Rows pasted from a spreadsheet: TAB-separated lines (spec 07 §Creating), blank lines left out. */
export function pastedRows(text: string): string[][] {
  return splitTsv(text.startsWith('\uFEFF') ? text.slice(1) : text).lines.map((l) => [...l.columns]);
}
