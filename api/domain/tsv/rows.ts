/**
 * Column rules of one request line — required and unused columns, value rules, the DN, the rules
 * that tie columns together, and the institution rules a single row can decide (spec 02 §The 15
 * columns, §Value rules, §Validation against the system).
 */
import { cnOuKey, parseDn, type DnParts } from '../dn.ts';
import { COL, type ColumnNumber } from '../errors/columns.ts';
import type { Finding } from '../errors/format.ts';
import { domainAllowed } from '../institution.ts';
import { isDownloadMethod, isProfileId, PROFILES, type DownloadMethod, type ProfileId } from '../profiles.ts';
import { isRevocationReason, type RevocationReason } from '../reasons.ts';
import type { TsvLine } from './codec.ts';
import { columnUse } from './layout.ts';
import type { InstitutionForRules, ParsedRow, PersonFields, TsvKind } from './types.ts';
import {
  canonicalSerial, checkDigits, checkRevocationComment, checkMail, checkP12FileName, checkPin, checkText, LIMITS, mailDomain,
  withP12Extension, type ValueProblem,
} from './values.ts';

/** The outcome of the column rules for one line. */
export interface RowCheck {
  /** The physical line (SEQ). */
  readonly seq: number;
  readonly findings: Finding[];
  /** Null when the column count is wrong (207): the columns cannot be trusted. */
  readonly parsed: ParsedRow | null;
  /** Column 14 holds a well-formed mail (the WHOIS rule needs it). */
  readonly userMailOk: boolean;
}

type Add = (column: ColumnNumber, problems: readonly ValueProblem[]) => void;
type Present = (column: ColumnNumber) => boolean;

const ALL_COLUMNS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] as const;

/** A long offending value is cut in the message. */
function shorten(value: string): string {
  return value.length > 20 ? value.slice(0, 20) + '…' : value;
}

/** 201 for an empty required column, 220 for a filled column the kind does not use (PIN included). */
function usageProblems(columns: readonly string[], kind: TsvKind, add: Add): void {
  for (const col of ALL_COLUMNS) {
    const use = columnUse(kind, col);
    const empty = columns[col - 1] === '';
    if (use === 'required' && empty) add(col, [{ code: '201' }]);
    if (use === 'empty' && !empty) add(col, [{ code: '220' }]);
  }
}

function readProfile(value: string, institution: InstitutionForRules | null, add: Add): ProfileId | null {
  const digits = checkDigits(value);
  if (digits.length > 0) {
    add(COL.profile, digits);
    return null;
  }
  const n = Number(value);
  const v = shorten(value);
  if (!isProfileId(n)) {
    add(COL.profile, [{ code: '210', params: { value: v, detail: 'profile.unknown' } }]);
    return null;
  }
  if (institution !== null && !institution.profiles.includes(n)) {
    add(COL.profile, [{ code: '210', params: { value: v, detail: 'profile.disabled' } }]);
    return null;
  }
  return n;
}

function readMethod(value: string, institution: InstitutionForRules | null, add: Add): DownloadMethod | null {
  const digits = checkDigits(value);
  if (digits.length > 0) {
    add(COL.method, digits);
    return null;
  }
  const n = Number(value);
  const v = shorten(value);
  if (!isDownloadMethod(n)) {
    add(COL.method, [{ code: '211', params: { value: v, detail: 'method.unknown' } }]);
    return null;
  }
  if (institution !== null && !institution.methods.includes(n)) {
    add(COL.method, [{ code: '211', params: { value: v, detail: 'method.disabled' } }]);
    return null;
  }
  return n;
}

function readSerial(value: string, add: Add): string | null {
  const problems = checkDigits(value, LIMITS.serial);
  if (problems.length > 0) {
    add(COL.serial, problems);
    return null;
  }
  return canonicalSerial(value);
}

function readReason(value: string, add: Add): RevocationReason | null {
  const digits = checkDigits(value);
  if (digits.length > 0) {
    add(COL.reason, digits);
    return null;
  }
  const n = Number(value);
  if (!isRevocationReason(n)) {
    add(COL.reason, [{ code: '226', params: { value: shorten(value) } }]);
    return null;
  }
  return n;
}

/** Value rules of the text columns; returns whether the user mail (14) is well-formed. */
function textProblems(columns: readonly string[], present: Present, add: Add): boolean {
  const v = (col: ColumnNumber) => columns[col - 1]!;
  for (const col of [COL.adminName, COL.adminAffiliation, COL.userName, COL.userAffiliation]) {
    if (present(col)) add(col, checkText(v(col), LIMITS.name, '203'));
  }
  if (present(COL.adminMail)) add(COL.adminMail, checkMail(v(COL.adminMail)));
  if (present(COL.p12FileName)) add(COL.p12FileName, checkP12FileName(v(COL.p12FileName)));
  if (present(COL.pin)) add(COL.pin, checkPin(v(COL.pin)));
  if (!present(COL.userMail)) return false;
  const mailProblems = checkMail(v(COL.userMail));
  add(COL.userMail, mailProblems);
  return mailProblems.length === 0;
}

/** 228: for S/MIME profiles the CN is the user mail (spec 02 §Value rules). */
function smimeProblems(dn: DnParts | null, userMail: string, add: Add): void {
  if (userMail === '') add(COL.dn, [{ code: '228', params: { detail: 'smime.noMail' } }]);
  else if (dn !== null && dn.cn !== userMail) add(COL.dn, [{ code: '228' }]);
}

