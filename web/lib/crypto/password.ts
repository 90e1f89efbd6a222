/**
 * The PKCS#12 password rules (spec 04 §Pickup page 4, §PKCS#12 contents): never empty, printable
 * ASCII only (Java's keytool and several PKCS#12 libraries mishandle anything else,
 * notes/p12-platforms.md §4), at least 8 characters when the user chooses it (method 3 and
 * enrollment), entered twice; and a strength estimate to show beside the field. Pure functions.
 */

/** Minimum length of a chosen password (spec 04: "at least 8 printable ASCII characters"). */
export const MIN_PASSWORD_LENGTH = 8;
/** An upper bound so a pasted essay does not become a password nobody can type again. */
export const MAX_PASSWORD_LENGTH = 128;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** True when every character is printable ASCII (U+0020–U+007E). */
export function isPrintableAscii(value: string): boolean {
  return PRINTABLE_ASCII.test(value);
}

/** Why a chosen password cannot be used; the page shows each with its own message. */
export type PasswordProblem = 'empty' | 'tooShort' | 'tooLong' | 'notAscii' | 'mismatch';

/** Problems of a chosen password and its repetition, most important first; empty when it is fine. */
export function passwordProblems(password: string, repeated: string): PasswordProblem[] {
  if (password.length === 0) return ['empty'];
  const out: PasswordProblem[] = [];
  if (!isPrintableAscii(password)) out.push('notAscii');
  if (password.length < MIN_PASSWORD_LENGTH) out.push('tooShort');
  if (password.length > MAX_PASSWORD_LENGTH) out.push('tooLong');
  if (out.length === 0 && password !== repeated) out.push('mismatch');
  return out;
}

/** A password any PKCS#12 this app writes may carry (the access PIN always qualifies). */
export function usableP12Password(password: string): boolean {
  return password.length > 0 && password.length <= MAX_PASSWORD_LENGTH && isPrintableAscii(password);
}

/** 0 very weak · 1 weak · 2 fair · 3 good · 4 strong. */
export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface Strength {
  readonly score: StrengthScore;
  /** Rough guessing entropy in bits, after the penalties below. */
  readonly bits: number;
}

/** Passwords people pick first; any of these (ignoring case and trailing digits) is very weak. */
const COMMON = ['password', 'passw0rd', 'qwerty', 'qwertyuiop', 'asdfghjkl', 'iloveyou', 'letmein', 'welcome', 'admin', 'abc123', 'monkey', 'dragon', 'sunshine', 'baseball', 'football', 'princess', 'hakko', 'certificate', 'university', 'daigaku'];

/** Characters that continue a run (`aaaa`) or a sequence (`abcd`, `4321`) count for little. */
function effectiveLength(pw: string): number {
  let length = pw.length > 0 ? 1 : 0;
  for (let i = 1; i < pw.length; i++) {
    const step = pw.charCodeAt(i) - pw.charCodeAt(i - 1);
    const prevStep = i > 1 ? pw.charCodeAt(i - 1) - pw.charCodeAt(i - 2) : NaN;
    const predictable = step === 0 || (Math.abs(step) === 1 && (i === 1 || step === prevStep));
    length += predictable ? 0.25 : 1;
  }
  return length;
}

function alphabetSize(pw: string): number {
  let size = 0;
  if (/[a-z]/.test(pw)) size += 26;
  if (/[A-Z]/.test(pw)) size += 26;
  if (/[0-9]/.test(pw)) size += 10;
  if (/[^A-Za-z0-9]/.test(pw)) size += 33;
  return size;
}

/**
 * A deliberately simple estimate — alphabet size from the character classes used, length
 * discounted for runs and sequences, common passwords scored 0. The thresholds put the 16-character
 * access PIN (≈ 93 bits) at "strong" and an 8-letter lowercase word at "weak".
 */
export function passwordStrength(pw: string): Strength {
  if (pw.length === 0) return { score: 0, bits: 0 };
  const stem = pw.toLowerCase().replace(/[0-9!.]+$/, '');
  if (COMMON.includes(stem) || /^(.)\1*$/.test(pw)) return { score: 0, bits: 0 };
  const bits = Math.round(effectiveLength(pw) * Math.log2(alphabetSize(pw)));
  const score: StrengthScore = bits < 28 ? 0 : bits < 40 ? 1 : bits < 55 ? 2 : bits < 75 ? 3 : 4;
  return { score, bits };
}
