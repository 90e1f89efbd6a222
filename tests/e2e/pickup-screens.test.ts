/**
 * Screenshots of every state of the PIN, pickup and check pages for design review, each in
 * Japanese and English at desktop width and at 390 px (test-results/screenshots/pickup-*.png): the
 * state is reached once with the real server, then the language is switched with the page's own
 * 日本語 / English buttons and the viewport resized. Each shot also asserts that nothing overflows
 * sideways and that no page error or CSP violation happened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, VIEWPORTS, type WatchedPage } from '../helpers/browser.ts';
import { ja as JA } from '../../web/lib/i18n/all.ts';
import { SAMPLE_INSTITUTION } from '../helpers/officer.ts';
import { keyAndCsr } from '../helpers/pickup-client.ts';
import { runCli } from '../helpers/server.ts';
import { freshIp, pickupApi } from '../helpers/world.ts';
import {
  pageTracker, confirmSaved, createAndDownload, enterPin, expireUrl, keep, openPickup, retrievePin, startPickupBed, uploadPickups, type PickupBed,
} from '../helpers/pickup-e2e.ts';

let bed: PickupBed;
const pages = pageTracker(() => bed);

beforeAll(async () => {
  bed = await startPickupBed({ institutions: [SAMPLE_INSTITUTION] });
});

afterAll(async () => {
  for (const w of pages.watched) expect(w.problems, 'page errors or CSP reports').toEqual([]);
  await pages.closeAll();
  await bed?.dispose();
});

const page = async (opts: Parameters<typeof pages.open>[0] = {}): Promise<Page> => (await pages.open(opts)).page;

/** Every message key: none may show on screen (a text whose area was not registered shows its key). */
const MESSAGE_KEYS = Object.keys(JA).filter((k) => /^(pickup|pin|check|link|summary)\./.test(k));

