/** The institution as the rules see it (spec 01 §Setting up an institution; README `institution list --json`). */
import { isDownloadMethod, isProfileId, type DownloadMethod, type KeyAlgorithm, type ProfileId } from './profiles.ts';

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

/** Institution codes: 1–32 lower-case letters, digits and hyphens, not starting or ending with one (README decisions). */
export function isInstitutionCode(code: string): boolean {
  return /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/.test(code);
}

/** Why a profile JSON was refused: the field that is missing or wrong (named in English, as in the JSON). */
export type ProfileParseResult =
  | { readonly ok: true; readonly profile: InstitutionProfile }
  | { readonly ok: false; readonly field: string };

const isText = (v: unknown, max = 256): v is string => typeof v === 'string' && v.length <= max;
const isTextList = (v: unknown): v is string[] => Array.isArray(v) && v.length <= 100 && v.every((d) => isText(d, 253) && d !== '');

/**
 * Reads the institution profile JSON (spec 06 `GET /api/institutions/{code}/profile`, the officer's
 * allowlist download) as the TSV tool imports it: every field present with its type, profiles and
 * methods among the known ones; other fields are dropped. The inverse of `toProfile` for what it writes.
 */
export function parseInstitutionProfile(value: unknown): ProfileParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, field: '(root)' };
  const v = value as Record<string, unknown>;
  const bad = (field: string): ProfileParseResult => ({ ok: false, field });
  if (!isText(v.code) || !isInstitutionCode(v.code)) return bad('code');
  for (const field of ['ja', 'en', 'o', 'l'] as const) if (!isText(v[field]) || v[field] === '') return bad(field);
  if (v.st !== null && (!isText(v.st) || v.st === '')) return bad('st');
  if (!isTextList(v.domains) || v.domains.length === 0) return bad('domains');
  const profiles = v.profiles;
  if (!Array.isArray(profiles) || !profiles.every((p) => typeof p === 'number' && isProfileId(p))) return bad('profiles');
  const methods = v.methods;
  if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'number' && isDownloadMethod(m))) return bad('methods');
  return {
    ok: true,
    profile: {
      code: v.code, ja: v.ja as string, en: v.en as string, o: v.o as string, l: v.l as string, st: (v.st as string | null),
      domains: [...v.domains], profiles: [...(profiles as ProfileId[])], methods: [...(methods as DownloadMethod[])],
    },
  };
}

/**
 * The fields of an institution as the operator console labels them, for its VALIDATION messages
 * (api/workflows/institutions.ts). The key is the error's `field`: the same as the field's
 * `hakko institution` option, which the CLI puts in front of the message; the console marks and
 * focuses the field.
 */
export const INSTITUTION_FIELDS = {
  code: { en: 'The institution code', ja: '機関コード' },
  'name-ja': { en: 'The name (Japanese)', ja: '名称(日本語)' },
  'name-en': { en: 'The name (English)', ja: '名称(英語)' },
  o: { en: 'O (organisation)', ja: 'O(組織名)' },
  l: { en: 'L (city)', ja: 'L(市区町村)' },
  st: { en: 'ST (prefecture)', ja: 'ST(都道府県)' },
  domain: { en: 'A mail domain', ja: 'メールドメイン' },
  review: { en: 'The review status', ja: '審査状況' },
  'approval-expires': { en: 'The approval date', ja: '承認期限' },
  profiles: { en: 'The allowed profiles', ja: '使えるプロファイル' },
  methods: { en: 'The allowed pickup methods', ja: '使える取得方法' },
  'key-algorithm': { en: 'The key algorithm', ja: '鍵のアルゴリズム' },
} as const;
export type InstitutionField = keyof typeof INSTITUTION_FIELDS;
