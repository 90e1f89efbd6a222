/**
 * The web shell in Chromium: start page in both languages, the remembered language switch,
 * keyboard use, page titles, the officer link from /api/health, the service worker (control after
 * load + reload, offline start), CSP without violations, and screenshots for design review.
 */
import { mkdir } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { en, ja } from '../../web/lib/i18n/all.ts';
import { ensureWebBuild } from '../helpers/build-web.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const SCREENSHOTS = 'test-results/screenshots';

let browser: Browser;
let srv: TestServer;
let server: { url: string };
let HTTPS_URL = '';
const contexts: BrowserContext[] = [];
const cspViolations: string[] = [];

beforeAll(async () => {
  const build = await ensureWebBuild();
  // The real Hakko server serving the build: its CSP header, SPA fallback and /api/health.
  srv = await startTestServer({ webRoot: build });
  server = { url: srv.httpUrl };
  HTTPS_URL = srv.services.config.publicHttpsUrl;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await srv?.dispose();
});

/** A fresh browser profile (no storage, no service worker) whose console is watched for CSP reports. */
async function openPage(options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'ja-JP', ...options });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on('pageerror', (error) => cspViolations.push(`pageerror: ${error.message}`));
  return { context, page };
}

/** Load `path` and wait until the SPA has rendered into the main landmark. */
async function load(page: Page, path = '/'): Promise<void> {
  await page.goto(server.url + path);
  await page.locator('main h1').waitFor();
}

const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);

describe('start page', () => {
  it('renders in Japanese for a Japanese browser', async () => {
    const { page } = await openPage({ locale: 'ja-JP' });
    await load(page);
    await expect(page.locator('h1').textContent()).resolves.toBe(ja['start.heading']);
    expect(await htmlLang(page)).toBe('ja');
    expect(await page.title()).toBe(`${ja['app.name']} — ${ja['app.tagline']}`);
    expect(await page.getByRole('button', { name: '日本語' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('link', { name: ja['start.tool.action'] }).getAttribute('href')).toBe('/tool');
    expect(await page.getByRole('link', { name: ja['shell.rootCertificate'] }).getAttribute('href')).toBe(
      '/pki/ca/root.crt',
    );
    expect(await page.locator('footer').textContent()).toContain('0.1.0');
    // Landmarks: one banner, one main, one contentinfo.
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('contentinfo').count()).toBe(1);
  });

  it('renders in English for an English browser', async () => {
    const { page } = await openPage({ locale: 'en-GB' });
    await load(page);
    await expect(page.locator('h1').textContent()).resolves.toBe(en['start.heading']);
    expect(await htmlLang(page)).toBe('en');
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByText(en['start.pickup.warningTitle']).count()).toBe(1);
  });

  it('links the officer dashboard to the HTTPS origin that /api/health announces', async () => {
    const { page } = await openPage({ locale: 'en-US' });
    await load(page);
    const link = page.getByTestId('officer-link');
    await page.waitForFunction(
      (href) => document.querySelector('[data-testid="officer-link"]')?.getAttribute('href') === href,
      `${HTTPS_URL}/officer`,
    );
    expect(await link.getAttribute('href')).toBe(`${HTTPS_URL}/officer`);
    expect(await page.getByText(en['start.officer.https'].replace('{origin}', HTTPS_URL)).count()).toBe(1);
  });

  it('falls back to the same-origin dashboard when /api/health does not answer', async () => {
    const { page } = await openPage({ locale: 'en-US' });
    let answered = (): void => undefined;
    const healthAnswered = new Promise<void>((resolve) => (answered = resolve));
    await page.route('**/api/health', async (route) => {
      await route.fulfill({ status: 503, body: '{"ok":false}', contentType: 'application/json' });
      answered();
    });
    await load(page);
    await healthAnswered;
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(await page.getByTestId('officer-link').getAttribute('href')).toBe('/officer');
    expect(await page.getByText('localhost:8443').count()).toBe(0);
  });
});

describe('language switch', () => {
  it('switches, updates <html lang>, and is remembered across a reload', async () => {
    const { page } = await openPage({ locale: 'ja-JP' });
    await load(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await expect(page.locator('h1').textContent()).resolves.toBe(en['start.heading']);
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: '日本語' }).getAttribute('aria-pressed')).toBe('false');
    expect(await page.evaluate(() => localStorage.getItem('hakko.lang'))).toBe('en');

    await page.reload();
    await page.locator('main h1').waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe(en['start.heading']);
    expect(await htmlLang(page)).toBe('en');

    await page.getByRole('button', { name: '日本語' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    await page.reload();
    await page.locator('main h1').waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe(ja['start.heading']);
  });

  it('is a labelled group usable with the keyboard, after a working skip link', async () => {
    const { page } = await openPage({ locale: 'ja-JP' });
    await load(page);
    const group = page.getByRole('group', { name: ja['shell.language'] });
    expect(await group.getByRole('button').count()).toBe(2);

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('skip-link');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main');

    await page.getByRole('button', { name: 'English' }).focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('日本語');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
  });

  it('works when localStorage is disabled', async () => {
    const { context, page } = await openPage({ locale: 'ja-JP' });
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('storage disabled', 'SecurityError');
        },
      });
    });
    await load(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await expect(page.locator('h1').textContent()).resolves.toBe(en['start.heading']);
  });
});

