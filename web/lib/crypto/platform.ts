/**
 * Which PKCS#12 variant this browser's platform imports, and which import steps to show
 * (spec 04 §PKCS#12 contents; notes/p12-platforms.md §1–2). A pure function of the user agent
 * string and the User-Agent Client Hints values, so it is tested with a table of real strings:
 *
 * - modern: Firefox on a desktop (its own NSS store); Chromium on Windows whose platformVersion
 *   major is ≥ 5 (the UniversalApiContract of Windows 10 1709); Chromium on Linux (NSS);
 * - compatible everywhere else and whenever unsure: Safari, iOS, macOS, Android, ChromeOS,
 *   Windows before 1709 or without a platformVersion, anything unknown.
 */
import type { P12Variant } from './p12.ts';

export type Os = 'windows' | 'macos' | 'ios' | 'android' | 'linux' | 'chromeos' | 'unknown';
export type BrowserFamily = 'firefox' | 'chromium' | 'safari' | 'other';

/** Why the variant was chosen; the page says it in one sentence. */
export type VariantReason = 'firefox' | 'windowsModern' | 'windowsOld' | 'windowsUnknown' | 'linux' | 'apple' | 'android' | 'chromeos' | 'unsure';

/** The import steps to show first (spec 04: Firefox, Chrome/Edge on Windows, macOS, iOS, Android, Linux). */
export type GuideId = 'firefox' | 'windows' | 'macos' | 'ios' | 'android' | 'linux' | 'chromeos' | 'generic';

/** What `navigator.userAgentData` and `getHighEntropyValues(['platformVersion'])` said (Chromium only). */
export interface ClientHints {
  readonly platform: string;
  readonly mobile?: boolean;
  /** Absent when the high-entropy value could not be read. */
  readonly platformVersion?: string;
}

export interface PlatformInput {
  readonly userAgent: string;
  /** Null when the browser has no `navigator.userAgentData` (Firefox, Safari). */
  readonly hints: ClientHints | null;
}

export interface Platform {
  readonly os: Os;
  readonly browser: BrowserFamily;
  readonly variant: P12Variant;
  readonly reason: VariantReason;
  readonly guide: GuideId;
}

function osFromHints(platform: string): Os {
  switch (platform.toLowerCase()) {
    case 'windows': return 'windows';
    case 'macos': return 'macos';
    case 'linux': return 'linux';
    case 'android': return 'android';
    case 'chrome os': case 'chromeos': case 'chromium os': return 'chromeos';
    case 'ios': return 'ios';
    default: return 'unknown';
  }
}

function osFromUserAgent(ua: string): Os {
  if (/iPhone|iPad|iPod|\bFxiOS\/|\bCriOS\/|\bEdgiOS\//.test(ua)) return 'ios';
  if (/Android/.test(ua)) return 'android';
  if (/CrOS/.test(ua)) return 'chromeos';
  if (/Windows NT/.test(ua)) return 'windows';
  // iPadOS Safari asks for the desktop site and says "Macintosh"; it cannot be told apart here,
  // which is fine: both get the compatible variant.
  if (/Macintosh|Mac OS X/.test(ua)) return 'macos';
  if (/Linux|X11/.test(ua)) return 'linux';
  return 'unknown';
}

function browserOf(ua: string, hints: ClientHints | null): BrowserFamily {
  if (/\bFirefox\//.test(ua) && !/Seamonkey/i.test(ua)) return 'firefox';
  if (hints || /\b(Chrome|Chromium|CriOS|Edg|EdgiOS)\//.test(ua)) return 'chromium';
  if (/\bSafari\//.test(ua) && /Version\//.test(ua)) return 'safari';
  return 'other';
}

/** Major version of a platformVersion such as "15.0.0"; NaN when absent or unreadable. */
function major(version: string | undefined): number {
  const m = /^(\d+)/.exec(version ?? '');
  return m ? Number(m[1]) : NaN;
}

function choose(os: Os, browser: BrowserFamily, hints: ClientHints | null): { variant: P12Variant; reason: VariantReason } {
  const desktop = os === 'windows' || os === 'macos' || os === 'linux' || os === 'chromeos';
  if (browser === 'firefox' && desktop) return { variant: 'modern', reason: 'firefox' };
  if (os === 'ios' || os === 'macos') return { variant: 'compatible', reason: 'apple' };
  if (os === 'android') return { variant: 'compatible', reason: 'android' };
  if (os === 'chromeos') return { variant: 'compatible', reason: 'chromeos' };
  if (hints && os === 'windows') {
    const m = major(hints.platformVersion);
    if (Number.isNaN(m)) return { variant: 'compatible', reason: 'windowsUnknown' };
    return m >= 5 ? { variant: 'modern', reason: 'windowsModern' } : { variant: 'compatible', reason: 'windowsOld' };
  }
  if (hints && os === 'linux') return { variant: 'modern', reason: 'linux' };
  if (os === 'windows') return { variant: 'compatible', reason: 'windowsUnknown' };
  return { variant: 'compatible', reason: 'unsure' };
}

function guideOf(os: Os, browser: BrowserFamily): GuideId {
  if (browser === 'firefox' && (os === 'windows' || os === 'macos' || os === 'linux')) return 'firefox';
  if (os === 'unknown') return 'generic';
  return os;
}

/** The platform, the variant to preselect and the guide to show for this browser. */
export function detectPlatform(input: PlatformInput): Platform {
  const hints = input.hints && input.hints.platform ? input.hints : null;
  const fromHints = hints ? osFromHints(hints.platform) : 'unknown';
  const os = fromHints !== 'unknown' ? fromHints : osFromUserAgent(input.userAgent);
  const browser = browserOf(input.userAgent, hints);
  return { os, browser, ...choose(os, browser, hints), guide: guideOf(os, browser) };
}

/** Reads the browser's own values (the page calls this; tests call `detectPlatform` directly). */
export async function readPlatformInput(nav: Navigator = navigator): Promise<PlatformInput> {
  const data = (nav as Navigator & { userAgentData?: { platform: string; mobile: boolean; getHighEntropyValues(h: string[]): Promise<{ platformVersion?: string }> } }).userAgentData;
  if (!data) return { userAgent: nav.userAgent, hints: null };
  let platformVersion: string | undefined;
  try {
    platformVersion = (await data.getHighEntropyValues(['platformVersion'])).platformVersion;
  } catch {
    platformVersion = undefined;
  }
  return { userAgent: nav.userAgent, hints: { platform: data.platform, mobile: data.mobile, platformVersion } };
}
