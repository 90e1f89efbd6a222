/** Types of TSV validation: kinds, parsed rows, the system lookup port and the result (spec 02). */
import type { DnParts } from '../dn.ts';
import type { Finding, Problem } from '../errors/format.ts';
import type { Lang } from '../errors/columns.ts';
import type { ProblemCode } from '../errors/catalogue.ts';
import type { Institution, InstitutionProfile } from '../institution.ts';
import type { DownloadMethod, ProfileId } from '../profiles.ts';
import type { RevocationReason } from '../reasons.ts';
import type { TsvEncoding } from './codec.ts';

/** Formats A–D of spec 02: issuance, renewal, revocation, administrator change. */
export type TsvKind = 'issue' | 'renew' | 'revoke' | 'admin';
export const TSV_KINDS: readonly TsvKind[] = ['issue', 'renew', 'revoke', 'admin'];

/** Name, affiliation and mail of a person in a row; null where the column is empty. */
export interface PersonFields {
  readonly name: string | null;
  readonly affiliation: string | null;
  readonly mail: string | null;
}

/**
 * What a row says, as far as it could be read. Values that fail their rule are null (a profile "99"
 * gives `profile: null`); for a row without errors every value its kind requires is set — see
 * `TsvRequest` for the strictly typed form.
 */
export interface ParsedRow {
  readonly seq: number;
  readonly kind: TsvKind;
  /** The 15 values as found. */
  readonly columns: readonly string[];
  /** Column 1 as written; the new certificate's DN for issuance and renewal. */
  readonly dnText: string;
  readonly dn: DnParts | null;
  readonly cnOuKey: string | null;
  readonly profile: ProfileId | null;
  readonly method: DownloadMethod | null;
  /** Canonical decimal serial: digits without leading zeros. */
  readonly serial: string | null;
  readonly reason: RevocationReason | null;
  readonly comment: string | null;
  readonly admin: PersonFields;
  readonly user: PersonFields;
  /** With `.p12` appended when missing (spec 02 §Value rules). */
  readonly p12FileName: string | null;
  readonly pin: string | null;
}

interface RequestBase {
  readonly seq: number;
  readonly dnText: string;
  readonly dn: DnParts;
  readonly cnOuKey: string;
}
/** A person whose name, affiliation (except the user's) and mail are required. */
export interface RequiredPerson {
  readonly name: string;
  readonly affiliation: string;
  readonly mail: string;
}
export interface IssueRequest extends RequestBase {
  readonly kind: 'issue';
  readonly profile: ProfileId;
  readonly method: DownloadMethod;
  readonly admin: RequiredPerson;
  readonly user: { readonly name: string; readonly affiliation: string | null; readonly mail: string };
  readonly p12FileName: string | null;
  readonly pin: string | null;
}
export interface RenewRequest extends Omit<IssueRequest, 'kind'> {
  readonly kind: 'renew';
  /** Serial of the certificate being replaced. */
  readonly serial: string;
}
export interface RevokeRequest extends RequestBase {
  readonly kind: 'revoke';
  readonly serial: string;
  readonly reason: RevocationReason;
  readonly comment: string | null;
  readonly admin: PersonFields;
  readonly user: PersonFields;
}
export interface AdminChangeRequest extends RequestBase {
  readonly kind: 'admin';
  readonly serial: string;
  /** The new user administrator. */
  readonly admin: RequiredPerson;
}
/** An error-free row, strictly typed per kind: what the upload workflow registers. */
export type TsvRequest = IssueRequest | RenewRequest | RevokeRequest | AdminChangeRequest;

/** What the system knows about one certificate of the institution (renewal, revocation, admin change). */
export interface CertificateFacts {
  /** The DN the certificate was requested with (for S/MIME the subject holds only the CN). */
  readonly requestDn: string;
  /** Profile id, retired ones (4, 6) included. */
  readonly profile: number;
  readonly revoked: boolean;
  /** Another renewal request of this certificate is open (230). */
  readonly hasOpenRenewal: boolean;
}

