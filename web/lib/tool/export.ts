/**
 * Export of a request file (spec 07 §Creating): CP932 with CRLF through the server's own encoder
 * (`encodeTsv`), refused while errors remain unless the user exports a draft, and never with a
 * character CP932 cannot hold (that would become `?`): those are named with their place.
 */
import { encodeTsv, joinTsv, unencodablePlaces, type TsvKind, type UnencodablePlace } from '$domain/tsv/index.ts';

export type ExportResult =
  | { readonly ok: true; readonly bytes: Uint8Array<ArrayBuffer>; readonly text: string }
  | { readonly ok: false; readonly reason: 'errors'; readonly errors: number }
  | { readonly ok: false; readonly reason: 'empty' }
  | { readonly ok: false; readonly reason: 'unencodable'; readonly places: readonly UnencodablePlace[] };

/**
 * The bytes (CP932, CRLF) and the same text for "copy as UTF-8". `errors` is the error count of the
 * latest validation (null while it runs: refused like errors, except for a draft).
 */
export function prepareExport(rows: readonly (readonly string[])[], errors: number | null, asDraft: boolean): ExportResult {
  if (rows.length === 0) return { ok: false, reason: 'empty' };
  if (!asDraft && (errors === null || errors > 0)) return { ok: false, reason: 'errors', errors: errors ?? 0 };
  const places = unencodablePlaces(rows);
  if (places.length > 0) return { ok: false, reason: 'unencodable', places };
  return { ok: true, bytes: encodeTsv(rows), text: joinTsv(rows) };
}

/**
 * The file name the officer expects: institution code, the kind as the upload form names it, the
 * local date — `sample-u-issue-20261121.tsv`; `-draft` marks a file exported with errors.
 */
export function exportFileName(code: string | null, kind: TsvKind, date: Date, asDraft: boolean): string {
  const ymd = `${date.getFullYear()}${String(date.getMonth() + 1).padStart(2, '0')}${String(date.getDate()).padStart(2, '0')}`;
  return `${code ?? 'request'}-${kind}-${ymd}${asDraft ? '-draft' : ''}.tsv`;
}

/** A download of bytes under a file name, through a temporary object URL (no network involved). */
export function downloadBytes(bytes: Uint8Array<ArrayBuffer>, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
