/**
 * The certificate information file download (spec 06 `GET /api/officer/export.tsv`, spec 02 §E): the
 * officer's institution only. A read, not a state change: no audit record (spec 06 §Audit log).
 */
import { infoFileRows } from '../../db/repos/export.ts';
import type { Lang } from '../domain/errors/columns.ts';
import { jstTime, writeInfoFile } from '../domain/tsv/info-file.ts';
import { HakkoError } from '../errors.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';
import type { Services } from '../services.ts';

export interface InfoFileDownload {
  /** `<institution code>-certificates-<YYYYMMDD, JST>.tsv` (codes are `[a-z0-9-]`: safe in a header). */
  readonly fileName: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

export async function exportInfoFile(s: Services, officer: AuthenticatedOfficer, lang: Lang): Promise<InfoFileDownload> {
  if (officer.institutionId === null || officer.institution === null) throw new HakkoError('NOT_AN_OFFICER');
  const now = s.clock.now();
  const rows = await infoFileRows(s.db, officer.institutionId);
  const { ja, en } = officer.institution;
  const bytes = writeInfoFile({ rows, lang, institution: { ja, en }, now });
  const day = jstTime(now).slice(0, 10).replaceAll('/', '');
  return { fileName: `${officer.institution.code}-certificates-${day}.tsv`, bytes };
}
