/**
 * The upload result report (spec 06: SEQ, OK/NG, errors, institution, affiliation, name, mail) as a
 * CP932 TSV for spreadsheets. Cells starting with = + - @ (also full-width, also after spaces) are
 * neutralised against formula injection (spec 08 §Security) — this file is meant to be opened in a
 * spreadsheet, not re-uploaded.
 */
import { findUpload } from '../../db/repos/uploads.ts';
import { encodeTsv } from '../domain/tsv/index.ts';
import { HakkoError } from '../errors.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';
import type { Services } from '../services.ts';

const HEADER = {
  ja: ['SEQ', 'OK/NG', 'エラー内容', '機関名', '所属', '氏名', 'メールアドレス'],
  en: ['SEQ', 'OK/NG', 'Errors', 'Institution', 'Affiliation', 'Name', 'Mail'],
};

/**
 * A cell a spreadsheet would read as a formula: one starting with = + - @ or their full-width forms
 * ＝ ＋ － ＠ (spreadsheets read those as formulas too), also after leading spaces, tabs, CRs or
 * ideographic spaces (which spreadsheets skip), and one starting with a tab or CR.
 */
const FORMULA = /^([ \t\r\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/;

export function neutralise(cell: string): string {
  return FORMULA.test(cell) ? `'${cell}` : cell;
}

interface StoredRow {
  seq: number;
  ok: boolean;
  messages: string[];
  institution: { ja: string; en: string };
  affiliation: string | null;
  name: string | null;
  mail: string | null;
}

export async function uploadReport(s: Services, officer: AuthenticatedOfficer, uploadId: number): Promise<{ fileName: string; bytes: Uint8Array }> {
  const up = Number.isSafeInteger(uploadId) && officer.institutionId !== null ? await findUpload(s.db, uploadId, officer.institutionId) : null;
  if (!up) throw new HakkoError('NOT_FOUND');
  const lang = up.lang;
  const stored = up.result as { fileProblems?: { message: string }[]; rows?: StoredRow[] };
  const rows: string[][] = [HEADER[lang]];
  for (const p of stored.fileProblems ?? []) rows.push(['0', 'NG', p.message, '', '', '', '']);
  for (const r of stored.rows ?? []) {
    rows.push([String(r.seq), r.ok ? 'OK' : 'NG', r.messages.join(' / '), r.institution[lang], r.affiliation ?? '', r.name ?? '', r.mail ?? ''].map((c) => neutralise(c.replace(/[\t\r\n]/g, ' '))));
  }
  return { fileName: `upload-${up.id}-report.tsv`, bytes: encodeTsv(rows) };
}
