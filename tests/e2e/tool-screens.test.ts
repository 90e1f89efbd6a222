/**
 * Screenshots of every view of the TSV tool for design review (both languages, desktop and a 390 px
 * phone): start page with drafts and profile, the editor with coded problems, the paste dialog, the
 * viewer with an information file and with a request file, a draft already open in another tab,
 * the offline state and storage disabled.
 * Each also checks that nothing overflows sideways and that no page error or CSP report occurred.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { writeInfoFile, type InfoFileRow } from '../../api/domain/tsv/info-file.ts';
import { ensureWebBuild } from '../helpers/build-web.ts';
import { launchChromium, openWatchedPage, screenshot, VIEWPORTS } from '../helpers/browser.ts';
import { addTestInstitution } from '../helpers/officer.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { fetchProfile, gotoTool, openFileOnStart, waitChecked, waitOfflineReady } from '../helpers/tool-page.ts';

let browser: Browser;
let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer({ webRoot: await ensureWebBuild() });
  await addTestInstitution(srv);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await srv?.dispose();
});

const DN = (cn: string, ou = '', l = 'Bunkyo-ku') => `CN=${cn}${ou ? `,OU=${ou}` : ''},O=Sample University,L=${l},ST=Tokyo,C=JP`;
const ADMIN = ['管理 花子', '情報基盤センター', 'pki-admin@sample.ac.jp'];
/** An issuance file with a clean row and rows with typical mistakes. */
const REQUEST_ROWS = [
  [DN('SATO TARO', '20261234'), '5', '1', '', '', '', '', ...ADMIN, '佐藤 太郎', 'sato-taro', '工学系研究科', 'taro.sato@sample.ac.jp', ''],
  [DN('Yamada Hanako!', '20265678', 'Academe'), '5', '1', '', '', '', '', ...ADMIN, '山田〜花子', '', '文学部', 'hanako＠sample.ac.jp', ''],
  [DN('ITO MISAKI (Staff)', 'S0042'), '14', '1', '', '', '', '', ...ADMIN, '伊藤 美咲', '', '事務局①', 'misaki.ito@mail.sample.ac.jp', ''],
  [DN('SUZUKI JIRO'), '9', '1', '', '', '', '', ADMIN[0]!, '', ADMIN[2]!, '鈴木 次郎', '', '', 'jiro@example.com', ''],
];

const day = (s: string) => new Date(`${s}T03:00:00Z`);
function infoRows(): InfoFileRow[] {
  const base = {
    kind: 'issue' as const, profile: 5, method: 1, requestedAt: day('2026-04-01'), adminName: '管理 花子', adminAffiliation: '情報基盤センター',
    adminMail: 'pki-admin@sample.ac.jp', userAffiliation: '工学部', renewalOf: null, uploadId: 12, pinRetrievedAt: day('2026-04-02'),
    pickedUpAt: day('2026-04-03'), pickupUrlExpiresAt: day('2026-05-01'),
  };
  const names = ['SATO TARO', 'ITO MISAKI', 'SUZUKI JIRO', 'TANAKA YUKI', 'KATO REN', 'WATANABE AOI'];
  return names.map((cn, i) => ({
    ...base, requestId: 100 + i, dn: DN(cn, `2026${i}00${i}`), state: i === 5 ? 'pin-pending' : 'completed', userName: `利用者 ${i + 1}`,
    p12FileName: `user-${i + 1}.p12`, userMail: `user${i + 1}@sample.ac.jp`,
    certificate: i === 5 ? null : {
      serial: String(7000000000000 + i), der: Uint8Array.from({ length: 600 }, (_, k) => (k * 31 + i) & 0xff), notBefore: day('2026-04-03'),
      notAfter: i === 2 ? day('2026-12-20') : day('2030-04-03'), issuedAt: day('2026-04-03'),
      revokedAt: i === 3 ? day('2026-10-01') : null, revocationReason: i === 3 ? 3 : null, revocationComment: i === 3 ? '所属変更' : null, renewedBy: null,
    },
  }));
}

