/**
 * The individual pickup in Chromium (spec 04 §PIN URL page, §Pickup page, §PKCS#12 contents), with
 * the page's own WebCrypto: methods 1 and 3, both P12 variants, RSA-2048 and P-256 institutions.
 * Every downloaded file goes through openssl, pk12util, keytool and curl mutual TLS to
 * /api/tls/whoami; "check my certificate" runs in Chromium with the file as its client
 * certificate; every request body the browser sent is scanned for private key material.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_INSTITUTION } from '../helpers/officer.ts';
import { privateKeyMaterial, type WatchedPage } from '../helpers/browser.ts';
import { checkP12, opensslAlgorithmLines } from '../helpers/p12-tools.ts';
import {
  pageTracker, certificatesOf, confirmSaved, createAndDownload, curlWithP12, EC_INSTITUTION, enterPin, keep, openPickup, retrievePin, startPickupBed, uploadPickups, type PickupBed,
} from '../helpers/pickup-e2e.ts';
import { en, ja } from '../../web/lib/i18n/all.ts';

let bed: PickupBed;
const pages = pageTracker(() => bed);

beforeAll(async () => {
  bed = await startPickupBed();
});

afterAll(async () => {
  await pages.closeAll();
  await bed?.dispose();
});

const page = pages.open;

/** The file imports with every tool, carries the expected key and name, and authenticates with curl. */
function assertP12Works(file: string, password: string, variant: 'modern' | 'compatible', cn: string, key: 'rsa' | 'ec'): void {
  const r = checkP12(readFileSync(file), password, variant === 'compatible');
  expect(r.openssl.status, r.openssl.out).toBe(0);
  const lines = opensslAlgorithmLines(r.openssl.out);
  expect(lines[0]).toBe(variant === 'modern' ? 'MAC: sha256, Iteration 2048' : 'MAC: sha1, Iteration 2048');
  expect(lines.at(-1)).toBe(variant === 'modern' ? 'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256' : 'Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048');
  expect(lines.filter((l) => l === 'Certificate bag')).toHaveLength(3);
  expect(r.openssl.out).toContain(`friendlyName: ${cn}`);
  expect(r.nss.status, r.nss.out).toBe(0);
  expect(r.nss.certs).toMatch(new RegExp(`^${cn}\\s+u,u,u$`, 'm'));
  expect(r.nss.keys).toMatch(new RegExp(`<\\s*0>\\s+${key}\\s+[0-9a-f]+\\s+${cn}`));
  expect(r.keytool.status, r.keytool.out).toBe(0);
  expect(r.keytool.out).toContain('Entry type: PrivateKeyEntry');
  expect(r.keytool.out).toContain('Certificate chain length: 3');
  expect(r.keytool.out).toContain(key === 'ec' ? '256-bit EC (secp256r1) key' : '2048-bit RSA key');
}

function assertNoKeyMaterialSent(w: WatchedPage): void {
  expect(w.sent.length).toBeGreaterThan(0);
  for (const s of w.sent) expect(privateKeyMaterial(s.body), `${s.method} ${s.url}`).toBeNull();
  expect(w.problems).toEqual([]);
}

