/**
 * Chromium for e2e tests and browser benches: Debian's /usr/bin/chromium through playwright-core
 * (a downloaded browser cannot be fetched here), fresh contexts per test, and the watchers every
 * browser flow wants: page errors and CSP reports collected, every request body the page sends
 * recorded (spec 08: no private key material may leave the browser), screenshots in one folder.
 */
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Request } from 'playwright-core';
import { recordFromTraffic } from './test-logs.ts';

export const SCREENSHOTS = 'test-results/screenshots';

/** Viewports of the design review: a desktop and a 390 px phone (spec: readable at 390 px). */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, headless. */
export async function launchChromium(): Promise<Browser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** One request the page sent, with its body as text (binary bodies as latin1). */
export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly body: string;
}

/** A context with its page and what it observed. */
export interface WatchedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors and CSP violation reports. */
  readonly problems: string[];
  /** Every request with a body that this context's pages and workers sent. */
  readonly sent: SentRequest[];
}

function recordRequest(sent: SentRequest[], request: Request): void {
  const buffer = request.postDataBuffer();
  if (buffer) sent.push({ method: request.method(), url: request.url(), body: buffer.toString('latin1') });
  recordFromTraffic(request.url(), buffer?.toString('latin1')); // the run-wide log scan's PINs and tokens
}

/** A fresh profile (no storage, no service worker) whose page errors, CSP reports and request bodies are recorded. */
export async function openWatchedPage(browser: Browser, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: VIEWPORTS.desktop, acceptDownloads: true, ...options });
  const problems: string[] = [];
  const sent: SentRequest[] = [];
  context.on('request', (request) => recordRequest(sent, request));
  // PINs the API hands to the page (PIN URL retrieval, bulk PINs), for the run-wide log scan.
  context.on('response', (response) => {
    if (/\/api\/(pin\/[^/]+\/retrieve|pickup\/[^/]+\/pins)$/.test(response.url())) response.text().then((t) => recordFromTraffic(response.url(), t), () => {});
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return { context, page, problems, sent };
}

/**
 * Private key material in a request body: PKCS#8 / PKCS#1 / EC PEM labels, a JWK private member,
 * or the DER prefix of a PKCS#8 PrivateKeyInfo (version 0 + an algorithm identifier), in base64 too.
 */
export function privateKeyMaterial(body: string): string | null {
  if (/PRIVATE KEY-----/.test(body)) return 'PEM private key';
  if (/"(d|p|q|dp|dq|qi)"\s*:\s*"[A-Za-z0-9_-]{16,}"/.test(body)) return 'JWK private member';
  if (/MII[A-Za-z0-9+/]{3}IBADANBgkqhkiG9w0BAQEFAA/.test(body)) return 'base64 PKCS#8 RSA key';
  if (/MIG[A-Za-z0-9+/]{1,2}AgEAMBMGByqGSM49AgEG/.test(body)) return 'base64 PKCS#8 EC key';
  if (body.includes('\x02\x01\x00\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01')) return 'DER PKCS#8 RSA key';
  return null;
}

/** Take a full-page screenshot named `<name>.png` in the screenshots folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}
