/** Certificate profiles and download methods (spec 02 §The 15 columns, spec 03 §End-entity profiles). */

export type ProfileId = 5 | 13 | 14 | 7 | 15 | 16;
export type ProfileFamily = 'client' | 'smime';

export interface ProfileSpec {
  readonly id: ProfileId;
  readonly family: ProfileFamily;
  /** Validity: whole months, or days when `days` is set (profile 7: 823 days). */
  readonly months?: number;
  readonly days?: number;
  readonly ja: string;
  readonly en: string;
}

export const PROFILES: Readonly<Record<ProfileId, ProfileSpec>> = {
  5: { id: 5, family: 'client', months: 48, ja: 'クライアント認証 (48か月)', en: 'Client authentication (48 months)' },
  13: { id: 13, family: 'client', months: 13, ja: 'クライアント認証 (13か月)', en: 'Client authentication (13 months)' },
  14: { id: 14, family: 'client', months: 25, ja: 'クライアント認証 (25か月)', en: 'Client authentication (25 months)' },
  7: { id: 7, family: 'smime', days: 823, ja: 'S/MIME (823日)', en: 'S/MIME (823 days)' },
  15: { id: 15, family: 'smime', months: 13, ja: 'S/MIME (13か月)', en: 'S/MIME (13 months)' },
  16: { id: 16, family: 'smime', months: 25, ja: 'S/MIME (25か月)', en: 'S/MIME (25 months)' },
};

export const ALL_PROFILE_IDS: readonly ProfileId[] = [5, 7, 13, 14, 15, 16];

export function isProfileId(n: number): n is ProfileId {
  return Object.hasOwn(PROFILES, n);
}

/** Officer and operator certificates: client authentication, 25 months (spec 03). */
export const OFFICER_VALIDITY_MONTHS = 25;

export type DownloadMethod = 1 | 2 | 3;
export const ALL_METHODS: readonly DownloadMethod[] = [1, 2, 3];
export const METHOD_NAMES: Readonly<Record<DownloadMethod, { ja: string; en: string }>> = {
  1: { ja: 'P12個別', en: 'Individual P12' },
  2: { ja: 'P12一括', en: 'Bulk P12' },
  3: { ja: 'ブラウザ個別', en: 'Browser (individual)' },
};
export function isDownloadMethod(n: number): n is DownloadMethod {
  return n === 1 || n === 2 || n === 3;
}

export type KeyAlgorithm = 'RSA-2048' | 'P-256';
export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['RSA-2048', 'P-256'];

/**
 * notAfter for a profile: notBefore plus the profile's months (calendar months, UTC, clamped to the
 * month's last day) or days.
 */
export function profileNotAfter(profile: ProfileId, notBefore: Date): Date {
  const spec = PROFILES[profile];
  if (spec.days !== undefined) return new Date(notBefore.getTime() + spec.days * 86_400_000);
  return addMonths(notBefore, spec.months ?? 0);
}

export function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/**
 * Families of the retired SHA-1 profiles (4 client authentication, 6 S/MIME): no longer accepted in
 * requests, but certificates issued with them can still be renewed within their family (spec 02 §Value
 * rules, 229).
 */
export const RETIRED_PROFILE_FAMILIES: Readonly<Record<number, ProfileFamily>> = { 4: 'client', 6: 'smime' };

/** Family of a current or retired profile id, or null for an unknown id. */
export function profileFamily(id: number): ProfileFamily | null {
  if (isProfileId(id)) return PROFILES[id].family;
  return RETIRED_PROFILE_FAMILIES[id] ?? null;
}