describe('method 1 (P12個別)', () => {
  it('ok RSA-2048, modern: the PIN shown once, the pickup, a P12 that every tool imports and curl authenticates with; "check my certificate" says it works', async () => {
    const [row] = await uploadPickups(bed, SAMPLE_INSTITUTION, 1, [{ cn: 'Yamada Taro' }]);
    const w = await page();
    const p = w.page;

    // The PIN page: what it is for, then the PIN once; the link is dead afterwards.
    await p.goto(`${bed.srv.httpUrl}/pin/${row!.pin}`);
    await p.getByRole('button', { name: ja['pin.retrieve'] }).click();
    const pin = (await p.getByTestId('pin-value').textContent())!.replace(/\s+/g, '');
    expect(pin).toMatch(/^[A-Za-z2-9]{16}$/);
    expect(await p.getByTestId('pin-warning').textContent()).toContain(ja['pin.revealed.warning']);
    await p.reload();
    await p.getByTestId('link-problem').waitFor();
    expect(await p.getByTestId('link-problem').getAttribute('data-problem')).toBe('ALREADY_USED');

    // The pickup: modern preselected on Linux Chromium, said in one sentence.
    await openPickup(bed, p, row!.pickup);
    expect(await p.getByTestId('summary-dn').textContent()).toBe(row!.dn);
    await enterPin(p, pin);
    expect(await p.locator('input[name=variant][value=modern]').isChecked()).toBe(true);
    expect(await p.getByTestId('variant-reason').textContent()).toBe(ja['pickup.variant.reason.linux']);
    expect(await p.locator('input[name=password-mode]').count()).toBe(0); // method 1: the password is the PIN
    const download = await createAndDownload(p);
    expect(download.suggestedFilename()).toBe('YamadaTaro.p12');
    const file = await keep(bed, download);
    assertP12Works(file, pin, 'modern', 'Yamada Taro', 'rsa');

    const [cert] = await certificatesOf(bed, row!.dn);
    expect(await p.getByTestId('download-started').textContent()).toContain(cert!.serial);
    const who = await curlWithP12(bed, file, pin, '/api/tls/whoami');
    expect(who.status, who.body).toBe(200);
    expect(JSON.parse(who.body)).toMatchObject({ serial: cert!.serial, issuedByHakko: true, state: 'valid' });

    // "Check my certificate" lives on PUBLIC_HTTPS_URL; the plain-HTTP page links there.
    const checkHref = await p.getByTestId('check-link').getAttribute('href');
    expect(checkHref).toBe(`${bed.srv.services.config.publicHttpsUrl}/check?serial=${cert!.serial}`);
    const withCert = await page({ context: { clientCertificates: [{ origin: new URL(bed.srv.httpsUrl).origin, pfxPath: file, passphrase: pin }] } });
    await withCert.page.goto(checkHref!.replace(bed.srv.services.config.publicHttpsUrl, bed.srv.httpsUrl));
    await withCert.page.locator('[data-testid=check-result][data-outcome=valid]').waitFor();
    expect(await withCert.page.getByTestId('check-result').textContent()).toContain(ja['check.ok.same']);

    await confirmSaved(p);
    await p.reload();
    await p.getByTestId('link-problem').waitFor();
    expect(await p.getByTestId('link-problem').getAttribute('data-problem')).toBe('COMPLETED');
    assertNoKeyMaterialSent(w);
  });

  it('ok the key, CSR and encryption made while the PIN is typed are neither stored nor sent before the click; a reload then starts over and issues once', async () => {
    const [row] = await uploadPickups(bed, SAMPLE_INSTITUTION, 1, [{ cn: 'Kato Jiro' }]);
    const pin = await retrievePin(bed, row!.pin);
    const w = await page();
    const p = w.page;
    const storedRows = () =>
      p.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open('hakko-pickup');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const count = open.result.transaction('rows').objectStore('rows').count();
              count.onsuccess = () => (open.result.close(), resolve(count.result));
            };
          }),
      );
    const csrRequests = () => w.sent.filter((r) => r.url.endsWith('/csr')).length;
    for (let visit = 0; visit < 2; visit++) {
      if (visit === 0) await openPickup(bed, p, row!.pickup);
      else await p.reload();
      await enterPin(p, pin);
      // The work ahead is done (its User Timing mark is set) — and nothing of it left the page.
      await p.waitForFunction(() => performance.getEntriesByName('hakko:shrouded').length > 0);
      expect(await storedRows()).toBe(0);
      expect(csrRequests()).toBe(0);
      expect(await certificatesOf(bed, row!.dn)).toEqual([]);
    }
    const file = await keep(bed, await createAndDownload(p));
    assertP12Works(file, pin, 'modern', 'Kato Jiro', 'rsa');
    expect(csrRequests()).toBe(1);
    expect(await storedRows()).toBe(1);
    const certs = await certificatesOf(bed, row!.dn);
    expect(certs).toHaveLength(1);
    expect((await curlWithP12(bed, file, pin, '/api/tls/whoami')).status).toBe(200);
    await confirmSaved(p);
    expect(await storedRows()).toBe(0);
    assertNoKeyMaterialSent(w);
  });

  it('ok RSA-2048, compatible chosen by hand: 3DES key, SHA-1 MAC; imports everywhere; file name from column 12', async () => {
    const [row] = await uploadPickups(bed, SAMPLE_INSTITUTION, 1, [{ cn: 'Suzuki Ichiro', p12FileName: 'suzuki-2026' }]);
    const pin = await retrievePin(bed, row!.pin);
    const w = await page({ lang: 'en' });
    await openPickup(bed, w.page, row!.pickup);
    await enterPin(w.page, pin);
    const download = await createAndDownload(w.page, { variant: 'compatible' });
    expect(download.suggestedFilename()).toBe('suzuki-2026.p12');
    const file = await keep(bed, download);
    assertP12Works(file, pin, 'compatible', 'Suzuki Ichiro', 'rsa');
    expect((await curlWithP12(bed, file, pin, '/api/tls/whoami')).status).toBe(200);
    expect(await w.page.getByTestId('save-other').textContent()).toContain(en['pickup.variant.modern']);
    await confirmSaved(w.page);
    assertNoKeyMaterialSent(w);
  });
});

