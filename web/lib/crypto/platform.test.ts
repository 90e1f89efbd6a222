/**
 * Variant preselection (spec 04 §PKCS#12 contents, notes/p12-platforms.md §2) on real user agent
 * strings and the Client Hints values those browsers report.
 */
import { describe, expect, it } from 'vitest';
import { detectPlatform, type ClientHints } from './platform.ts';

type Row = readonly [name: string, ua: string, hints: ClientHints | null, expected: { variant: string; reason: string; os: string; browser: string; guide: string }];

const CHROME_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const EDGE_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';
const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const CHROME_ANDROID = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const TABLE: readonly Row[] = [
  ['Firefox on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', null, { variant: 'modern', reason: 'firefox', os: 'windows', browser: 'firefox', guide: 'firefox' }],
  ['Firefox on macOS (own NSS store)', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0', null, { variant: 'modern', reason: 'firefox', os: 'macos', browser: 'firefox', guide: 'firefox' }],
  ['Firefox on Linux', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', null, { variant: 'modern', reason: 'firefox', os: 'linux', browser: 'firefox', guide: 'firefox' }],
  ['Firefox on Android', 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0', null, { variant: 'compatible', reason: 'android', os: 'android', browser: 'firefox', guide: 'android' }],
  ['Firefox on iOS', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/126.0 Mobile/15E148 Safari/605.1.15', null, { variant: 'compatible', reason: 'apple', os: 'ios', browser: 'other', guide: 'ios' }],
  ['Chrome on Windows 11', CHROME_WIN, { platform: 'Windows', mobile: false, platformVersion: '15.0.0' }, { variant: 'modern', reason: 'windowsModern', os: 'windows', browser: 'chromium', guide: 'windows' }],
  ['Edge on Windows 10 2004 (contract 10)', EDGE_WIN, { platform: 'Windows', mobile: false, platformVersion: '10.0.0' }, { variant: 'modern', reason: 'windowsModern', os: 'windows', browser: 'chromium', guide: 'windows' }],
  ['Chrome on Windows 10 1709 (contract 5)', CHROME_WIN, { platform: 'Windows', mobile: false, platformVersion: '5.0.0' }, { variant: 'modern', reason: 'windowsModern', os: 'windows', browser: 'chromium', guide: 'windows' }],
  ['Chrome on Windows 10 1703 (contract 4)', CHROME_WIN, { platform: 'Windows', mobile: false, platformVersion: '4.0.0' }, { variant: 'compatible', reason: 'windowsOld', os: 'windows', browser: 'chromium', guide: 'windows' }],
  ['Chrome on Windows 8.1 (0.3.0)', CHROME_WIN, { platform: 'Windows', mobile: false, platformVersion: '0.3.0' }, { variant: 'compatible', reason: 'windowsOld', os: 'windows', browser: 'chromium', guide: 'windows' }],
  ['Chrome on Windows, platformVersion unreadable', CHROME_WIN, { platform: 'Windows', mobile: false }, { variant: 'compatible', reason: 'windowsUnknown', os: 'windows', browser: 'chromium', guide: 'windows' }],
  ['a Windows browser without Client Hints', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.51 Safari/537.36', null, { variant: 'compatible', reason: 'windowsUnknown', os: 'windows', browser: 'chromium', guide: 'windows' }],
  ['Chrome on macOS 15 (UA frozen at 10_15_7)', CHROME_MAC, { platform: 'macOS', mobile: false, platformVersion: '15.3.0' }, { variant: 'compatible', reason: 'apple', os: 'macos', browser: 'chromium', guide: 'macos' }],
  ['Safari on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15', null, { variant: 'compatible', reason: 'apple', os: 'macos', browser: 'safari', guide: 'macos' }],
  ['Safari on iOS 18', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1', null, { variant: 'compatible', reason: 'apple', os: 'ios', browser: 'safari', guide: 'ios' }],
  ['Safari on iPadOS 26 (frozen iPhone OS 18_6 token)', 'Mozilla/5.0 (iPad; CPU OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Mobile/15E148 Safari/604.1', null, { variant: 'compatible', reason: 'apple', os: 'ios', browser: 'safari', guide: 'ios' }],
  ['Chrome on iOS', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1', null, { variant: 'compatible', reason: 'apple', os: 'ios', browser: 'chromium', guide: 'ios' }],
  ['Chrome on Android 14 (UA says Android 10; K)', CHROME_ANDROID, { platform: 'Android', mobile: true, platformVersion: '14.0.0' }, { variant: 'compatible', reason: 'android', os: 'android', browser: 'chromium', guide: 'android' }],
  ['Android WebView without Client Hints', 'Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36', null, { variant: 'compatible', reason: 'android', os: 'android', browser: 'chromium', guide: 'android' }],
  ['Chromium on Linux', CHROME_LINUX, { platform: 'Linux', mobile: false, platformVersion: '' }, { variant: 'modern', reason: 'linux', os: 'linux', browser: 'chromium', guide: 'linux' }],
  ['headless Chromium on Linux (the e2e tests)', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36', { platform: 'Linux', mobile: false, platformVersion: '' }, { variant: 'modern', reason: 'linux', os: 'linux', browser: 'chromium', guide: 'linux' }],
  ['ChromeOS', 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', { platform: 'Chrome OS', mobile: false, platformVersion: '14541.0.0' }, { variant: 'compatible', reason: 'chromeos', os: 'chromeos', browser: 'chromium', guide: 'chromeos' }],
  ['GNOME Web (WebKit) on Linux: no Client Hints, unsure', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15', null, { variant: 'compatible', reason: 'unsure', os: 'linux', browser: 'safari', guide: 'linux' }],
  ['something unknown', 'curl/8.5.0', null, { variant: 'compatible', reason: 'unsure', os: 'unknown', browser: 'other', guide: 'generic' }],
  ['empty Client Hints platform falls back to the UA', CHROME_LINUX, { platform: '', mobile: false }, { variant: 'compatible', reason: 'unsure', os: 'linux', browser: 'chromium', guide: 'linux' }],
];

describe('detectPlatform', () => {
  it.each(TABLE)('%s', (_name, userAgent, hints, expected) => {
    expect(detectPlatform({ userAgent, hints })).toEqual(expected);
  });

  it('ok: modern is chosen only for Firefox desktop, Windows ≥ 1709 and Linux Chromium (spec 04)', () => {
    const modern = TABLE.filter(([, ua, hints]) => detectPlatform({ userAgent: ua, hints }).variant === 'modern').map((r) => r[3].reason);
    expect(new Set(modern)).toEqual(new Set(['firefox', 'windowsModern', 'linux']));
  });
});
