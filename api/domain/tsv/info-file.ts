/**
 * The certificate information file (spec 02 §E): one row per certificate or request of an institution,
 * 30 columns, header row, CP932 with CRLF. An interchange file — existing UPKI tooling reads columns
 * 4, 6, 12, 15, 24, 27, 28 by position — so values stay byte-faithful (no formula neutralising,
 * spec 08 §Security); only TAB, CR and LF are replaced, since they would break the format.
 */
import {
  CERTIFICATE_STATUS_TEXT, certificateStateCode, certificateStatus, publicState, REQUEST_STATE_TEXT, requestStateCode,
  type RequestState,
} from '../request-state.ts';
import { COL, COLUMN_NAMES, type ColumnNumber, type Lang, type LocalText } from '../errors/columns.ts';
import { encodeTsv } from './codec.ts';

/** The certificate a request produced (state `issued` in the store: a reservation is not one yet). */
export interface InfoFileCertificate {
  /** Decimal. */
  readonly serial: string;
  readonly der: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly issuedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly revocationReason: number | null;
  readonly revocationComment: string | null;
  /** Serial of the renewal that replaced it, set once that renewal is issued. */
  readonly renewedBy: string | null;
}

/** The facts of one request (format A or B) and its certificate, if any. */
export interface InfoFileRow {
  readonly requestId: number;
  readonly kind: 'issue' | 'renew';
  readonly state: RequestState;
  readonly dn: string;
  readonly profile: number | null;
  readonly method: number;
  readonly requestedAt: Date;
  readonly adminName: string | null;
  readonly adminAffiliation: string | null;
  readonly adminMail: string | null;
  readonly userName: string | null;
  readonly userAffiliation: string | null;
  readonly p12FileName: string | null;
  readonly userMail: string;
  /** Serial (decimal) of the certificate a renewal replaces. */
  readonly renewalOf: string | null;
  readonly uploadId: number | null;
  readonly pinRetrievedAt: Date | null;
  /** When the user confirmed saving the file (spec 04 step 5). */
  readonly pickedUpAt: Date | null;
  readonly pickupUrlExpiresAt: Date | null;
  readonly certificate: InfoFileCertificate | null;
}

export interface InfoFileInput {
  readonly rows: readonly InfoFileRow[];
  readonly lang: Lang;
  readonly institution: LocalText;
  /** For "expired" (notAfter < now): the domain has no clock. */
  readonly now: Date;
}

/** What a row derives once: its §E state code and the state's name. */
interface Derived {
  readonly code: number;
  readonly text: LocalText;
}

interface Column {
  readonly ja: string;
  readonly en: string;
  value(r: InfoFileRow, lang: Lang, d: Derived, institution: LocalText): string;
}

const KIND: Readonly<Record<InfoFileRow['kind'], LocalText>> = { issue: { ja: '発行', en: 'issue' }, renew: { ja: '更新', en: 'renew' } };

const text = (v: string | null) => v ?? '';
const num = (v: number | null) => (v === null ? '' : String(v));
const cert = <T>(r: InfoFileRow, f: (c: InfoFileCertificate) => T): T | null => (r.certificate === null ? null : f(r.certificate));

/** A request-file column's name (errors/columns.ts): §E repeats those columns under the same names. */
const named = (col: ColumnNumber): LocalText => COLUMN_NAMES[col]!;

