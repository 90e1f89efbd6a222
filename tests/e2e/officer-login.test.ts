/**
 * Signing in to the officer dashboard in Debian's Chromium (spec 06 §Authentication; issue 12): the
 * officer's certificate presented as a PKCS#12 → the header shows name, institution and role from
 * `/api/me`; and each refusal gets its own explanation — no certificate, the page opened over HTTP,
 * a revoked, an expired (server clock moved past notAfter), a foreign (self-signed) and a user's
 * certificate. Screenshots of each, both languages, desktop and 390 px.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { en, ja } from '../../web/lib/i18n/all.ts';
import { ensureWebBuild } from '../helpers/build-web.ts';
import { launchChromium, screenshot, type WatchedPage } from '../helpers/browser.ts';
import { FakeClock } from '../helpers/clock.ts';
import { issueCertificates } from '../helpers/issued.ts';
import { keyAndCsr } from '../helpers/pickup-client.ts';
import { addTestInstitution, enrollTestOfficer, SAMPLE_INSTITUTION, type OfficerCredentials } from '../helpers/officer.ts';
import { officerPage, realProblems, type ClientIdentity, type Device } from '../helpers/officer-browser.ts';
import { runCli, startTestServer, type TestServer } from '../helpers/server.ts';

const T = { ja, en };
let srv: TestServer;
let browser: Browser;
let clock: FakeClock;
let officer: OfficerCredentials;
let revoked: OfficerCredentials;
let user: ClientIdentity;
let foreign: ClientIdentity;
let origin: string;
const pages: WatchedPage[] = [];

/** A certificate Hakko did not issue (self-signed), with its key. */
async function selfSigned(): Promise<ClientIdentity> {
  const k = await keyAndCsr('CN=Mallory');
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=Mallory,O=Elsewhere', keys: k.keys, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000), signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } });
  return { certPem: cert.toString('pem'), keyPem: k.keyPem };
}

beforeAll(async () => {
  const webRoot = await ensureWebBuild();
  clock = new FakeClock(new Date());
  srv = await startTestServer({ webRoot, clock, env: { TRUSTED_PROXIES: '127.0.0.1' } });
  origin = new URL(srv.services.config.publicHttpsUrl).origin;
  await addTestInstitution(srv);
  officer = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code, '登録 花子', 'hanako@sample.ac.jp');
  revoked = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code, '退職 次郎', 'jiro@sample.ac.jp');
  const r = await runCli(srv.env, ['officer', 'revoke', 'jiro@sample.ac.jp']);
  expect(r.code, r.stderr).toBe(0);
  user = (await issueCertificates(srv, officer, 1))[0]!;
  foreign = await selfSigned();
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  for (const p of pages) await p.context.close();
  await browser?.close();
  await srv?.dispose();
});

async function open(id: ClientIdentity | null, lang: 'ja' | 'en', device: Device = 'desktop', url = `${origin}/officer`): Promise<WatchedPage> {
  const w = await officerPage(browser, origin, id, lang, device);
  pages.push(w);
  await w.page.goto(url);
  await w.page.locator('main h1').waitFor();
  return w;
}

describe('signed in', () => {
  for (const lang of ['ja', 'en'] as const) {
    for (const device of ['desktop', 'phone'] as const) {
      it(`the header names the officer, institution and role; the navigation marks home (${lang}, ${device})`, async () => {
        const { page, problems } = await open(officer, lang, device);
        await page.getByTestId('who').waitFor();
        const who = await page.getByTestId('who').textContent();
        expect(who).toContain('登録 花子');
        expect(who).toContain(lang === 'ja' ? SAMPLE_INSTITUTION.ja : SAMPLE_INSTITUTION.en);
        expect(who).toContain(T[lang]['dash.role.officer']);
        const nav = page.getByRole('navigation', { name: T[lang]['officer.nav.label'] });
        expect(await nav.getByRole('link', { name: T[lang]['officer.nav.home'] }).getAttribute('aria-current')).toBe('page');
        expect(await page.locator('main h1').textContent()).toBe(T[lang]['officer.title']);
        await page.getByRole('heading', { name: T[lang]['officer.home.attention.title'] }).waitFor();
        await page.locator('[aria-busy="false"]').first().waitFor();
        await screenshot(page, `officer-home-${device}-${lang}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        expect(realProblems(problems)).toEqual([]);
      });
    }
  }
});

describe('refused, each with its own explanation', () => {
  const cases = [
    ['no certificate', () => null, 'dash.login.none.title'],
    ['a revoked officer certificate', () => revoked, 'dash.login.revoked.title'],
    ['a foreign (self-signed) certificate', () => foreign, 'dash.login.foreign.title'],
    ['a user\'s certificate', () => user, 'dash.login.notOfficer.title'],
  ] as const;
  for (const [what, id, title] of cases) {
    for (const lang of ['ja', 'en'] as const) {
      it(`${what} (${lang})`, async () => {
        for (const device of ['desktop', 'phone'] as const) {
          const { page, problems } = await open(id(), lang, device);
          expect(await page.locator('main h1').textContent()).toBe(T[lang][title]);
          expect(await page.getByRole('navigation', { name: T[lang]['officer.nav.label'] }).count()).toBe(0);
          await screenshot(page, `officer-login-${title.split('.')[2]}-${device}-${lang}`);
          expect(realProblems(problems)).toEqual([]);
        }
      });
    }
  }

  it('the page opened over HTTP points to the HTTPS dashboard (ja, en)', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const { page } = await open(null, lang, 'desktop', `${srv.httpUrl}/officer`);
      expect(await page.locator('main h1').textContent()).toBe(T[lang]['dash.login.http.title']);
      await page.waitForFunction((href) => document.querySelector(`a[href="${href}"]`) !== null, `${origin}/officer`);
      await screenshot(page, `officer-login-http-desktop-${lang}`);
    }
  });

  it('no certificate: the import steps and the root certificate download are there, keyboard-reachable', async () => {
    const { page } = await open(null, 'ja');
    await page.getByText(ja['dash.login.import.summary'], { exact: true }).click();
    await page.getByText(ja['dash.login.root.summary'], { exact: true }).focus();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('link', { name: ja['dash.login.root.download'] }).getAttribute('href')).toBe('/pki/ca/root.crt');
    await screenshot(page, 'officer-login-none-open-desktop-ja');
  });

  it('an expired officer certificate (the server\'s clock past its notAfter), last because it moves the clock', async () => {
    clock.advance(26 * 31 * 86_400_000);
    for (const lang of ['ja', 'en'] as const) {
      const { page } = await open(officer, lang);
      expect(await page.locator('main h1').textContent()).toBe(T[lang]['dash.login.expired.title']);
      await screenshot(page, `officer-login-expired-desktop-${lang}`);
    }
  });
});