describe('keyboard and screen readers', () => {
  it('ok method 1 with the keyboard only: focus moves to each new step, progress and results are live regions', async () => {
    const [row] = await uploadPickups(bed, SAMPLE_INSTITUTION, 1, [{}]);
    const pin = await retrievePin(bed, row!.pin);
    const w = await page();
    const p = w.page;
    await openPickup(bed, p, row!.pickup);
    const focused = () => p.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('data-testid') || document.activeElement?.tagName);
    await p.locator('#pin').focus();
    await p.keyboard.type(pin.slice(0, 8) + ' ' + pin.slice(8)); // a space, as when copied from a grouped PIN
    await p.keyboard.press('Enter');
    await p.locator('#prepare-heading').waitFor();
    expect(await focused()).toBe('prepare-heading');
    expect(await p.locator('#pin-error').count()).toBe(0);
    // Tab from the heading through the format radios to the create button, then Enter.
    let steps = 0;
    while ((await focused()) !== 'create' && steps++ < 10) await p.keyboard.press('Tab');
    const download = p.waitForEvent('download');
    await p.keyboard.press('Enter');
    await download;
    await p.locator('#ready-heading').waitFor();
    expect(await focused()).toBe('ready-heading');
    expect(await p.getByTestId('download-started').getAttribute('role')).toBe('status');
    await p.getByTestId('saved-check').focus();
    await p.keyboard.press('Enter'); // a checkbox is not ticked by Enter: the form says what is missing
    expect(await p.locator('#saved-error').getAttribute('role')).toBe('alert');
    await p.keyboard.press('Space');
    await p.getByTestId('confirm').focus();
    await p.keyboard.press('Enter');
    await p.locator('#done-heading').waitFor();
    expect(await focused()).toBe('done-heading');
    assertNoKeyMaterialSent(w);
  });
});

describe('method 3 (ブラウザ個別), P-256 institution', () => {
  it('ok own password, modern, then the other format too: both files import and authenticate', async () => {
    const [row] = await uploadPickups(bed, EC_INSTITUTION, 3, [{ cn: 'Kato Yuki' }]);
    const pin = await retrievePin(bed, row!.pin);
    const w = await page();
    await openPickup(bed, w.page, row!.pickup);
    await enterPin(w.page, pin);
    expect(await w.page.locator('input[name=password-mode][value=pin]').isChecked()).toBe(true);

    // The password rules are checked before anything is made.
    await w.page.locator('input[name=password-mode][value=own]').check();
    await w.page.locator('#pw-new').fill('パスワード');
    await w.page.locator('#pw-repeat').fill('x');
    await w.page.locator('[data-testid=create]').click();
    expect(await w.page.locator('#pw-new-error').textContent()).toContain(ja['pickup.password.notAscii']);
    expect(await w.page.locator('#pw-new').getAttribute('aria-invalid')).toBe('true');
    expect(await certificatesOf(bed, row!.dn)).toEqual([]);

    const password = 'Kato#2026 summer';
    const download = await createAndDownload(w.page, { ownPassword: password, variant: 'modern' });
    const file = await keep(bed, download);
    assertP12Works(file, password, 'modern', 'Kato Yuki', 'ec');

    const other = w.page.waitForEvent('download');
    await w.page.getByTestId('save-other').click();
    const otherFile = await keep(bed, await other);
    expect(otherFile).toMatch(/KatoYuki-compatible\.p12$/);
    assertP12Works(otherFile, password, 'compatible', 'Kato Yuki', 'ec');
    const who = await curlWithP12(bed, otherFile, password, '/api/tls/whoami');
    expect(who.status, who.body).toBe(200);
    expect(JSON.parse(who.body).subject).toBe(row!.dn);
    await confirmSaved(w.page);
    expect(await certificatesOf(bed, row!.dn)).toHaveLength(1);
    assertNoKeyMaterialSent(w);
  });

  it('ok the PIN as password, compatible, on a phone in English', async () => {
    const [row] = await uploadPickups(bed, EC_INSTITUTION, 3, [{ cn: 'Mori Aoi', profile: 14 }]);
    const pin = await retrievePin(bed, row!.pin);
    const w = await page({ lang: 'en', phone: true });
    await openPickup(bed, w.page, row!.pickup);
    await enterPin(w.page, pin);
    const file = await keep(bed, await createAndDownload(w.page, { variant: 'compatible' }));
    assertP12Works(file, pin, 'compatible', 'Mori Aoi', 'ec');
    expect((await curlWithP12(bed, file, pin, '/api/tls/whoami')).status).toBe(200);
    expect(await w.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await confirmSaved(w.page);
    assertNoKeyMaterialSent(w);
  });
});
