/**
 * P12一括 (method 2) in Chromium, end to end (spec 04 §PIN URL page, §P12一括, §Resuming; issue 11):
 * the PIN page downloads pins.zip (pins.txt byte for byte: CP932, CRLF, TAB, header, upload order);
 * the user administrator's pickup page makes every key in the browser and downloads certs.zip
 * (client.txt byte for byte, one P12 per user named per spec with -2 for a repeat, each opening with
 * its own user's PIN in openssl and pk12util, serials matching); no request body carries private
 * key material; "I have saved it" closes the URL and clears IndexedDB. Interruptions: a reload during
 * key generation and another between submission and ZIP finish with one certificate per row; the
 * ZIP is rebuilt after a reload until confirmation; going offline is waited out.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { eq, inArray } from 'drizzle-orm';
import { SAMPLE_INSTITUTION } from '../helpers/officer.ts';
import { privateKeyMaterial, type WatchedPage } from '../helpers/browser.ts';
import { checkP12 } from '../helpers/p12-tools.ts';
import { run } from '../helpers/pki.ts';
import { certificatesOf, keep, pageTracker, retrieveBulkPins, startPickupBed, uploadBulk, type PickupBed } from '../helpers/pickup-e2e.ts';
import { requests } from '../../db/schema/index.ts';
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

/** The oracle for CP932: glibc's iconv, independent of the app's encoder. */
const cp932 = (text: string) => new Uint8Array(execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP932'], { input: Buffer.from(text, 'utf8') }));
const sjis = (bytes: Uint8Array) => new TextDecoder('shift_jis', { fatal: true }).decode(bytes);

function assertNoKeyMaterialSent(w: WatchedPage, bodies = true): void {
  if (bodies) expect(w.sent.length).toBeGreaterThan(0);
  for (const s of w.sent) expect(privateKeyMaterial(s.body), `${s.method} ${s.url}`).toBeNull();
  expect(w.problems).toEqual([]);
}

/** Serial (decimal) of the end-entity certificate in a P12. */
function serialInP12(file: string, pin: string): string {
  const pem = run('openssl', ['pkcs12', '-in', file, '-passin', `pass:${pin}`, '-nokeys', '-clcerts', '-legacy']).out;
  const hex = run('openssl', ['x509', '-noout', '-serial'], { input: pem }).out.trim().replace(/^serial=/, '');
  return BigInt('0x' + hex).toString(10);
}

async function takeZip(p: Page, click: () => Promise<void>): Promise<{ file: string; entries: Record<string, Uint8Array> }> {
  const download = p.waitForEvent('download', { timeout: 120_000 });
  await click();
  const d = await download;
  const file = await keep(bed, d);
  return { file, entries: unzipSync(new Uint8Array(readFileSync(file))) };
}

async function states(p: Page): Promise<string[]> {
  return p.locator('[data-testid=bulk-rows] td.state').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-state') ?? ''));
}

async function openBulk(p: Page, token: string): Promise<void> {
  await p.goto(`${bed.srv.httpUrl}/pickup/${token}`);
  await p.getByTestId('bulk').waitFor();
}

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

describe('bulk pickup', () => {
  it('ok 3 users: pins.zip and certs.zip byte for byte, every P12 opens with its own PIN (openssl, pk12util), serials match, no key sent, confirm closes the URL', async () => {
    const up = await uploadBulk(bed, SAMPLE_INSTITUTION, [
      { cn: 'Yamada Taro', name: '山田 太郎①', p12FileName: 'member' },
      { cn: 'Sato Hanako', name: '髙橋 花子', p12FileName: 'member', pin: 'OwnPin_2026-abc' },
      { cn: 'Suzuki Ichiro', name: '鈴木 一郎' },
    ]);

    // The PIN page: the rows, then pins.zip.
    const pinPage = await pages.open();
    await pinPage.page.goto(`${bed.srv.httpUrl}/pin/${up.pinToken}`);
    await pinPage.page.getByTestId('pins-retrieve').waitFor();
    expect(await pinPage.page.locator('[data-testid=bulk-rows] tbody tr').count()).toBe(3);
    await expect(pinPage.page.locator('[data-testid=bulk-rows]').innerText()).resolves.toContain('山田 太郎①');
    const pinsZip = await takeZip(pinPage.page, () => pinPage.page.getByTestId('pins-retrieve').click());
    await pinPage.page.getByTestId('pins-done').waitFor();
    expect(Object.keys(pinsZip.entries)).toEqual(['pins.txt']);
    const pinsTxt = pinsZip.entries['pins.txt']!;
    const pinLines = sjis(pinsTxt).split('\r\n');
    expect(pinLines).toHaveLength(5); // header, 3 rows, '' after the final CRLF
    const pins = pinLines.slice(1, 4).map((l) => l.split('\t')[2]!);
    expect(pins[1]).toBe('OwnPin_2026-abc');
    for (const p of pins) expect(p).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    const expectedPins = ['氏名\tメールアドレス\tアクセスPIN\t主体者DN', ...up.rows.map((r, i) => `${r.name}\t${r.mail}\t${pins[i]}\t${r.dn}`)].join('\r\n') + '\r\n';
    expect(Buffer.from(pinsTxt).equals(Buffer.from(cp932(expectedPins)))).toBe(true);
    // The PIN URL is dead afterwards; the second file is the same one, from the page.
    const again = await takeZip(pinPage.page, () => pinPage.page.getByTestId('pins-again').click());
    expect(Buffer.from(again.entries['pins.txt']!).equals(Buffer.from(pinsTxt))).toBe(true);
    await pinPage.page.reload();
    await pinPage.page.getByTestId('link-problem').waitFor();
    expect(await pinPage.page.getByTestId('link-problem').getAttribute('data-problem')).toBe('ALREADY_USED');
    assertNoKeyMaterialSent(pinPage, false); // the retrieval is a POST without a body

    // The pickup page: compatible chosen by default, one click, certs.zip.
    const w = await pages.open();
    const p = w.page;
    await openBulk(p, up.pickupToken);
    expect(await p.locator('input[name=variant]:checked').getAttribute('value')).toBe('compatible');
    expect(await states(p)).toEqual(['waiting', 'waiting', 'waiting']);
    const certs = await takeZip(p, () => p.getByTestId('bulk-start').click());
    await p.getByTestId('bulk-ready').waitFor();
    expect(await states(p)).toEqual(['file', 'file', 'file']);
    expect(Object.keys(certs.entries).sort()).toEqual(['SuzukiIchiro.p12', 'client.txt', 'member-2.p12', 'member.p12']);

    const serials = await Promise.all(up.rows.map(async (r) => (await certificatesOf(bed, r.dn)).map((c) => c.serial)));
    for (const s of serials) expect(s).toHaveLength(1);
    const expectedClient = ['シリアル番号\t氏名\tメールアドレス\t主体者DN', ...up.rows.map((r, i) => `${serials[i]![0]}\t${r.name}\t${r.mail}\t${r.dn}`)].join('\r\n') + '\r\n';
    expect(Buffer.from(certs.entries['client.txt']!).equals(Buffer.from(cp932(expectedClient)))).toBe(true);

    const files = ['member.p12', 'member-2.p12', 'SuzukiIchiro.p12'];
    for (let i = 0; i < 3; i++) {
      const bytes = certs.entries[files[i]!]!;
      const report = checkP12(bytes, pins[i]!, true);
      expect(report.openssl.status, report.openssl.out).toBe(0);
      expect(report.nss.status, report.nss.out).toBe(0);
      expect(report.nss.keys).toMatch(/rsa/i);
      expect(report.nss.certs).toContain(up.rows[i]!.cn);
      // Another user's PIN does not open it.
      expect(checkP12(bytes, pins[(i + 1) % 3]!, true).openssl.status).not.toBe(0);
      const file = `${bed.dir}/${i}-${files[i]}`;
      execFileSync('cp', [certs.file, `${bed.dir}/zip-${i}`]);
      await import('node:fs').then((fs) => fs.writeFileSync(file, bytes));
      expect(serialInP12(file, pins[i]!)).toBe(serials[i]![0]);
    }
    assertNoKeyMaterialSent(w);
    const csrCalls = w.sent.filter((s) => s.url.endsWith('/csr'));
    expect(csrCalls).toHaveLength(1);
    expect(JSON.parse(csrCalls[0]!.body).csrs).toHaveLength(3);

    // "I have saved it" → /confirm: completed, the records gone.
    expect(await storedRecords(p)).toBe(4);
    await p.getByTestId('saved-check').check();
    await p.getByTestId('confirm').click();
    await p.getByTestId('done').waitFor();
    expect(await storedRecords(p)).toBe(0);
    const states2 = await bed.srv.services.db.select({ state: requests.state }).from(requests).where(inArray(requests.dn, up.rows.map((r) => r.dn)));
    expect(states2.map((s) => s.state)).toEqual(['completed', 'completed', 'completed']);
  });

  it('NG before the PINs were retrieved: the pickup page explains the 409 (PIN_NOT_RETRIEVED) for bulk too', async () => {
    const up = await uploadBulk(bed, SAMPLE_INSTITUTION, [{}, {}]);
    const w = await pages.open();
    await w.page.goto(`${bed.srv.httpUrl}/pickup/${up.pickupToken}`);
    await w.page.getByTestId('link-problem').waitFor();
    expect(await w.page.getByTestId('link-problem').getAttribute('data-problem')).toBe('PIN_NOT_RETRIEVED');
    await expect(w.page.getByTestId('link-problem').innerText()).resolves.toContain(ja['link.pinNotRetrieved.bulk'].slice(0, 20));
  });

  it('ok interruptions: reload during key generation, reload between submission and ZIP, ZIP rebuilt after a reload, offline waited out — one certificate per row', async () => {
    const up = await uploadBulk(bed, SAMPLE_INSTITUTION, Array.from({ length: 12 }, () => ({})));
    const pins = await retrieveBulkPins(bed, up.pinToken);
    const w = await pages.open();
    const p = w.page;
    await openBulk(p, up.pickupToken);
    // 1. Reload as soon as the first key is stored, before any CSR has left.
    let csrSeen = 0;
    await p.route('**/api/pickup/*/csr', async (route) => {
      csrSeen++;
      // 2. The CSRs reach the server, the answers never reach the page.
      await route.fetch();
      await route.abort('connectionreset');
    });
    await p.getByTestId('bulk-start').click();
    await p.locator('[data-testid=bulk-rows] td.state[data-state=key]').first().waitFor();
    const atReload = await storedRecords(p);
    const csrAtReload = csrSeen;
    await p.reload();
    expect(atReload).toBeGreaterThan(1); // the pickup record and at least one key…
    expect(atReload).toBeLessThan(1 + 12); // …but not every key yet
    expect(csrAtReload).toBeLessThan(3); // batches of 5: not every CSR had left
    // Resumes by itself (the job was running), reusing the stored keys; then the answers are lost.
    await p.getByTestId('resume').waitFor();
    await p.getByTestId('bulk-retrying').waitFor({ timeout: 60_000 });
    expect(csrSeen).toBeGreaterThan(0);
    await p.reload();
    await p.unroute('**/api/pickup/*/csr');
    // The same CSRs again: the same certificates (200), then the ZIP.
    const first = await takeZip(p, async () => {});
    await p.getByTestId('bulk-ready').waitFor();
    const serials = await Promise.all(up.rows.map(async (r) => (await certificatesOf(bed, r.dn)).map((c) => c.serial)));
    for (const s of serials) expect(s).toHaveLength(1);
    const client = sjis(first.entries['client.txt']!).split('\r\n').slice(1, 13).map((l) => l.split('\t')[0]);
    expect(client).toEqual(serials.map((s) => s[0]));

    // 3. A reload after the download: certs.zip is made again from IndexedDB, same certificates.
    await p.reload();
    await p.getByTestId('bulk-start').waitFor();
    await expect(p.getByTestId('bulk-start').innerText()).resolves.toBe(ja['bulk.rebuild']);
    const rebuilt = await takeZip(p, () => p.getByTestId('bulk-start').click());
    expect(sjis(rebuilt.entries['client.txt']!)).toBe(sjis(first.entries['client.txt']!));
    const names = Object.keys(rebuilt.entries).filter((n) => n.endsWith('.p12'));
    expect(names).toHaveLength(12);
    const report = checkP12(rebuilt.entries[`${up.rows[0]!.cn.replace(/ /g, '')}.p12`]!, pins[0]!.pin, true);
    expect(report.openssl.status, report.openssl.out).toBe(0);
    for (const r of up.rows) expect(await certificatesOf(bed, r.dn)).toHaveLength(1);
    assertNoKeyMaterialSent(w);
  });

  it('ok offline in the middle: the page says it is waiting, and finishes once the connection is back', async () => {
    const up = await uploadBulk(bed, SAMPLE_INSTITUTION, Array.from({ length: 5 }, () => ({})));
    await retrieveBulkPins(bed, up.pinToken);
    const w = await pages.open();
    const p = w.page;
    await openBulk(p, up.pickupToken);
    await p.waitForLoadState('networkidle'); // the crypto workers' code is loaded (the page warms them)
    await w.context.setOffline(true);
    const zip = p.waitForEvent('download', { timeout: 120_000 });
    await p.getByTestId('bulk-start').click();
    await p.getByTestId('bulk-waiting').waitFor({ timeout: 60_000 });
    await w.context.setOffline(false);
    // What the page says if it does not finish (a diagnosis for a slow or stuck run).
    await p.getByTestId('bulk-ready').waitFor({ timeout: 120_000 }).catch(async (e) => {
      console.log('offline case, page text:', await p.evaluate(() => document.body.innerText));
      throw e;
    });
    const d = await zip;
    const entries = unzipSync(new Uint8Array(readFileSync(await keep(bed, d))));
    expect(Object.keys(entries).filter((n) => n.endsWith('.p12'))).toHaveLength(5);
    for (const r of up.rows) expect(await certificatesOf(bed, r.dn)).toHaveLength(1);
    const [one] = await bed.srv.services.db.select({ state: requests.state }).from(requests).where(eq(requests.dn, up.rows[0]!.dn));
    expect(one!.state).toBe('issued');
    assertNoKeyMaterialSent(w);
  });

  it('NG the same pickup URL in a second tab of the browser: that tab does not make keys of its own and says why', async () => {
    const up = await uploadBulk(bed, SAMPLE_INSTITUTION, [{}, {}]);
    await retrieveBulkPins(bed, up.pinToken);
    const w = await pages.open();
    await w.page.route('**/api/pickup/*/csr', () => {}); // held: the first tab stays at work
    await openBulk(w.page, up.pickupToken);
    await w.page.getByTestId('bulk-start').click();
    await w.page.waitForFunction(() => document.querySelectorAll('td.state[data-state=key]').length === 2);
    const second = await w.context.newPage();
    await second.goto(`${bed.srv.httpUrl}/pickup/${up.pickupToken}`);
    await second.getByTestId('bulk-failed').waitFor();
    await expect(second.getByTestId('bulk-failed').innerText()).resolves.toContain('OTHER_TAB');
    expect(w.sent.filter((s) => s.url.endsWith('/csr'))).toHaveLength(1);
    await second.close();
  });
});
