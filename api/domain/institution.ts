/** The institution as the rules see it (spec 01 §Setting up an institution; README `institution list --json`). */
import type { DownloadMethod, KeyAlgorithm, ProfileId } from './profiles.ts';

export type ReviewStatus = 'complete' | 'pending';
export type InstitutionStatus = 'active' | 'suspended';

export interface Institution {
  readonly code: string;
  readonly ja: string;
  readonly en: string;
  readonly o: string;
  readonly l: string;
  readonly st: string | null;
  /** Registered mail domains; a subdomain of one matches too. */
  readonly domains: readonly string[];
  readonly review: ReviewStatus;
  /** YYYY-MM-DD (inclusive last day), or null for no expiry. */
  readonly approvalExpires: string | null;
  readonly status: InstitutionStatus;
  readonly whoisOrg: string | null;
  readonly profiles: readonly ProfileId[];
  readonly methods: readonly DownloadMethod[];
  readonly keyAlgorithm: KeyAlgorithm;
}

/** The public profile JSON the TSV tool imports (spec 06 `GET /api/institutions/{code}/profile`). */
export interface InstitutionProfile {
  readonly code: string;
  readonly ja: string;
  readonly en: string;
  readonly o: string;
  readonly l: string;
  readonly st: string | null;
  readonly domains: readonly string[];
  readonly profiles: readonly ProfileId[];
  readonly methods: readonly DownloadMethod[];
}

export function toProfile(i: Institution): InstitutionProfile {
  return { code: i.code, ja: i.ja, en: i.en, o: i.o, l: i.l, st: i.st, domains: [...i.domains], profiles: [...i.profiles], methods: [...i.methods] };
}

/** A mail domain is allowed when it equals a registered domain or is a subdomain of one (case-insensitive). */
export function domainAllowed(mailDomain: string, registered: readonly string[]): boolean {
  const d = mailDomain.toLowerCase();
  return registered.some((r) => {
    const reg = r.toLowerCase();
    return d === reg || d.endsWith('.' + reg);
  });
}
