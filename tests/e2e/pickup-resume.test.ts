/**
 * Nothing lost, every failure explained (spec 04 §Resuming, §HTTP API): a reload after the CSR was
 * sent continues with the same key and gets the same certificate; a reload after the download
 * builds the file again from IndexedDB; network failures are retried with backoff and shown; a
 * browser without IndexedDB still works and says it cannot resume; wrong PINs lead to the lockout;
 * used, expired, unknown and not-yet-active links, a certificate issued elsewhere and a browser
 * without WebCrypto each get their page. Request bodies are scanned for private keys throughout.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SAMPLE_INSTITUTION } from '../helpers/officer.ts';
import { privateKeyMaterial, type WatchedPage } from '../helpers/browser.ts';
import { checkP12 } from '../helpers/p12-tools.ts';
import { keyAndCsr } from '../helpers/pickup-client.ts';
import { freshIp, pickupApi } from '../helpers/world.ts';
import {
  pageTracker, certificatesOf, confirmSaved, createAndDownload, enterPin, expireUrl, keep, openPickup, retrievePin, startPickupBed, uploadPickups, type PickupBed,
} from '../helpers/pickup-e2e.ts';
import { ja } from '../../web/lib/i18n/all.ts';

let bed: PickupBed;
const pages = pageTracker(() => bed);

beforeAll(async () => {
  bed = await startPickupBed({ institutions: [SAMPLE_INSTITUTION] });
});

afterAll(async () => {
  await pages.closeAll();
  await bed?.dispose();
});

const page = pages.open;

async function oneRequest(method: 1 | 3 = 1, retrieve = true): Promise<{ dn: string; pinToken: string; pickup: string; pin: string }> {
  const [row] = await uploadPickups(bed, SAMPLE_INSTITUTION, method, [{}]);
  return { dn: row!.dn, pinToken: row!.pin, pickup: row!.pickup, pin: retrieve ? await retrievePin(bed, row!.pin) : '' };
}

const csrBodies = (w: WatchedPage) => w.sent.filter((s) => s.url.endsWith('/csr')).map((s) => JSON.parse(s.body).csr as string);
const problemOf = async (p: Page) => {
  await p.getByTestId('link-problem').waitFor();
  return p.getByTestId('link-problem').getAttribute('data-problem');
};

/** Rows and pickups left in the page's IndexedDB. */
function storedRecords(p: Page): Promise<number> {
  return p.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('hakko-pickup');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['pickups', 'rows']);
          const a = tx.objectStore('pickups').count();
          const b = tx.objectStore('rows').count();
          tx.oncomplete = () => (open.result.close(), resolve(a.result + b.result));
        };
      }),
  );
}

function assertNoKeyMaterialSent(w: WatchedPage): void {
  for (const s of w.sent) expect(privateKeyMaterial(s.body), `${s.method} ${s.url}`).toBeNull();
  expect(w.problems).toEqual([]);
}

