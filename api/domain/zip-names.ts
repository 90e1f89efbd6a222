/**
 * Names of the PKCS#12 files inside a bulk ZIP (spec 04 §Pickup page 4: "inside a bulk ZIP a repeated
 * name gets -2, -3, …"). Apart from p12-name.ts so that the method-1 pickup page, which never writes a
 * ZIP, does not carry it (spec 08: its JavaScript budget). Pure.
 */

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
