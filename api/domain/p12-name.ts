/**
 * PKCS#12 file names (spec 02 §Value rules, column 12; spec 04 §Pickup page 4): the allowed
 * characters and the `.p12` extension. Apart from the TSV value rules so that the pickup page can
 * use it without loading the CP932 tables they need.
 */

/** Characters a P12 file name may contain: letters, digits, `. _ -`. */
export const P12_NAME = /^[A-Za-z0-9._-]+$/;

/** Every character a P12 file name may not contain (for reducing a CN to a file name). */
export const NOT_P12_NAME_CHAR = /[^A-Za-z0-9._-]/g;

/** `.p12` is added when missing (spec 02 §Value rules); `.P12` counts as present. */
export function withP12Extension(name: string): string {
  return name.toLowerCase().endsWith('.p12') ? name : name + '.p12';
}

/**
 * Names for the files of one ZIP, in order (spec 04 §Pickup page 4): the second `a.p12` becomes
 * `a-2.p12`, the third `a-3.p12`, skipping any name already taken (case-insensitively: ZIPs are
 * unpacked on Windows and macOS, whose file systems ignore case). The bulk page's `certs.zip` and
 * any server-side check share it.
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
