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

/**
 * Names for the files of one ZIP, in order: the second `a.p12` becomes `a-2.p12`, the third
 * `a-3.p12`, skipping any name already taken (case-insensitively: ZIPs are unpacked on Windows and
 * macOS, whose file systems ignore case).
 */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  const seen = new Map<string, number>();
  return names.map((name) => {
    const key = name.toLowerCase();
    let n = seen.get(key) ?? 0;
    let candidate = name;
    while (taken.has(candidate.toLowerCase())) {
      n += 1;
      candidate = withSuffix(name, n + 1);
    }
    seen.set(key, n);
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}

function withSuffix(name: string, k: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}-${k}${name.slice(dot)}` : `${name}-${k}`;
}