describe('resume', () => {
  it('ok reload after the CSR was sent: the same key, the same serial, one certificate; reload after the download: the file again; confirm deletes the record', async () => {
    const r = await oneRequest();
    const w = await page();
    const p = w.page;
    await openPickup(bed, p, r.pickup);
    await enterPin(p, r.pin);

    // The CSR reaches the server, the answer never reaches the page; the page is reloaded.
    let issuedSerial = '';
    let issued!: () => void;
    const wasIssued = new Promise<void>((resolve) => (issued = resolve));
    await p.route('**/api/pickup/*/csr', async (route) => {
      if (!issuedSerial) {
        const answer = await route.fetch();
        issuedSerial = ((await answer.json()) as { certificates: { serial: string }[] }).certificates[0]!.serial;
        issued();
      }
      await route.abort('connectionreset');
    });
    await p.locator('[data-testid=create]').click();
    await wasIssued;
    await p.unrouteAll({ behavior: 'ignoreErrors' });
    await p.reload();
    await p.locator('#pin').waitFor();
    expect(await p.getByTestId('resume').textContent()).toContain(ja['pickup.resume.key']);
    await enterPin(p, r.pin);
    const file = await keep(bed, await createAndDownload(p));
    expect(await p.getByTestId('download-started').textContent()).toContain(issuedSerial);
    expect(await certificatesOf(bed, r.dn)).toEqual([{ serial: issuedSerial }]);
    const sentCsrs = csrBodies(w);
    expect(sentCsrs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sentCsrs).size).toBe(1); // the same CSR (same key) every time
    expect(checkP12(readFileSync(file), r.pin, false).openssl.status).toBe(0);

    // After the download, before "saved": the file is made again from the stored key and certificate.
    await p.reload();
    await p.locator('#pin').waitFor();
    expect(await p.getByTestId('resume').textContent()).toContain(ja['pickup.resume.certificate']);
    await enterPin(p, r.pin);
    expect(await p.getByTestId('create').textContent()).toContain(ja['pickup.createFile']);
    const again = await keep(bed, await createAndDownload(p));
    expect(csrBodies(w)).toHaveLength(sentCsrs.length); // nothing sent this time
    expect(checkP12(readFileSync(again), r.pin, false).openssl.out).toContain('Shrouded Keybag');
    expect(await storedRecords(p)).toBe(2);
    await confirmSaved(p);
    expect(await storedRecords(p)).toBe(0);
    expect(await certificatesOf(bed, r.dn)).toHaveLength(1);
    assertNoKeyMaterialSent(w);
  });

  it('ok network down: retried with backoff and said so, then "try again" continues with the same key', async () => {
    const r = await oneRequest(3);
    const w = await page({ lang: 'en' });
    const p = w.page;
    await openPickup(bed, p, r.pickup);
    await enterPin(p, r.pin);
    await p.route('**/api/pickup/*/csr', (route) => route.abort('internetdisconnected'));
    await p.locator('[data-testid=create]').click();
    await p.waitForFunction(() => /attempt 2 of 5/.test(document.querySelector('[data-testid=progress-status]')?.textContent ?? ''));
    await p.getByTestId('failure').waitFor({ timeout: 30_000 });
    expect(await p.getByTestId('failure').textContent()).toContain('Could not reach the server. The key you created is kept in this browser.');
    expect(await certificatesOf(bed, r.dn)).toEqual([]);
    await p.unrouteAll();
    const download = p.waitForEvent('download');
    await p.getByTestId('retry').click();
    await download;
    expect(new Set(csrBodies(w)).size).toBe(1);
    expect(await certificatesOf(bed, r.dn)).toHaveLength(1);
    await confirmSaved(p);
    assertNoKeyMaterialSent(w);
  });

  it('ok IndexedDB unavailable (private mode): the page says it cannot resume, and the pickup still works', async () => {
    const r = await oneRequest();
    const w = await page();
    await w.context.addInitScript(() => {
      IDBFactory.prototype.open = () => {
        throw new DOMException('The user denied permission to access the database.', 'InvalidStateError');
      };
    });
    await openPickup(bed, w.page, r.pickup);
    expect(await w.page.getByTestId('no-resume').textContent()).toContain(ja['pickup.noResume']);
    await enterPin(w.page, r.pin);
    const file = await keep(bed, await createAndDownload(w.page));
    expect(checkP12(readFileSync(file), r.pin, false).nss.status).toBe(0);
    await confirmSaved(w.page);
    assertNoKeyMaterialSent(w);
  });
});

