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

