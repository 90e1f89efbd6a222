/**
 * Screenshots of every state of the P12一括 PIN and pickup pages (issue 11) for design review, in
 * Japanese and English at desktop width and at 390 px, into docs/screenshots/bulk/: each state is
 * reached once with the real server (network answers held, refused or dropped by Playwright where
 * a state needs it), then the language is switched with the page's own buttons and the viewport
 * resized. Each shot asserts that no message key shows, nothing overflows sideways and no page error
 * or CSP violation happened.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { VIEWPORTS } from '../helpers/browser.ts';
import { ja as JA } from '../../web/lib/i18n/all.ts';
import { SAMPLE_INSTITUTION } from '../helpers/officer.ts';
import { pageTracker, retrieveBulkPins, startPickupBed, uploadBulk, type PickupBed } from '../helpers/pickup-e2e.ts';

const DIR = 'docs/screenshots/bulk';
let bed: PickupBed;
const pages = pageTracker(() => bed);

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  bed = await startPickupBed({ institutions: [SAMPLE_INSTITUTION] });
});

afterAll(async () => {
  for (const w of pages.watched) expect(w.problems, 'page errors or CSP reports').toEqual([]);
  await pages.closeAll();
  await bed?.dispose();
});

const MESSAGE_KEYS = Object.keys(JA).filter((k) => /^(bulk|bulkPin|pickup|pin|link|summary)\./.test(k));

async function shoot(p: Page, name: string): Promise<void> {
  for (const lang of ['ja', 'en'] as const) {
    const button = p.getByRole('button', { name: lang === 'ja' ? '日本語' : 'English', exact: true });
    if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
    await p.waitForFunction((l) => document.documentElement.lang === l, lang);
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      await p.setViewportSize(viewport);
      await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await p.screenshot({ path: `${DIR}/${name}-${device}-${lang}.png`, fullPage: true });
      const text = await p.evaluate(() => document.body.innerText);
      expect(MESSAGE_KEYS.filter((k) => text.includes(k)), `${name} ${lang}: untranslated keys on screen`).toEqual([]);
      expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name} ${device} ${lang} overflows`).toBe(true);
    }
  }
  await p.setViewportSize(VIEWPORTS.desktop);
}

const ROWS = [
  { cn: 'Yamada Taro', name: '山田 太郎', p12FileName: 'yamada' },
  { cn: 'Sato Hanako', name: '佐藤 花子' },
  { cn: 'Suzuki Ichiro', name: '鈴木 一郎', p12FileName: 'yamada' },
];

describe('bulk screens', () => {
  it('ok PIN page: before and after pins.zip', async () => {
    const up = await uploadBulk(bed, SAMPLE_INSTITUTION, ROWS);
    const { page: p } = await pages.open();
    await p.goto(`${bed.srv.httpUrl}/pin/${up.pinToken}`);
    await p.getByTestId('pins-retrieve').waitFor();
    await shoot(p, '01-pin-before');
    const d = p.waitForEvent('download');
    await p.getByTestId('pins-retrieve').click();
    await d;
    await p.getByTestId('pins-done').waitFor();
    await shoot(p, '02-pin-done');
  });

  it('ok pickup page: PIN not retrieved, intro, working, retrying, waiting, ready with a refusal, failed, ready, done', async () => {
    const early = await uploadBulk(bed, SAMPLE_INSTITUTION, ROWS);
    const { page: p0 } = await pages.open();
    await p0.goto(`${bed.srv.httpUrl}/pickup/${early.pickupToken}`);
    await p0.getByTestId('link-problem').waitFor();
    await shoot(p0, '03-pickup-pin-not-retrieved');

    // Intro, then working with the CSRs held (no answer yet).
    const a = await uploadBulk(bed, SAMPLE_INSTITUTION, ROWS);
    await retrieveBulkPins(bed, a.pinToken);
    const { page: p } = await pages.open();
    await p.goto(`${bed.srv.httpUrl}/pickup/${a.pickupToken}`);
    await p.getByTestId('bulk-start').waitFor();
    await shoot(p, '04-pickup-intro');
    await p.route('**/api/pickup/*/csr', () => {});
    await p.getByTestId('bulk-start').click();
    await p.waitForFunction(() => document.querySelectorAll('td.state[data-state=key]').length === 3);
    await shoot(p, '05-pickup-working');

    // Offline: retrying, then waiting; back online: finished, then confirmed.
    const c = await uploadBulk(bed, SAMPLE_INSTITUTION, ROWS);
    await retrieveBulkPins(bed, c.pinToken);
    const wc = await pages.open();
    const pc = wc.page;
    await pc.goto(`${bed.srv.httpUrl}/pickup/${c.pickupToken}`);
    await pc.getByTestId('bulk-start').waitFor();
    // Both languages' texts loaded before the connection goes.
    await pc.getByRole('button', { name: 'English', exact: true }).click();
    await pc.getByRole('button', { name: '日本語', exact: true }).click();
    await pc.waitForLoadState('networkidle');
    await wc.context.setOffline(true);
    await pc.getByTestId('bulk-start').click();
    await pc.getByTestId('bulk-retrying').waitFor();
    await shoot(pc, '06-pickup-retrying');
    await pc.getByTestId('bulk-waiting').waitFor({ timeout: 60_000 });
    await shoot(pc, '07-pickup-waiting');
    const d2 = pc.waitForEvent('download', { timeout: 60_000 });
    await wc.context.setOffline(false);
    await d2;
    await pc.getByTestId('bulk-ready').waitFor();
    await shoot(pc, '10-pickup-ready');
    await pc.getByTestId('saved-check').check();
    await pc.getByTestId('confirm').click();
    await pc.getByTestId('done').waitFor();
    await shoot(pc, '11-pickup-done');

    // One row refused (the answer rewritten on its way to the page).
    const d = await uploadBulk(bed, SAMPLE_INSTITUTION, ROWS);
    await retrieveBulkPins(bed, d.pinToken);
    const { page: pd } = await pages.open();
    await pd.route('**/api/pickup/*/csr', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      const last = body.certificates.pop();
      body.errors.push({ id: last.id, code: 'KEY_REUSED', message: { ja: 'この鍵はすでに別の証明書で使われています。', en: 'This key is already used by another certificate.' } });
      await route.fulfill({ response: res, json: body });
    });
    await pd.goto(`${bed.srv.httpUrl}/pickup/${d.pickupToken}`);
    const d1 = pd.waitForEvent('download', { timeout: 60_000 });
    await pd.getByTestId('bulk-start').click();
    await d1;
    await pd.getByTestId('bulk-refused').waitFor();
    await shoot(pd, '08-pickup-ready-refused');

    // A refused call: the job stops with its code.
    const b = await uploadBulk(bed, SAMPLE_INSTITUTION, ROWS);
    await retrieveBulkPins(bed, b.pinToken);
    const { page: pb } = await pages.open();
    await pb.route('**/api/pickup/*/csr', (route) => route.fulfill({ status: 400, json: { code: 'BAD_REQUEST', message: { ja: '要求の形式が正しくありません。', en: 'The request is malformed.' } } }));
    await pb.goto(`${bed.srv.httpUrl}/pickup/${b.pickupToken}`);
    await pb.getByTestId('bulk-start').click();
    await pb.getByTestId('bulk-failed').waitFor();
    await shoot(pb, '09-pickup-failed');
  });
});
