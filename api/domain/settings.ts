/** Operator settings kept in the database (`hakko config`, spec README): keys, defaults, validation. */

export interface SettingSpec {
  readonly default: unknown;
  readonly description: string;
  /** Parses a CLI string into the stored value; returns an error text when invalid. */
  parse(raw: string): { ok: true; value: unknown } | { ok: false; error: string };
}

const positiveInt = (min = 1, max = Number.MAX_SAFE_INTEGER) => (raw: string) => {
  const n = Number(raw);
  return /^\d+$/.test(raw) && n >= min && n <= max ? { ok: true as const, value: n } : { ok: false as const, error: `an integer from ${min} to ${max}` };
};
const bool = (raw: string) =>
  raw === 'true' || raw === 'false' ? { ok: true as const, value: raw === 'true' } : { ok: false as const, error: 'true or false' };
const text = (raw: string) => (raw.length <= 64 ? { ok: true as const, value: raw } : { ok: false as const, error: 'at most 64 characters' });
const dayList = (raw: string) => {
  const src = raw.replace(/^\[|\]$/g, '');
  const parts = src.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 365))
    return { ok: false as const, error: 'a comma-separated list of days (1-365), e.g. 30,7' };
  return { ok: true as const, value: [...new Set(parts.map(Number))].sort((a, b) => b - a) };
};

export const SETTINGS = {
  'pin.urlDays': { default: 30, description: 'PIN URL lifetime in days', parse: positiveInt(1, 365) },
  'pickup.urlDays': { default: 30, description: 'pickup URL lifetime in days', parse: positiveInt(1, 365) },
  'pin.maxAttempts': { default: 5, description: 'wrong PINs before a pickup URL locks', parse: positiveInt(1, 100) },
  'upload.maxBytes': { default: 5_242_880, description: 'upload size limit in bytes', parse: positiveInt(1, 100 * 1024 * 1024) },
  'upload.maxLines': { default: 10_000, description: 'upload line limit', parse: positiveInt(1, 1_000_000) },
  'tsv.w227IsError': { default: false, description: 'treat W227 (reason 0 without comment) as an error', parse: bool },
  'mail.subjectPrefix': { default: '[Hakko]', description: 'mail subject prefix', parse: text },
  'whois.cacheHours': { default: 24, description: 'WHOIS answer cache time in hours', parse: positiveInt(0, 24 * 365) },
  'reminder.expiryDays': { default: [30, 7], description: 'days before expiry for reminders', parse: dayList },
  'reminder.revokeOldAfterDays': { default: 14, description: 'days after a renewal pickup before the revoke-old reminder', parse: positiveInt(1, 365) },
  'enroll.urlDays': { default: 30, description: 'officer enrollment URL lifetime in days', parse: positiveInt(1, 365) },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValues = { -readonly [K in SettingKey]: (typeof SETTINGS)[K]['default'] extends readonly number[] ? number[] : (typeof SETTINGS)[K]['default'] extends boolean ? boolean : (typeof SETTINGS)[K]['default'] extends number ? number : string };

export function isSettingKey(k: string): k is SettingKey {
  return Object.hasOwn(SETTINGS, k);
}

export function defaultSettings(): SettingValues {
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(SETTINGS)) out[k] = structuredClone(spec.default);
  return out as SettingValues;
}
