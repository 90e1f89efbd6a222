/**
 * What the tool shows of a validation: findings per row (language-neutral, rendered in the chosen
 * language by the page), file findings, counts and the codes not checked here (spec 07 §Creating:
 * every change validated with the server's rules; those needing the server named as checked at upload).
 */
import type { InstitutionProfile } from '$domain/institution.ts';
import type { Finding, ProblemCode } from '$domain/errors/index.ts';
import { validateRowsOffline, type TsvKind } from '$domain/tsv/index.ts';

export interface ValidationSummary {
  readonly fileFindings: readonly Finding[];
  /** Index-aligned with the rows; an empty array for a row without problems. */
  readonly rowFindings: readonly (readonly Finding[])[];
  readonly errors: number;
  readonly warnings: number;
  /** Rows with at least one error. */
  readonly errorRows: number;
  readonly notChecked: readonly ProblemCode[];
  /** Of those, the codes the server checks at upload (its database, the institution's status, WHOIS) … */
  readonly atUpload: readonly ProblemCode[];
  /** … and the codes left unchecked for want of an institution profile. */
  readonly needsProfile: readonly ProblemCode[];
}

/** Codes that need the server's database or its institution record: checked at upload (spec 02 §Validation against the system). */
export const AT_UPLOAD: ReadonlySet<ProblemCode> = new Set<ProblemCode>(['212', '215', '223', '224', '225', '229', '230', '302', '303', '304']);

/**
 * True when some rule could not run for want of an institution profile (not merely because it needs
 * the server): then a row without problems is "OK, partly checked", never a plain OK (spec 07).
 */
export function partlyChecked(summary: ValidationSummary | null): boolean {
  return summary !== null && summary.needsProfile.length > 0;
}

/**
 * Runs the shared offline rules (`validateRowsOffline`, api/domain) over the rows: the same codes the
 * upload reports, without the system lookups. Pure: the worker calls it, and so do tests.
 */
export function summarise(rows: readonly (readonly string[])[], kind: TsvKind, institution: InstitutionProfile | null): ValidationSummary {
  const v = validateRowsOffline(rows, { kind, institution, lang: 'ja' });
  // With a profile, whatever is left needs the server (a renewal's O/L/ST against the old certificate too).
  const needsProfile = institution === null ? v.notChecked.filter((c) => !AT_UPLOAD.has(c)) : [];
  return {
    fileFindings: v.fileFindings,
    rowFindings: v.rows.map((r) => r.findings),
    errors: v.counts.errors,
    warnings: v.counts.warnings,
    errorRows: v.counts.errorRows,
    notChecked: v.notChecked,
    atUpload: v.notChecked.filter((c) => !needsProfile.includes(c)),
    needsProfile,
  };
}
