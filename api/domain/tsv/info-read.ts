/**
 * Reading the certificate information file (spec 02 §E) back — the TSV tool's viewer — and turning
 * its expiring certificates into renewal rows (format B, spec 02 §The 15 columns; spec 07 §Viewing).
 */
import type { Lang } from '../errors/columns.ts';
import { infoFileHeader, INFO_FILE_COLUMNS } from './info-file.ts';

/** Column numbers (1-based, as spec 02 §E numbers them) the viewer and the renewal builder read. */
export const INFO_COL = {
  requestId: 1, kind: 3, dn: 4, profile: 5, requestedAt: 6, method: 7, adminName: 8, adminAffiliation: 9, adminMail: 10,
  userName: 11, state: 12, userAffiliation: 13, p12FileName: 14, userMail: 15, revokedAt: 16, serial: 24, notAfter: 27,
  certificate: 29, stateName: 30,
} as const;

/** An information file as read: the language of its header and its data rows (30 values each). */
export interface InfoFileTable {
  readonly lang: Lang;
  readonly rows: readonly (readonly string[])[];
}

function lines(text: string): string[] {
  const out = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * The table of an information file, recognised by its header row (Japanese or English, spec 02 §E);
 * null for any other file (a request file has no header). Rows are padded or cut to 30 values.
 */
export function readInfoFile(text: string): InfoFileTable | null {
  const all = lines(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const head = all[0]?.split('\t').join('\t');
  const lang = (['ja', 'en'] as const).find((l) => infoFileHeader(l).join('\t') === head);
  if (lang === undefined) return null;
  const rows = all.slice(1).filter((l) => l !== '').map((l) => {
    const v = l.split('\t');
    return v.length === INFO_FILE_COLUMNS ? v : Array.from({ length: INFO_FILE_COLUMNS }, (_, i) => v[i] ?? '');
  });
  return { lang, rows };
}

/** `YYYY/MM/DD HH:MM:SS` in JST (the §E time format, `jstTime`) as an instant; null when empty or malformed. */
export function parseJstTime(text: string): Date | null {
  const m = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(text);
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h - 9, mi, s));
}

/** §E state codes 5 (issued, valid) — the certificates a renewal is for before they expire. */
const VALID_STATE = '5';

/**
 * A valid certificate (state 5) whose not-after (column 27) lies at most `days` days after `now`
 * (the domain has no clock: `now` is passed in).
 */
export function isExpiring(row: readonly string[], now: Date, days: number): boolean {
  if (row[INFO_COL.state - 1] !== VALID_STATE) return false;
  const notAfter = parseJstTime(row[INFO_COL.notAfter - 1] ?? '');
  return notAfter !== null && notAfter.getTime() - now.getTime() <= days * 86_400_000;
}

/**
 * The renewal row (format B) of an information-file row: the request DN, profile, the chosen download
 * method, the old serial in column 4, the people and the P12 file name as they were. The validator
 * then checks it like any other row (a retired profile, say, is reported, not hidden).
 */
export function renewalRowFromInfo(row: readonly string[], method: string): string[] {
  const v = (col: number) => row[col - 1] ?? '';
  return [
    v(INFO_COL.dn), v(INFO_COL.profile), method, v(INFO_COL.serial), '', '', '',
    v(INFO_COL.adminName), v(INFO_COL.adminAffiliation), v(INFO_COL.adminMail), v(INFO_COL.userName),
    v(INFO_COL.p12FileName), v(INFO_COL.userAffiliation), v(INFO_COL.userMail), '',
  ];
}
