/**
 * Rules over the whole file: name, size, encoding and line limits, one download method per file,
 * duplicates inside the file, and the institution's status and approval (spec 02 §File rules,
 * §Validation against the system, §Error messages).
 */
import { COL } from '../errors/columns.ts';
import type { Finding } from '../errors/format.ts';
import type { ProblemCode } from '../errors/catalogue.ts';
import type { RowCheck } from './rows.ts';
import type { InstitutionForRules, TsvKind } from './types.ts';

/** spec 02 §File rules: defaults of `upload.maxBytes` and `upload.maxLines`. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_LINES = 10_000;

/** 209: uploads are named `.tsv` or `.txt` (any case). */
export function fileNameFinding(fileName: string): Finding | null {
  return /\.(tsv|txt)$/i.test(fileName) ? null : { code: '209', column: 0 };
}

/** 218: one download method per file (spec 01 §New issuance). */
export function mixedMethodFinding(rows: readonly RowCheck[]): Finding | null {
  const methods = new Set<number>();
  for (const r of rows) if (r.parsed?.method != null) methods.add(r.parsed.method);
  if (methods.size < 2) return null;
  return { code: '218', column: 0, params: { value: [...methods].sort().join(', ') } };
}

/**
 * 219 (issuance: the same CN+OU twice) and 231 (a serial twice, any kind): reported on every
 * occurrence after the first, naming the first line, so that valid-only mode registers the first.
 */
export function duplicateFindings(rows: readonly RowCheck[], kind: TsvKind): Map<number, Finding[]> {
  const out = new Map<number, Finding[]>();
  const firstKey = new Map<string, number>();
  const firstSerial = new Map<string, number>();
  const add = (seq: number, f: Finding) => out.set(seq, [...(out.get(seq) ?? []), f]);
  for (const { parsed } of rows) {
    if (parsed === null) continue;
    if (kind === 'issue' && parsed.cnOuKey !== null) {
      const first = firstKey.get(parsed.cnOuKey);
      if (first === undefined) firstKey.set(parsed.cnOuKey, parsed.seq);
      else add(parsed.seq, { code: '219', column: COL.dn, params: { line: first } });
    }
    if (parsed.serial !== null) {
      const first = firstSerial.get(parsed.serial);
      if (first === undefined) firstSerial.set(parsed.serial, parsed.seq);
      else add(parsed.seq, { code: '231', column: COL.serial, params: { line: first } });
    }
  }
  return out;
}

/** Issuance and renewal are refused for a suspended institution or an expired approval; revocation never is. */
export function kindNeedsActiveInstitution(kind: TsvKind): boolean {
  return kind === 'issue' || kind === 'renew';
}

/**
 * 215 (suspended) and 302 (approval expired; `approvalExpires` is the last valid day) as file-level
 * problems. Codes that cannot be decided (public profile only, no `today`) go to `notChecked`.
 */
export function institutionFileFindings(
  institution: InstitutionForRules,
  today: string | null,
  notChecked: Set<ProblemCode>,
): Finding[] {
  if (!('status' in institution)) {
    notChecked.add('215').add('302');
    return [];
  }
  const findings: Finding[] = [];
  if (institution.status === 'suspended') findings.push({ code: '215', column: 0 });
  if (institution.approvalExpires !== null) {
    if (today === null) notChecked.add('302');
    else if (today > institution.approvalExpires) findings.push({ code: '302', column: 0 });
  }
  return findings;
}
