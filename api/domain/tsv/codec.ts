/**
 * Bytes ↔ request lines: UTF-8 when the bytes are valid UTF-8, else CP932; physical lines, 15 (or 14)
 * TAB-separated columns, no quoting; writing CP932 with CRLF (spec 02 §File rules).
 */
import { cp932Encodable, encodeCp932 } from './cp932.ts';

export type TsvEncoding = 'utf-8' | 'cp932';

export type DecodeResult =
  | { readonly ok: true; readonly text: string; readonly encoding: TsvEncoding }
  /** `offset`: 0-based byte offset where the first undecodable byte sequence starts. */
  | { readonly ok: false; readonly offset: number };

const LABELS: Readonly<Record<TsvEncoding, string>> = { 'utf-8': 'utf-8', cp932: 'shift_jis' };

function decodes(label: string, bytes: Uint8Array, stream: boolean): boolean {
  try {
    // A fresh decoder per call: a fatal decoder that threw must not carry state into the next call.
    new TextDecoder(label, { fatal: true }).decode(bytes, { stream });
    return true;
  } catch {
    return false;
  }
}

/**
 * Offset of the first bad byte sequence for one encoding: bisect for the shortest prefix that fails
 * even as a stream (so a sequence cut by the prefix end does not count), then step back to where that
 * sequence starts (at most 3 bytes: the longest multi-byte sequence is 4 bytes in UTF-8, 2 in CP932).
 */
export function firstBadOffset(bytes: Uint8Array, encoding: TsvEncoding): number | null {
  const label = LABELS[encoding];
  if (decodes(label, bytes, false)) return null;
  let end = bytes.length;
  if (!decodes(label, bytes, true)) {
    let lo = 0; // prefix(lo) decodes as a stream
    let hi = bytes.length; // prefix(hi) does not
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (decodes(label, bytes.subarray(0, mid), true)) lo = mid;
      else hi = mid;
    }
    end = hi - 1;
  }
  for (let start = end; start >= Math.max(0, end - 3); start--) {
    if (decodes(label, bytes.subarray(0, start), false)) return start;
  }
  return Math.max(0, end - 3);
}

/**
 * Decodes a request file (spec 02 §File rules): valid UTF-8 (BOM stripped) is read as UTF-8, anything
 * else as CP932. When neither works, the offset is where the encoding that got further failed — the
 * file's likely encoding, so the officer looks at the right byte.
 */
export function decodeTsv(bytes: Uint8Array): DecodeResult {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // not UTF-8: try CP932
  }
  try {
    return { ok: true, text: new TextDecoder('shift_jis', { fatal: true }).decode(bytes), encoding: 'cp932' };
  } catch {
    const utf8 = firstBadOffset(bytes, 'utf-8') ?? 0;
    const cp932 = firstBadOffset(bytes, 'cp932') ?? 0;
    return { ok: false, offset: Math.max(utf8, cp932) };
  }
}

/** One non-blank physical line split into columns. */
export interface TsvLine {
  /** 1-based physical line number, blank lines counted (the SEQ of spec 02 §Error messages). */
  readonly seq: number;
  /** The values as found (not trimmed); a 14-column line gets an empty 15th column. */
  readonly columns: readonly string[];
  /** How many columns the line really had (207 when not 14 or 15). */
  readonly count: number;
}

export interface SplitTsv {
  /** Physical lines of the file (a final line end does not start another line). */
  readonly physicalLines: number;
  /** Non-blank lines only. */
  readonly lines: readonly TsvLine[];
}

/** 15 columns per line (spec 02 §The 15 columns); 14 accepted as pre-2018 files. */
export const TSV_COLUMNS = 15;

/**
 * A line is blank when it is empty or holds nothing but TABs — the empty rows a spreadsheet leaves
 * at the end of an export (a decision: the spec says only "blank lines are ignored").
 */
function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) !== 0x09) return false;
  return true;
}

/** Splits decoded text into physical lines (CRLF or LF, final line end optional) and columns. */
export function splitTsv(text: string): SplitTsv {
  if (text === '') return { physicalLines: 0, lines: [] };
  const raw = text.split('\n');
  if (raw[raw.length - 1] === '') raw.pop();
  const lines: TsvLine[] = [];
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (isBlank(line)) continue;
    const columns = line.split('\t');
    const count = columns.length;
    if (count === TSV_COLUMNS - 1) columns.push('');
    lines.push({ seq: i + 1, columns, count });
  }
  return { physicalLines: raw.length, lines };
}

/** Joins rows with TAB and CRLF (a final CRLF included) and encodes as CP932: the files Hakko writes. */
export function encodeTsv(rows: readonly (readonly string[])[]): Uint8Array<ArrayBuffer> {
  return encodeCp932(joinTsv(rows));
}

/** The same text as UTF-8 with CRLF, for "copy as UTF-8" in the TSV tool (spec 07). */
export function joinTsv(rows: readonly (readonly string[])[]): string {
  let text = '';
  for (const row of rows) text += row.join('\t') + '\r\n';
  return text;
}

/** Where a character CP932 cannot hold sits: row and column 1-based, `offset` the 1-based character position in the value. */
export interface UnencodablePlace {
  readonly row: number;
  readonly column: number;
  readonly offset: number;
  readonly char: string;
}

/**
 * Every character of `rows` that CP932 cannot encode, with its place (spec 07 §Creating: caught
 * before export). `encodeTsv` would write `?` for them; the TSV tool refuses to export instead.
 */
export function unencodablePlaces(rows: readonly (readonly string[])[]): UnencodablePlace[] {
  const places: UnencodablePlace[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < row.length; c++) {
      const value = row[c]!;
      if (!/[^\x00-\x7f]/.test(value)) continue;
      let offset = 0;
      for (const ch of value) {
        offset++;
        if (!cp932Encodable(ch)) places.push({ row: r + 1, column: c + 1, offset, char: ch });
      }
    }
  }
  return places;
}
