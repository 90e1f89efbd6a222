/**
 * The revocation TSV attached to a renewal's pickup notification (spec 01 §Renewal step 3): format C
 * of spec 02 (§The 15 columns), reason 4 superseded, CP932 with CRLF line ends (spec 02 §File
 * rules: "Files Hakko writes are CP932 with CRLF"), ready to upload as a revocation. The bytes
 * come from the one TSV writer of `api/domain/tsv`.
 */
import { encodeTsv, TSV_COLUMNS } from '../domain/tsv/codec.ts';
import { unencodableChars } from '../domain/tsv/cp932.ts';
import type { Person } from './templates/types.ts';

/** What one revocation line needs. */
export interface RevocationTsvRow {
  /** Column 1: the DN the old certificate was requested with (compared with it on upload, code 224). */
  readonly requestDn: string;
  /** Column 4: decimal serial of the certificate to revoke. */
  readonly serial: string;
  /** Columns 8–10. */
  readonly userAdmin: Person;
  /** Columns 11, 13, 14. */
  readonly user: Person;
}

/** RFC 5280 CRLReason superseded: the old certificate was replaced by its renewal. */
export const SUPERSEDED = '4';

/** The 15 columns of one format-C line (spec 02 §The 15 columns, column "revocation C"). */
export function revocationColumns(row: RevocationTsvRow): string[] {
  const cols = [
    row.requestDn, // 1 主体者DN
    '', // 2 profile: empty for revocation
    '', // 3 download method: empty
    row.serial, // 4 失効対象証明書シリアル番号
    SUPERSEDED, // 5 失効理由
    '', // 6 失効理由コメント: not needed for reason 4
    '', // 7 reserved
    row.userAdmin.name, // 8 利用管理者氏名
    row.userAdmin.affiliation ?? '', // 9 利用管理者所属
    row.userAdmin.email, // 10 利用管理者メールアドレス
    row.user.name, // 11 利用者氏名
    '', // 12 P12 file name: empty for revocation
    row.user.affiliation ?? '', // 13 利用者所属
    row.user.email, // 14 利用者メールアドレス
    '', // 15 access PIN: empty for revocation
  ];
  if (cols.length !== TSV_COLUMNS) throw new Error('format C has 15 columns');
  for (const c of cols) {
    if (/[\t\r\n]/.test(c)) throw new RangeError('a TSV value must not contain TAB or a line break (spec 02 §File rules)');
  }
  return cols;
}

/**
 * Encodes the rows as a CP932 file, every line ending in CRLF. Throws when a value has a character
 * CP932 cannot encode (the TSV validation already refuses such names, spec 02 §Value rules) rather
 * than writing `?` into a file an officer will upload.
 */
export function encodeRevocationTsv(rows: readonly RevocationTsvRow[]): Uint8Array<ArrayBuffer> {
  const table = rows.map(revocationColumns);
  const bad = unencodableChars(table.flat().join(''));
  if (bad.length > 0) throw new RangeError(`not encodable in CP932: ${bad.join(' ')}`);
  return encodeTsv(table);
}

/** `revoke-<serial>.tsv` for one certificate; `revoke-<first>-and-<n-1>-more.tsv` for several. */
export function revocationTsvFilename(serials: readonly string[]): string {
  if (serials.length === 0) throw new RangeError('no certificate to revoke');
  return serials.length === 1 ? `revoke-${serials[0]}.tsv` : `revoke-${serials[0]}-and-${serials.length - 1}-more.tsv`;
}
