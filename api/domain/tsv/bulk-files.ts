/**
 * The two text files of a P12一括 (method 2) pickup, byte for byte as spec 04 fixes them and existing
 * UPKI tooling parses them: CP932, CRLF after every line (the last included), TAB-separated, no
 * quotes, a Japanese header row, then one row per user in upload order.
 *
 * - `pins.txt` (inside `pins.zip`, PIN URL page): 氏名 ⇥ メールアドレス ⇥ アクセスPIN ⇥ 主体者DN —
 *   user name (column 11), user mail (column 14), the access PIN, the request DN;
 * - `client.txt` (inside `certs.zip`, pickup page): シリアル番号 ⇥ 氏名 ⇥ メールアドレス ⇥ 主体者DN —
 *   the decimal serial, user name, user mail, DN; one row per certificate.
 *
 * Pure (encoding-japanese for CP932): the browser builds the files, tests read them back.
 * Interchange files stay byte-faithful (spec 08 §Security): no formula neutralisation. A value can
 * hold no TAB or line break (every value came through the TSV upload, spec 02), and one that did
 * would shift the columns of the tooling that reads the file, so such characters are written as a
 * space — the only change ever made to a value.
 */
import { encodeTsv } from './codec.ts';

export const PINS_FILE_NAME = 'pins.txt';
export const CLIENT_FILE_NAME = 'client.txt';
export const PINS_ZIP_NAME = 'pins.zip';
export const CERTS_ZIP_NAME = 'certs.zip';

export const PINS_HEADER = ['氏名', 'メールアドレス', 'アクセスPIN', '主体者DN'] as const;
export const CLIENT_HEADER = ['シリアル番号', '氏名', 'メールアドレス', '主体者DN'] as const;

/** One user's line of `pins.txt` (the PIN URL's `retrieve` answer, spec 04 §HTTP API). */
export interface PinsLine {
  readonly name: string | null;
  readonly mail: string;
  readonly pin: string;
  readonly dn: string;
}

/** One certificate's line of `client.txt`. */
export interface ClientLine {
  /** Decimal, as the API gives it. */
  readonly serial: string;
  readonly name: string | null;
  readonly mail: string;
  readonly dn: string;
}

const cell = (value: string | null): string => (value ?? '').replace(/[\t\r\n]/g, ' ');

/** The rows of `pins.txt` (header first) as text cells, in the order given (upload order). */
export function pinsRows(lines: readonly PinsLine[]): string[][] {
  return [[...PINS_HEADER], ...lines.map((l) => [cell(l.name), cell(l.mail), cell(l.pin), cell(l.dn)])];
}

/** The rows of `client.txt` (header first), in the order given (upload order). */
export function clientRows(lines: readonly ClientLine[]): string[][] {
  return [[...CLIENT_HEADER], ...lines.map((l) => [cell(l.serial), cell(l.name), cell(l.mail), cell(l.dn)])];
}

/** `pins.txt`: CP932, CRLF, TAB, header, one row per user. */
export function writePinsTxt(lines: readonly PinsLine[]): Uint8Array<ArrayBuffer> {
  return encodeTsv(pinsRows(lines));
}

/** `client.txt`: CP932, CRLF, TAB, header, one row per certificate. */
export function writeClientTxt(lines: readonly ClientLine[]): Uint8Array<ArrayBuffer> {
  return encodeTsv(clientRows(lines));
}
