/**
 * Rules for single values: digits, names and comments, mail addresses, P12 file names, access PINs
 * (spec 02 §Value rules). Each returns the problems of one value; the row rules place them in a column.
 */
import type { ProblemCode } from '../errors/catalogue.ts';
import type { ProblemParams } from '../errors/format.ts';
import { cp932Encodable } from './cp932.ts';
import { P12_NAME, withP12Extension } from '../p12-name.ts';

export interface ValueProblem {
  readonly code: ProblemCode;
  readonly params?: ProblemParams;
}

const NONE: readonly ValueProblem[] = [];

/** spec 02 §Value rules: the limits of the value rules. */
export const LIMITS = {
  name: 64,
  comment: 128,
  mail: 128,
  serial: 40,
  p12FileName: 64,
} as const;

/** Length in characters (code points), not UTF-16 units. */
export function charLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

const DIGITS = /^[0-9]+$/;

/** Profile, method, reason, serial: a non-digit (a space included) is 204 (spec 02 precedence rules). */
export function checkDigits(value: string, maxLength?: number): readonly ValueProblem[] {
  if (!DIGITS.test(value)) return [{ code: '204' }];
  if (maxLength !== undefined && value.length > maxLength) return [{ code: '202', params: { n: maxLength } }];
  return NONE;
}

/** The serial as the system keys it: decimal digits without leading zeros. */
export function canonicalSerial(digits: string): string {
  const s = digits.replace(/^0+/, '');
  return s === '' ? '0' : s;
}

function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/** Private use: the CP932 user-defined area decodes there (and so do the supplementary PUA planes). */
function isPrivateUse(cp: number): boolean {
  return (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000;
}

/** Characters a name may not hold: controls, private use, anything CP932 cannot encode. */
export function disallowedNameChars(value: string): string[] {
  let bad: Set<string> | null = null;
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x20 && cp < 0x7f) continue;
    if (isControl(cp) || isPrivateUse(cp) || !cp932Encodable(ch)) (bad ??= new Set()).add(ch);
  }
  return bad === null ? [] : [...bad];
}

/**
 * Names and affiliations (≤ 64, 203) and the revocation comment (≤ 128, 205): any character CP932
 * can encode except control characters and the user-defined area (spec 02 §Value rules).
 */
export function checkText(value: string, maxLength: number, badCharCode: '203' | '205'): readonly ValueProblem[] {
  const problems: ValueProblem[] = [];
  if (charLength(value) > maxLength) problems.push({ code: '202', params: { n: maxLength } });
  const bad = disallowedNameChars(value);
  if (bad.length > 0) problems.push({ code: badCharCode, params: { chars: bad } });
  return problems;
}

const NOT_MAIL_CHAR = /[^A-Za-z0-9._+\-@]/u;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const MAIL = new RegExp(`^[A-Za-z0-9._+-]+@(?:${LABEL}\\.)+${LABEL}$`);

/**
 * Mail addresses (columns 10, 14): ≤ 128 ASCII characters (202); a character outside letters, digits,
 * `. _ + - @` is named (203); otherwise one `@`, a local part, and a domain of at least two labels (206).
 */
export function checkMail(value: string): readonly ValueProblem[] {
  const problems: ValueProblem[] = [];
  if (value.length > LIMITS.mail) problems.push({ code: '202', params: { n: LIMITS.mail } });
  if (NOT_MAIL_CHAR.test(value)) {
    const bad = new Set<string>();
    for (const m of value.matchAll(new RegExp(NOT_MAIL_CHAR.source, 'gu'))) bad.add(m[0]);
    problems.push({ code: '203', params: { chars: [...bad] } });
  } else if (!MAIL.test(value)) problems.push({ code: '206', params: { detail: 'mail.syntax' } });
  return problems;
}

/** The domain part of a mail address (lower-cased), or null. */
export function mailDomain(mail: string): string | null {
  const at = mail.lastIndexOf('@');
  return at < 0 ? null : mail.slice(at + 1).toLowerCase();
}

/** P12 file name (column 12): ≤ 64 characters (202) of letters, digits, `. _ -` (222). */
export function checkP12FileName(value: string): readonly ValueProblem[] {
  const problems: ValueProblem[] = [];
  if (charLength(value) > LIMITS.p12FileName) problems.push({ code: '202', params: { n: LIMITS.p12FileName } });
  if (!P12_NAME.test(value)) problems.push({ code: '222' });
  return problems;
}

export { withP12Extension };

const PIN = /^[A-Za-z0-9_-]{8,32}$/;

/** Access PIN (column 15): 8–32 letters, digits, `-`, `_` (221). */
export function checkPin(value: string): readonly ValueProblem[] {
  return PIN.test(value) ? NONE : [{ code: '221', params: { detail: 'pin.format' } }];
}

/**
 * The revocation comment wherever it is given — TSV column 6 and the dashboard's revoke API (spec 02
 * §Value rules): ≤ 128 characters of the name character set (202, 205), and reason 0 without a
 * comment is W227 (a warning unless the operator made it an error). One rule for both paths.
 */
export function checkRevocationComment(reason: number | null, comment: string): readonly ValueProblem[] {
  const problems = comment === '' ? [] : [...checkText(comment, LIMITS.comment, '205')];
  if (reason === 0 && comment === '') problems.push({ code: 'W227' });
  return problems;
}