describe('links and PINs that cannot be used', () => {
  it('NG wrong PIN ×5: attempts left are said, the fifth locks the link', async () => {
    const r = await oneRequest();
    const w = await page();
    const p = w.page;
    await openPickup(bed, p, r.pickup);
    const expected = [
      ja['pickup.pin.wrong'].replace('{n}', '4'),
      ja['pickup.pin.wrong'].replace('{n}', '3'),
      ja['pickup.pin.wrong'].replace('{n}', '2'),
      ja['pickup.pin.wrongOne'],
    ];
    for (const [i, text] of expected.entries()) {
      await p.locator('#pin').fill(`Wrong${i}PinAbcdefgh`);
      await p.getByRole('button', { name: ja['pickup.pin.submit'] }).click();
      await p.waitForFunction((t) => document.querySelector('#pin-error')?.textContent === t, text);
      expect(await p.locator('#pin').getAttribute('aria-invalid')).toBe('true');
    }
    await p.locator('#pin').fill('Wrong5PinAbcdefgh');
    await p.getByRole('button', { name: ja['pickup.pin.submit'] }).click();
    expect(await problemOf(p)).toBe('LOCKED');
    await p.reload();
    expect(await problemOf(p)).toBe('LOCKED');
    expect(await p.getByTestId('link-problem').textContent()).toContain(ja['link.locked.body']);
  });

  it('NG unknown, not yet active, expired and used links each have their page', async () => {
    const w = await page();
    const p = w.page;
    const unknown = 'x'.repeat(43);
    await p.goto(`${bed.srv.httpUrl}/pickup/${unknown}`);
    expect(await problemOf(p)).toBe('NOT_FOUND');
    await p.goto(`${bed.srv.httpUrl}/pin/${unknown}`);
    expect(await problemOf(p)).toBe('NOT_FOUND');

    const r = await oneRequest(1, false);
    await p.goto(`${bed.srv.httpUrl}/pickup/${r.pickup}`);
    expect(await problemOf(p)).toBe('PIN_NOT_RETRIEVED');
    await expireUrl(bed, r.pinToken);
    await p.goto(`${bed.srv.httpUrl}/pin/${r.pinToken}`);
    expect(await problemOf(p)).toBe('EXPIRED');

    const used = await oneRequest();
    await p.goto(`${bed.srv.httpUrl}/pin/${used.pinToken}`);
    expect(await problemOf(p)).toBe('ALREADY_USED');
    await expireUrl(bed, used.pickup);
    await p.goto(`${bed.srv.httpUrl}/pickup/${used.pickup}`);
    expect(await problemOf(p)).toBe('EXPIRED');
    expect(await p.getByTestId('link-problem').textContent()).toContain('EXPIRED'); // the code, for support
    expect(await p.getByTestId('link-problem').textContent()).not.toContain(used.pickup); // never the token
  });

  it('NG a certificate issued for this link with a key this browser does not have: explained; "I have the file" finishes', async () => {
    const r = await oneRequest();
    const api = pickupApi(bed.srv.httpUrl, freshIp());
    const k = await keyAndCsr();
    expect((await api.csr(r.pickup, { pin: r.pin, csr: k.csrPem })).status).toBe(201);
    const w = await page();
    await openPickup(bed, w.page, r.pickup);
    await w.page.locator('#pin').fill(r.pin);
    await w.page.getByRole('button', { name: ja['pickup.pin.submit'] }).click();
    await w.page.getByTestId('elsewhere').waitFor();
    expect(await w.page.getByTestId('elsewhere').textContent()).toContain(ja['pickup.elsewhere.noFile']);
    await w.page.getByRole('button', { name: ja['pickup.elsewhere.confirm'] }).click();
    await w.page.getByTestId('done').waitFor();
    expect(await certificatesOf(bed, r.dn)).toHaveLength(1);
  });

  it('NG no WebCrypto, or not a secure context: the page says so before anything is asked', async () => {
    const r = await oneRequest();
    for (const [script, text] of [
      [() => Object.defineProperty(window, 'isSecureContext', { value: false }), ja['pickup.unsupported.insecure']],
      [() => Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined }), ja['pickup.unsupported.noCrypto']],
    ] as const) {
      const w = await page();
      await w.context.addInitScript(script);
      await w.page.goto(`${bed.srv.httpUrl}/pickup/${r.pickup}`);
      await w.page.getByTestId('unsupported').waitFor();
      expect(await w.page.getByTestId('unsupported').textContent()).toContain(text);
      expect(await w.page.locator('#pin').count()).toBe(0);
    }
  });
});