/** O, L and ST must be the registered values: 307, 305, 306 (ST absent on both sides is fine). */
export function registeredValueFindings(
  dn: DnParts,
  registered: InstitutionForRules,
  attrs: readonly ('O' | 'L' | 'ST')[] = ['O', 'L', 'ST'],
): Finding[] {
  const findings: Finding[] = [];
  for (const attr of attrs) {
    if (attr === 'O' && dn.o !== registered.o) findings.push({ code: '307', column: COL.dn });
    if (attr === 'L' && dn.l !== registered.l) findings.push({ code: '305', column: COL.dn });
    if (attr === 'ST' && dn.st !== registered.st) findings.push({ code: '306', column: COL.dn });
  }
  return findings;
}

/** 301: the user mail's domain is registered (or a subdomain) and the institution's review is complete. */
export function mailDomainAllowed(mail: string, institution: InstitutionForRules): boolean {
  const domain = mailDomain(mail);
  const reviewed = !('review' in institution) || institution.review === 'complete';
  return reviewed && domain !== null && domainAllowed(domain, institution.domains);
}

/**
 * The institution rules one row decides: 301 (issuance, renewal) and 305–307 (issuance; a renewal
 * needs the old certificate first, see system-rules). Revocation and admin change have none (spec 02).
 */
function institutionRowFindings(kind: TsvKind, institution: InstitutionForRules, dn: DnParts | null, validUserMail: string | null): Finding[] {
  if (kind !== 'issue' && kind !== 'renew') return [];
  const findings: Finding[] = [];
  if (validUserMail !== null && !mailDomainAllowed(validUserMail, institution)) findings.push({ code: '301', column: COL.userMail });
  if (kind === 'issue' && dn !== null) findings.push(...registeredValueFindings(dn, institution));
  return findings;
}

function person(columns: readonly string[], present: Present, cols: readonly [ColumnNumber, ColumnNumber, ColumnNumber]): PersonFields {
  const get = (col: ColumnNumber) => (present(col) ? columns[col - 1]! : null);
  return { name: get(cols[0]), affiliation: get(cols[1]), mail: get(cols[2]) };
}

interface Typed {
  readonly dn: DnParts | null;
  readonly profile: ProfileId | null;
  readonly method: DownloadMethod | null;
  readonly serial: string | null;
  readonly reason: RevocationReason | null;
}

function parsedRow(line: TsvLine, kind: TsvKind, present: Present, typed: Typed): ParsedRow {
  const c = line.columns;
  const text = (col: ColumnNumber) => (present(col) ? c[col - 1]! : null);
  const p12 = text(COL.p12FileName);
  return {
    seq: line.seq, kind, columns: c, dnText: c[0]!, ...typed,
    cnOuKey: typed.dn === null ? null : cnOuKey(typed.dn),
    comment: text(COL.comment),
    admin: person(c, present, [COL.adminName, COL.adminAffiliation, COL.adminMail]),
    user: person(c, present, [COL.userName, COL.userAffiliation, COL.userMail]),
    p12FileName: p12 === null ? null : withP12Extension(p12),
    pin: text(COL.pin),
  };
}

/** Row rules that only need the row and (if loaded) the institution; system rules come later. */
export function checkRow(line: TsvLine, kind: TsvKind, institution: InstitutionForRules | null): RowCheck {
  if (line.count !== 15 && line.count !== 14) {
    return { seq: line.seq, findings: [{ code: '207', column: 0, params: { n: line.count } }], parsed: null, userMailOk: false };
  }
  const c = line.columns;
  const findings: Finding[] = [];
  const add: Add = (column, problems) => {
    for (const p of problems) findings.push(p.params === undefined ? { code: p.code, column } : { code: p.code, column, params: p.params });
  };
  const present: Present = (col) => c[col - 1] !== '' && columnUse(kind, col) !== 'empty';
  usageProblems(c, kind, add);
  const profile = present(COL.profile) ? readProfile(c[1]!, institution, add) : null;
  const method = present(COL.method) ? readMethod(c[2]!, institution, add) : null;
  const serial = present(COL.serial) ? readSerial(c[3]!, add) : null;
  const reason = present(COL.reason) ? readReason(c[4]!, add) : null;
  const userMailOk = textProblems(c, present, add);
  const smime = profile !== null && PROFILES[profile].family === 'smime' && (kind === 'issue' || kind === 'renew');
  const userMail = present(COL.userMail) ? c[13]! : '';
  const parsedDn = c[0] === '' ? { dn: null, problems: [] } : parseDn(c[0]!, { plusAllowedIfCnIs: smime ? userMail : null });
  add(COL.dn, parsedDn.problems);
  const dn = parsedDn.dn;
  if (smime) smimeProblems(dn, userMail, add);
  if (present(COL.pin) && method !== null && method !== 2) add(COL.pin, [{ code: '221', params: { detail: 'pin.method' } }]);
  if (columnUse(kind, COL.comment) !== 'empty') add(COL.comment, checkRevocationComment(reason, c[5]!));
  if (institution !== null) findings.push(...institutionRowFindings(kind, institution, dn, userMailOk ? userMail : null));
  findings.sort((a, b) => a.column - b.column);
  return { seq: line.seq, findings, parsed: parsedRow(line, kind, present, { dn, profile, method, serial, reason }), userMailOk };
}