async function noSidewaysOverflow(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}

describe('screenshots of the TSV tool', () => {
  for (const [device, viewport] of Object.entries(VIEWPORTS)) {
    for (const lang of ['ja', 'en'] as const) {
      it(`every view, ${device}, ${lang}`, async () => {
        const phone = device === 'phone';
        const { context, page, problems } = await openWatchedPage(browser, {
          locale: lang === 'ja' ? 'ja-JP' : 'en-US', viewport, deviceScaleFactor: phone ? 2 : 1, isMobile: phone, hasTouch: phone,
        });
        const shot = (view: string) => screenshot(page, `tool-${view}-${device}-${lang}`);
        await gotoTool(page, srv.httpUrl);
        await waitOfflineReady(page);
        await shot('start-empty');
        await fetchProfile(page, 'sample-u');

        await openFileOnStart(page, 'requests.tsv', encodeTsv(REQUEST_ROWS));
        await page.waitForURL(/\/tool\/draft\//);
        await waitChecked(page);
        await page.locator('[data-testid=row-table] tr[data-index="1"]').click();
        await shot('editor');
        await noSidewaysOverflow(page);
        await page.getByTestId('export-download').click();
        await page.getByTestId('export-result').waitFor();
        await page.getByTestId('export-result').scrollIntoViewIfNeeded();
        await page.screenshot({ path: `test-results/screenshots/tool-export-refused-${device}-${lang}.png` });

        await page.locator('.toolbar button').nth(7).click();
        await page.locator('#paste-text').fill(REQUEST_ROWS.slice(0, 2).map((r) => r.join('\t')).join('\n'));
        await page.screenshot({ path: `test-results/screenshots/tool-paste-${device}-${lang}.png` });
        await page.keyboard.press('Escape');

        // The same draft in a second tab: told, not opened.
        const second = await context.newPage();
        await second.goto(page.url());
        await second.getByTestId('draft-elsewhere').waitFor();
        await screenshot(second, `tool-elsewhere-${device}-${lang}`);
        await noSidewaysOverflow(second);
        await second.close();

        await gotoTool(page, srv.httpUrl);
        await page.getByTestId('drafts').waitFor();
        await shot('start');
        await noSidewaysOverflow(page);

        await gotoTool(page, srv.httpUrl, '/view');
        await page.getByTestId('view-file').setInputFiles({
          name: 'sample-u-certificates-20261201.tsv', mimeType: 'text/plain',
          buffer: Buffer.from(writeInfoFile({ rows: infoRows(), lang: 'ja', institution: { ja: '見本大学', en: 'Sample University' }, now: day('2026-12-01') })),
        });
        await page.getByTestId('view-count').waitFor();
        await shot('viewer-info');
        await noSidewaysOverflow(page);
        await page.getByTestId('view-file').setInputFiles({ name: 'requests.tsv', mimeType: 'text/plain', buffer: Buffer.from(encodeTsv(REQUEST_ROWS)) });
        await page.getByTestId('problem-list').waitFor();
        await shot('viewer-request');

        await context.setOffline(true);
        await page.reload();
        await page.locator('[data-testid=network-badge][data-state=offline]').waitFor();
        await page.screenshot({ path: `test-results/screenshots/tool-offline-${device}-${lang}.png` });
        expect(problems).toEqual([]);
        await context.close();
      });
    }
  }

  it('storage disabled, phone, ja', async () => {
    const { context, page } = await openWatchedPage(browser, { locale: 'ja-JP', viewport: VIEWPORTS.phone, deviceScaleFactor: 2 });
    await context.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { get() { throw new DOMException('disabled', 'SecurityError'); } });
    });
    await gotoTool(page, srv.httpUrl);
    await page.getByTestId('storage-warning').waitFor();
    await screenshot(page, 'tool-storage-disabled-phone-ja');
    await context.close();
  });
});
