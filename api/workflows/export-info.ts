/**
 * The certificate information file download (spec 06 `GET /api/officer/export.tsv`, spec 02 §E): the
 * officer's institution only, streamed — the header, then 2,000 requests at a time read by keyset —
 * so that 100,000 certificates never sit in memory. A read, not a state change: no audit record
 * (spec 06 §Audit log).
 */
import { infoFileRows } from '../../db/repos/export.ts';
import type { Lang, LocalText } from '../domain/errors/columns.ts';
import { encodeTsv } from '../domain/tsv/codec.ts';
import { infoFileHeader, infoFileRows as infoFileLines, jstTime } from '../domain/tsv/info-file.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';
import type { Services } from '../services.ts';
import { institutionOf } from './officer-scope.ts';

/** Rows per database read of a download. */
export const EXPORT_BATCH = 2000;

export interface StreamedDownload {
  /** `<institution code>-…-<YYYYMMDD, JST>.<ext>` (codes are `[a-z0-9-]`: safe in a header). */
  readonly fileName: string;
  readonly chunks: AsyncIterable<Uint8Array>;
}

/** The §E file's bytes (CP932, CRLF): the header row, then batch after batch. */
export async function* infoFileChunks(s: Services, institutionId: number, institution: LocalText, lang: Lang, now: Date): AsyncGenerator<Uint8Array> {
  yield encodeTsv([infoFileHeader(lang)]);
  for (let after = 0; ;) {
    const rows = await infoFileRows(s.db, institutionId, after, EXPORT_BATCH);
    if (rows.length === 0) return;
    yield encodeTsv(infoFileLines({ rows, lang, institution, now }).slice(1));
    if (rows.length < EXPORT_BATCH) return;
    after = rows.at(-1)!.requestId;
  }
}

/** `<code>-<what>-<YYYYMMDD in JST>.<ext>`. */
export function exportFileName(officer: AuthenticatedOfficer, what: string, ext: string, now: Date): string {
  return `${officer.institution!.code}-${what}-${jstTime(now).slice(0, 10).replaceAll('/', '')}.${ext}`;
}

export async function exportInfoFile(s: Services, officer: AuthenticatedOfficer, lang: Lang): Promise<StreamedDownload> {
  const institutionId = institutionOf(officer);
  const now = s.clock.now();
  const { ja, en } = officer.institution!;
  return { fileName: exportFileName(officer, 'certificates', 'tsv', now), chunks: infoFileChunks(s, institutionId, { ja, en }, lang, now) };
}