/** The 30 columns in the spec's order; `ja` is the spec's header line, `en` Hakko's wording. */
const COLUMNS: readonly Column[] = [
  { ja: '申請ID', en: 'Request ID', value: (r) => String(r.requestId) },
  { ja: '機関名', en: 'Institution', value: (_r, lang, _d, inst) => inst[lang] },
  { ja: '処理内容', en: 'Kind', value: (r, lang) => KIND[r.kind][lang] },
  { ...named(COL.dn), value: (r) => r.dn },
  { ...named(COL.profile), value: (r) => num(r.profile) },
  { ja: '発行・更新申請-日時', en: 'Requested at', value: (r) => jstTime(r.requestedAt) },
  { ...named(COL.method), value: (r) => String(r.method) },
  { ...named(COL.adminName), value: (r) => text(r.adminName) },
  { ...named(COL.adminAffiliation), value: (r) => text(r.adminAffiliation) },
  { ...named(COL.adminMail), value: (r) => text(r.adminMail) },
  { ...named(COL.userName), value: (r) => text(r.userName) },
  { ja: '状態', en: 'State', value: (_r, _l, d) => String(d.code) },
  { ...named(COL.userAffiliation), value: (r) => text(r.userAffiliation) },
  { ...named(COL.p12FileName), value: (r) => text(r.p12FileName) },
  { ...named(COL.userMail), value: (r) => r.userMail },
  { ja: '失効日時', en: 'Revoked at', value: (r) => jstTime(cert(r, (c) => c.revokedAt)) },
  { ...named(COL.reason), value: (r) => num(cert(r, (c) => c.revocationReason)) },
  { ...named(COL.comment), value: (r) => text(cert(r, (c) => c.revocationComment)) },
  { ja: '更新元シリアル番号', en: 'Renewal of (serial number)', value: (r) => text(r.renewalOf) },
  { ja: '更新先シリアル番号', en: 'Renewed by (serial number)', value: (r) => text(cert(r, (c) => c.renewedBy)) },
  { ja: 'アップロードID', en: 'Upload ID', value: (r) => num(r.uploadId) },
  { ja: '有効期間開始', en: 'Not before', value: (r) => jstTime(cert(r, (c) => c.notBefore)) },
  { ja: '発行日時', en: 'Issued at', value: (r) => jstTime(cert(r, (c) => c.issuedAt)) },
  { ja: '発行・更新申請-シリアル番号', en: 'Serial number', value: (r) => text(cert(r, (c) => c.serial)) },
  { ja: '証明書取得日時', en: 'Picked up at', value: (r) => jstTime(r.pickedUpAt) },
  { ja: 'アクセスPIN取得日時', en: 'PIN retrieved at', value: (r) => jstTime(r.pinRetrievedAt) },
  { ja: '有効期限', en: 'Not after', value: (r) => jstTime(cert(r, (c) => c.notAfter)) },
  { ja: '証明書取得URL有効期限', en: 'Pickup URL expires at', value: (r) => jstTime(r.pickupUrlExpiresAt) },
  { ja: '証明書', en: 'Certificate', value: (r) => text(cert(r, (c) => base64(c.der))) },
  { ja: '状態名', en: 'State name', value: (_r, lang, d) => d.text[lang] },
];

/** 30 (spec 02 §E). */
export const INFO_FILE_COLUMNS = COLUMNS.length;

/** The header row in a language. */
export function infoFileHeader(lang: Lang): string[] {
  return COLUMNS.map((c) => c[lang]);
}

/**
 * A row's state: by its certificate when it has one (5–8), else by the request state (2, 4, 9;
 * spec 01 §States). `issuing` is reported as `ready`.
 */
function derive(r: InfoFileRow, now: Date): Derived {
  if (r.certificate !== null) {
    const s = certificateStatus(r.certificate, now);
    return { code: certificateStateCode(s), text: CERTIFICATE_STATUS_TEXT[s] };
  }
  return { code: requestStateCode(r.state), text: REQUEST_STATE_TEXT[publicState(r.state)] };
}

/** TAB, CR and LF cannot occur in validated values; should one slip through, it becomes a space. */
function cell(v: string): string {
  return v.replace(/[\t\r\n]/g, ' ');
}

/** The rows as strings, header first (the TSV tool's viewer shows these; `writeInfoFile` encodes them). */
export function infoFileRows(input: InfoFileInput): string[][] {
  const out: string[][] = [infoFileHeader(input.lang)];
  for (const r of input.rows) {
    const d = derive(r, input.now);
    out.push(COLUMNS.map((c) => cell(c.value(r, input.lang, d, input.institution))));
  }
  return out;
}

/**
 * The file's bytes: CP932, CRLF, header row (spec 02 §E). A character CP932 cannot encode becomes
 * `?` (the codec's rule, `encodeCp932`); validated values never hold one (spec 02 §Value rules).
 */
export function writeInfoFile(input: InfoFileInput): Uint8Array<ArrayBuffer> {
  return encodeTsv(infoFileRows(input));
}

const JST_OFFSET_MS = 9 * 3600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY/MM/DD HH:MM:SS` in Japan Standard Time (UTC+9, no DST); empty for null. */
export function jstTime(t: Date | null): string {
  if (t === null) return '';
  const j = new Date(t.getTime() + JST_OFFSET_MS);
  return `${j.getUTCFullYear()}/${pad(j.getUTCMonth() + 1)}/${pad(j.getUTCDate())} ${pad(j.getUTCHours())}:${pad(j.getUTCMinutes())}:${pad(j.getUTCSeconds())}`;
}

/** Standard base64 with padding, one line (`btoa`: Node and browsers alike; no `Buffer` in the domain). */
export function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