/** A WHOIS answer as the server's client (with its cache) got it; parsed by `whois-parse.ts`. */
export type WhoisAnswer =
  | { readonly status: 'found'; readonly organisations: readonly string[] }
  /** No answer within 5 s (303). */
  | { readonly status: 'unreachable' }
  /** No WHOIS server configured for the domain's top-level domain: the check is off. */
  | { readonly status: 'off' };

/**
 * Batched lookups against the system, scoped to the uploading institution (spec 02 §Validation
 * against the system). Each method is called at most once per file with every key of the file
 * (whois once per distinct registered domain), so a 10,000-row upload costs a handful of queries.
 */
export interface SystemLookup {
  /** Which of these CN+OU keys (`cnOuKey`) have a certificate (any state) or an open request (212). */
  existingCnOu(keys: readonly string[]): Promise<ReadonlySet<string>>;
  /** The institution's certificates among these canonical decimal serials; absent ones are not the institution's (223). */
  certificates(serials: readonly string[]): Promise<ReadonlyMap<string, CertificateFacts>>;
  /** WHOIS registrant of a registered domain (exactly as the operator registered it); absent: not checked. */
  whois?(domain: string): Promise<WhoisAnswer>;
}

/** The institution as the server knows it, or the public profile the offline tool loaded. */
export type InstitutionForRules = Institution | InstitutionProfile;

export interface ValidateOptions {
  readonly kind: TsvKind;
  /** Language of the messages; default `ja`. */
  readonly lang?: Lang;
  /** Upload file name for 209; not checked when absent. */
  readonly fileName?: string | null;
  /** Absent in the offline tool without a profile: checks needing it are reported as not checked. */
  readonly institution?: InstitutionForRules | null;
  /** Absent in the offline tool: system checks are reported as not checked. */
  readonly lookup?: SystemLookup | null;
  /** Today as YYYY-MM-DD (JST) for 302; no clock in the domain. */
  readonly today?: string | null;
  /** `upload.maxBytes`, default 5 MiB (216). */
  readonly maxBytes?: number;
  /** `upload.maxLines`, default 10,000 non-blank lines (214). */
  readonly maxLines?: number;
  /** `tsv.w227IsError`: report W227 as an error. */
  readonly w227IsError?: boolean;
}

/** One non-blank line of the file. */
export interface RowResult {
  /** The physical line (SEQ), as in `Problem.line`. */
  readonly seq: number;
  /** No error-level problem in this row (warnings allowed). */
  readonly ok: boolean;
  readonly problems: readonly Problem[];
  /** The same problems, language-neutral (re-render with `toProblem` in another language). */
  readonly findings: readonly Finding[];
  /** Null only when the column count was wrong (207). */
  readonly parsed: ParsedRow | null;
  /** Set exactly when `ok`. */
  readonly request: TsvRequest | null;
}

export interface TsvCounts {
  readonly rows: number;
  readonly okRows: number;
  readonly errorRows: number;
  readonly errors: number;
  readonly warnings: number;
}

export interface TsvValidation {
  /** No error-level problem anywhere (file or rows); warnings alone leave it true. */
  readonly ok: boolean;
  readonly kind: TsvKind;
  readonly lang: Lang;
  /** Null when the file could not be decoded or was not sent. */
  readonly encoding: TsvEncoding | null;
  /** Physical lines of the file (README `tsv check` "lines"). */
  readonly lines: number;
  /** File- and institution-level problems (line 0, column 0). A file-level error stops every mode. */
  readonly fileProblems: readonly Problem[];
  readonly fileFindings: readonly Finding[];
  readonly rows: readonly RowResult[];
  /** Every problem, file first, then rows in line order: the `errors` array of `tsv check --json`. */
  readonly problems: readonly Problem[];
  readonly counts: TsvCounts;
  /** Codes whose check could not run (no lookup, no institution, WHOIS off, no `today`). */
  readonly notChecked: readonly ProblemCode[];
}