/** The state on screen in both languages at both widths. */
async function shoot(p: Page, name: string): Promise<void> {
  for (const lang of ['ja', 'en'] as const) {
    const button = p.getByRole('button', { name: lang === 'ja' ? '日本語' : 'English', exact: true });
    if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
    await p.waitForFunction((l) => document.documentElement.lang === l, lang);
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      await p.setViewportSize(viewport);
      await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await screenshot(p, `${name}-${device}-${lang}`);
      const text = await p.evaluate(() => document.body.innerText);
      expect(MESSAGE_KEYS.filter((k) => text.includes(k)), `${name} ${lang}: untranslated keys on screen`).toEqual([]);
      expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name} ${device} ${lang} overflows`).toBe(true);
    }
  }
  await p.setViewportSize(VIEWPORTS.desktop);
}

async function problem(p: Page, path: string, name: string): Promise<void> {
  await p.goto(`${bed.srv.httpUrl}${path}`);
  await p.getByTestId('link-problem').waitFor();
  await shoot(p, name);
}

describe('PIN page', () => {
  it('before, revealed, used', async () => {
    const [row] = await uploadPickups(bed, SAMPLE_INSTITUTION, 1, [{ cn: 'Yamada Taro' }]);
    const p = await page();
    await p.goto(`${bed.srv.httpUrl}/pin/${row!.pin}`);
    await p.getByRole('button', { name: 'アクセスPIN を表示する' }).waitFor();
    await shoot(p, 'pin-info');
    await p.getByRole('button', { name: /アクセスPIN を表示する|Show the access PIN/ }).click();
    await p.getByTestId('pin-value').waitFor();
    await shoot(p, 'pin-revealed');
    await problem(p, `/pin/${row!.pin}`, 'pin-used');
  });
});

describe('pickup page', () => {
  it('method 1: PIN, wrong PIN, settings, working, ready, done, completed', async () => {
    const [row] = await uploadPickups(bed, SAMPLE_INSTITUTION, 1, [{ cn: 'Yamada Taro' }]);
    const pin = await retrievePin(bed, row!.pin);
    const p = await page();
    await openPickup(bed, p, row!.pickup);
    await shoot(p, 'pickup-pin');
    await p.locator('#pin').fill('WrongPin12345678');
    await p.locator('form button[type=submit]').click();
    await p.locator('#pin[aria-invalid=true]').waitFor();
    await shoot(p, 'pickup-pin-wrong');
    await enterPin(p, pin);
    await shoot(p, 'pickup-settings-method1');

    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await p.route('**/api/pickup/*/csr', async (route) => {
      await held;
      await route.continue();
    });
    const download = createAndDownload(p);
    await p.waitForFunction(() => document.querySelector('[data-stage]')?.getAttribute('data-stage') === 'working');
    await p.getByTestId('progress-status').waitFor();
    await shoot(p, 'pickup-working');
    release();
    await keep(bed, await download);
    await shoot(p, 'pickup-ready');
    await p.locator('details.others summary').click();
    await p.getByTestId('guide-windows').waitFor();
    await shoot(p, 'pickup-ready-all-guides');
    await p.unrouteAll();
    await p.reload();
    await p.getByTestId('resume').waitFor();
    await shoot(p, 'pickup-resume');
    await enterPin(p, pin);
    await createAndDownload(p);
    await confirmSaved(p);
    await shoot(p, 'pickup-done');
    await problem(p, `/pickup/${row!.pickup}`, 'pickup-completed');
  });

  it('officer enrollment: own password with problems and strength; done with the dashboard link', async () => {
    const e = await runCli(bed.srv.env, ['officer', 'enroll', '--institution', SAMPLE_INSTITUTION.code, '--name', '山田 花子', '--email', 'hanako@sample.ac.jp', '--json']);
    const { url, pin } = JSON.parse(e.stdout) as { url: string; pin: string };
    const p = await page();
    await openPickup(bed, p, url.split('/').pop()!);
    await enterPin(p, pin);
    await shoot(p, 'pickup-settings-enrollment');
    await p.locator('input[name=password-mode][value=own]').check();
    await p.locator('#pw-new').fill('hakko123');
    await p.locator('#pw-repeat').fill('hakko12');
    await p.locator('[data-testid=create]').click();
    await p.locator('#pw-repeat-error').waitFor();
    await shoot(p, 'pickup-password-problems');
    await p.locator('#pw-new').fill('Kq7m Zp3r-Xw9t');
    await p.locator('#pw-repeat').fill('Kq7m Zp3r-Xw9t');
    await shoot(p, 'pickup-password-strong');
    await createAndDownload(p, { ownPassword: 'Kq7m Zp3r-Xw9t' });
    await confirmSaved(p);
    await shoot(p, 'pickup-done-officer');
  });

  it('failures: network down after the retries, issued elsewhere', async () => {
    const rows = await uploadPickups(bed, SAMPLE_INSTITUTION, 3, [{}, {}]);
    const pin = await retrievePin(bed, rows[0]!.pin);
    const p = await page();
    await openPickup(bed, p, rows[0]!.pickup);
    await enterPin(p, pin);
    await p.route('**/api/pickup/*/csr', (route) => route.abort('internetdisconnected'));
    await p.locator('[data-testid=create]').click();
    await p.getByTestId('failure').waitFor({ timeout: 30_000 });
    await shoot(p, 'pickup-failed-network');

    const other = await retrievePin(bed, rows[1]!.pin);
    const k = await keyAndCsr();
    await pickupApi(bed.srv.httpUrl, freshIp()).csr(rows[1]!.pickup, { pin: other, csr: k.csrPem });
    const q = await page();
    await openPickup(bed, q, rows[1]!.pickup);
    await q.locator('#pin').fill(other);
    await q.locator('form button[type=submit]').click();
    await q.getByTestId('elsewhere').waitFor();
    await shoot(q, 'pickup-elsewhere');
  });

  it('link problems, no IndexedDB, unsupported browser', async () => {
    const rows = await uploadPickups(bed, SAMPLE_INSTITUTION, 1, [{}, {}, {}]);
    const p = await page();
    await problem(p, `/pickup/${'x'.repeat(43)}`, 'pickup-not-found');
    await problem(p, `/pickup/${rows[0]!.pickup}`, 'pickup-pin-not-retrieved');
    const pin = await retrievePin(bed, rows[1]!.pin);
    const api = pickupApi(bed.srv.httpUrl, freshIp());
    for (let i = 0; i < 5; i++) await api.verify(rows[1]!.pickup, `Wrong${i}abcdefghijk`);
    expect(pin).toBeTruthy();
    await problem(p, `/pickup/${rows[1]!.pickup}`, 'pickup-locked');
    await retrievePin(bed, rows[2]!.pin);
    await expireUrl(bed, rows[2]!.pickup);
    await problem(p, `/pickup/${rows[2]!.pickup}`, 'pickup-expired');

    const [fresh] = await uploadPickups(bed, SAMPLE_INSTITUTION, 1, [{}]);
    await retrievePin(bed, fresh!.pin);
    const noDb = await page();
    await noDb.context().addInitScript(() => {
      IDBFactory.prototype.open = () => {
        throw new DOMException('denied', 'InvalidStateError');
      };
    });
    await openPickup(bed, noDb, fresh!.pickup);
    await noDb.getByTestId('no-resume').waitFor();
    await shoot(noDb, 'pickup-no-resume');

    const insecure = await page();
    await insecure.context().addInitScript(() => Object.defineProperty(window, 'isSecureContext', { value: false }));
    await insecure.goto(`${bed.srv.httpUrl}/pickup/${fresh!.pickup}`);
    await insecure.getByTestId('unsupported').waitFor();
    await shoot(insecure, 'pickup-unsupported');
  });
});

describe('check page', () => {
  it('works, no certificate, opened on plain HTTP', async () => {
    const [row] = await uploadPickups(bed, SAMPLE_INSTITUTION, 1, [{ cn: 'Check User' }]);
    const pin = await retrievePin(bed, row!.pin);
    const p = await page();
    await openPickup(bed, p, row!.pickup);
    await enterPin(p, pin);
    const file = await keep(bed, await createAndDownload(p));
    const serial = new URL((await p.getByTestId('check-link').getAttribute('href'))!).searchParams.get('serial');

    // HTTPS contexts block service workers: Chromium refuses to register one from an origin whose
    // certificate it does not trust (Hakko's demo CA is not in this browser's store).
    const ok = await page({ context: { serviceWorkers: 'block', clientCertificates: [{ origin: new URL(bed.srv.httpsUrl).origin, pfxPath: file, passphrase: pin }] } });
    await ok.goto(`${bed.srv.httpsUrl}/check?serial=${serial}`);
    await ok.locator('[data-testid=check-result][data-outcome=valid]').waitFor();
    await shoot(ok, 'check-ok');
    await ok.goto(`${bed.srv.httpsUrl}/check?serial=1`);
    await ok.locator('[data-testid=check-result][data-outcome=valid]').waitFor();
    await shoot(ok, 'check-ok-other-certificate');

    const none = await page({ context: { serviceWorkers: 'block', ignoreHTTPSErrors: true } });
    await none.goto(`${bed.srv.httpsUrl}/check`);
    await none.locator('[data-testid=check-result][data-outcome=none]').waitFor();
    await shoot(none, 'check-none');
    await none.goto(`${bed.srv.httpUrl}/check?serial=${serial}`);
    await none.locator('[data-testid=check-result][data-outcome=http] a').waitFor();
    await shoot(none, 'check-http');
  });
});
