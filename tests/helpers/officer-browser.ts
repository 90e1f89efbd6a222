/**
 * An officer's browser for e2e tests (spec 06 §Authentication): Chromium presenting the officer's
 * certificate as the PKCS#12 file an officer imports (Playwright `clientCertificates` with a pfx made
 * by openssl from the enrolled key and certificate), on PUBLIC_HTTPS_URL — the origin the CSRF check
 * accepts — with the demo CA's server certificate accepted (`ignoreHTTPSErrors`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { openWatchedPage, VIEWPORTS, type WatchedPage } from './browser.ts';

export interface ClientIdentity {
  readonly certPem: string;
  readonly keyPem: string;
}

const PFX_PASS = 'e2e-pfx-pass';

/** The identity as a PKCS#12 file (what the officer imports into a browser). */
export function pfxOf(id: ClientIdentity): { pfxPath: string; passphrase: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'hakko-pfx-'));
  writeFileSync(path.join(dir, 'cert.pem'), id.certPem);
  writeFileSync(path.join(dir, 'key.pem'), id.keyPem, { mode: 0o600 });
  const pfxPath = path.join(dir, 'officer.p12');
  execFileSync('openssl', ['pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-out', pfxPath, '-passout', `pass:${PFX_PASS}`], { cwd: dir });
  return { pfxPath, passphrase: PFX_PASS };
}

export type Device = keyof typeof VIEWPORTS;

/** Context options for a language and device. */
export function deviceOptions(lang: 'ja' | 'en', device: Device = 'desktop'): BrowserContextOptions {
  return {
    locale: lang === 'ja' ? 'ja-JP' : 'en-US',
    viewport: VIEWPORTS[device],
    deviceScaleFactor: device === 'phone' ? 2 : 1,
    isMobile: device === 'phone',
    hasTouch: device === 'phone',
  };
}

/** A watched page on `httpsOrigin` presenting `id` (or no certificate at all when `id` is null). */
export function officerPage(browser: Browser, httpsOrigin: string, id: ClientIdentity | null, lang: 'ja' | 'en', device: Device = 'desktop'): Promise<WatchedPage> {
  return openWatchedPage(browser, {
    ...deviceOptions(lang, device),
    ignoreHTTPSErrors: true,
    ...(id ? { clientCertificates: [{ origin: httpsOrigin, ...pfxOf(id) }] } : {}),
  });
}

/**
 * The page problems that count. With the demo CA's server certificate accepted by the test
 * (`ignoreHTTPSErrors`) Chromium still refuses to fetch a service worker script over TLS it does not
 * trust, and SvelteKit's registration reports that as an unhandled rejection ("SSL certificate error", or
 * "unknown error" when Playwright's client-certificate proxy is in the way); an officer who trusts
 * the root (README) never sees it. Everything else counts.
 */
export function realProblems(problems: readonly string[]): string[] {
  return problems.filter((p) => !/Failed to register a ServiceWorker .*(SSL certificate|unknown) error occurred when fetching the script/.test(p));
}

/** A screenshot of what the viewport shows (a modal dialog over its page), into the screenshots folder. */
export async function viewportShot(page: import('playwright-core').Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}
