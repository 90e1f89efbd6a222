/**
 * Download names of PKCS#12 files (spec 04 §Pickup page 4): column 12 (P12ダウンロードファイル名,
 * `.p12` added when missing) or else the CN reduced to letters, digits, `. _ -`, plus `.p12`; inside a
 * bulk ZIP a repeated name gets `-2`, `-3`, … before the extension. Pure.
 */
import { splitDn } from '$domain/dn.ts';
import { NOT_P12_NAME_CHAR, withP12Extension } from '$domain/p12-name.ts';

/** Used when neither column 12 nor the CN leaves a usable character. */
export const FALLBACK_P12_NAME = 'certificate.p12';

/** The CN of a request DN (the first CN attribute), or '' when there is none. */
export function cnOf(dn: string): string {
  return splitDn(dn).attrs.find((a) => a.attr === 'CN')?.value ?? '';
}

/** The download name of one request: column 12 when given, else from the CN. */
export function p12FileName(row: { readonly p12FileName: string | null; readonly dn: string }): string {
  const given = row.p12FileName?.trim();
  if (given) return withP12Extension(given.replace(NOT_P12_NAME_CHAR, '') || FALLBACK_P12_NAME);
  const reduced = cnOf(row.dn).replace(NOT_P12_NAME_CHAR, '');
  return reduced && !/^\.+$/.test(reduced) ? withP12Extension(reduced) : FALLBACK_P12_NAME;
}