describe('pages', () => {
  // [path, heading, document title when it differs]: /officer and /operator over plain HTTP explain
  // that the dashboard opens at its HTTPS address (tests/e2e/officer-login.test.ts);
  // an unknown PIN or pickup token shows its "link not found" page.
  const cases: readonly [string, string, string?][] = [
    ['/tool', en['tool.title']],
    ['/officer', en['dash.login.http.title'], en['officer.title']],
    ['/operator', en['dash.login.http.title'], en['operator.title']],
    ['/pin/abcDEF123', en['link.notFound.title'], en['pin.title']],
    ['/pickup/abcDEF123', en['link.notFound.title'], en['pickup.title']],
    ['/check', en['check.title']],
    ['/no/such/page', en['error.notFoundTitle']],
  ];

  it('every page sets its heading and document title', async () => {
    const { page } = await openPage({ locale: 'en-US' });
    for (const [path, heading, title = heading] of cases) {
      await load(page, path);
      await expect(page.locator('main h1').textContent()).resolves.toBe(heading);
      expect(await page.title()).toBe(`${title} — Hakko 発行`);
    }
  });

  it('the 404 page says so in Japanese too, and navigation back works', async () => {
    const { page } = await openPage({ locale: 'ja-JP' });
    await load(page, '/missing');
    await expect(page.locator('main h1').textContent()).resolves.toBe(ja['error.notFoundTitle']);
    await page.getByRole('link', { name: ja['placeholder.back'] }).click();
    await page.waitForURL(`${server.url}/`);
    await expect(page.locator('main h1').textContent()).resolves.toBe(ja['start.heading']);
  });

  it('sends a CSP header taken from the build, and no page breaks it', async () => {
    const { page } = await openPage();
    const response = await page.goto(server.url + '/');
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('service worker', () => {
  it('controls the page after load and reload, starts offline, and caches no API answers', async () => {
    const { context, page } = await openPage({ locale: 'en-US' });
    await load(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.locator('main h1').waitFor();

    await context.setOffline(true);
    await page.reload();
    await page.locator('main h1').waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe(en['start.heading']);
    await load(page, '/tool');
    await expect(page.locator('main h1').textContent()).resolves.toBe(en['tool.title']);
    // Offline, /api/health fails: the dashboard link falls back to the same origin.
    await load(page, '/');
    expect(await page.getByTestId('officer-link').getAttribute('href')).toBe('/officer');
    await context.setOffline(false);

    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const key of await caches.keys()) {
        const cache = await caches.open(key);
        for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
    expect(cached).toContain('/');
    expect(cached).toContain('/manifest.webmanifest');
    expect(cached.some((p) => /^\/(api|pki|dev)\//.test(p))).toBe(false);
    expect(cached.some((p) => p.startsWith('/tool') || p.startsWith('/pin/') || p.startsWith('/pickup/'))).toBe(false);
  });

  it('serves an installable manifest with PNG icons', async () => {
    const { page } = await openPage();
    const response = await page.goto(server.url + '/manifest.webmanifest');
    const manifest = (await response?.json()) as { name: string; icons: { src: string; sizes: string; purpose: string }[] };
    expect(manifest.name).toBe('Hakko 発行');
    for (const size of ['192x192', '512x512']) {
      expect(manifest.icons.some((i) => i.sizes === size && i.purpose === 'any')).toBe(true);
      expect(manifest.icons.some((i) => i.sizes === size && i.purpose === 'maskable')).toBe(true);
    }
    for (const icon of manifest.icons) {
      const r = await page.request.get(server.url + icon.src);
      expect(r.status(), icon.src).toBe(200);
    }
  });
});

describe('screenshots', () => {
  const viewports = {
    desktop: { width: 1280, height: 900 },
    phone: { width: 390, height: 844 },
  } as const;

  for (const [device, viewport] of Object.entries(viewports)) {
    for (const lang of ['ja', 'en'] as const) {
      it(`start page, ${device}, ${lang}`, async () => {
        const { page } = await openPage({
          locale: lang === 'ja' ? 'ja-JP' : 'en-US',
          viewport,
          deviceScaleFactor: device === 'phone' ? 2 : 1,
          isMobile: device === 'phone',
          hasTouch: device === 'phone',
        });
        await load(page);
        await page.waitForFunction(
          () => document.querySelector('[data-testid="officer-link"]')?.getAttribute('href')?.startsWith('https://'),
        );
        await page.screenshot({ path: `${SCREENSHOTS}/start-${device}-${lang}.png`, fullPage: true });
        // Nothing may overflow sideways (responsive down to phones).
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      });
    }
  }

  it('start page, desktop, dark colour scheme', async () => {
    const { page } = await openPage({ locale: 'ja-JP', viewport: viewports.desktop, colorScheme: 'dark' });
    await load(page);
    await page.screenshot({ path: `${SCREENSHOTS}/start-desktop-ja-dark.png`, fullPage: true });
  });

  it('keyboard focus: skip link and language switch, desktop', async () => {
    const { page } = await openPage({ locale: 'ja-JP', viewport: viewports.desktop });
    await load(page);
    const top = { x: 0, y: 0, width: viewports.desktop.width, height: 160 };
    await page.keyboard.press('Tab');
    await page.screenshot({ path: `${SCREENSHOTS}/focus-skip-link.png`, clip: top });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('English');
    await page.screenshot({ path: `${SCREENSHOTS}/focus-language-switch.png`, clip: top });
  });

  it('placeholder and 404 pages, phone', async () => {
    const { page } = await openPage({ locale: 'en-US', viewport: viewports.phone, deviceScaleFactor: 2 });
    await load(page, '/tool');
    await page.screenshot({ path: `${SCREENSHOTS}/tool-phone-en.png`, fullPage: true });
    await load(page, '/nowhere');
    await page.screenshot({ path: `${SCREENSHOTS}/404-phone-en.png`, fullPage: true });
  });
});

describe('content security policy', () => {
  it('no page in this file reported a CSP violation or a script error', () => {
    expect(cspViolations).toEqual([]);
  });
});
