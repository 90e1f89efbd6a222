/** The dotted OBJECT IDENTIFIER syntax (X.660), one rule for the configured policy arc and the CA. */

/**
 * A dotted OBJECT IDENTIFIER of at least two arcs (X.660): first arc 0–2, under 0 and 1 a second
 * arc ≤ 39, no leading zeros. The policy arc an operator configures must be one (spec 03).
 */
export function isDottedOid(v: string): boolean {
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(v)) return false;
  const [first, second] = v.split('.');
  return first === '2' || Number(second) <= 39;
}
