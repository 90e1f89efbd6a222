/**
 * The offline TSV tool in Debian's Chromium (spec 07): opened once, then offline — a file with
 * errors written, the coded messages seen and fixed, exported as CP932/CRLF bytes that pass
 * `hakko tsv check` and an upload unchanged, with no request leaving the page while editing; the
 * fixtures and a UTF-8 CSV give the CLI's codes; drafts survive a reload and a browser restart; the
 * officer's information file in the viewer (filters, counts, renewal in one step); storage disabled;
 * the keyboard; characters CP932 cannot hold; the update prompt after a deploy.
 */
import { X509Certificate } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { decodeTsv, encodeTsv } from '../../api/domain/tsv/codec.ts';
import { ensureWebBuild } from '../helpers/build-web.ts';
import { CHROMIUM_ARGS, launchChromium, openWatchedPage } from '../helpers/browser.ts';
import { issueCertificates } from '../helpers/issued.ts';
import { addTestInstitution, enrollTestOfficer, officerRequest, uploadViaApi, type OfficerCredentials } from '../helpers/officer.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import {
  cliCheck, fetchProfile, gotoTool, notCheckedCodes, openFileOnStart, shownProblems, waitChecked, waitErrors, waitOfflineReady,
} from '../helpers/tool-page.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/tsv');
const ADMIN = ['管理 花子', '情報基盤センター', 'pki-admin@sample.ac.jp'] as const;

let browser: Browser;
let srv: TestServer;
let officer: OfficerCredentials;
let webRoot: string;
let base: string;

beforeAll(async () => {
  // A copy of the build, so that the update test can "deploy" a new version into it.
  webRoot = mkdtempSync(path.join(tmpdir(), 'hakko-web-'));
  cpSync(await ensureWebBuild(), webRoot, { recursive: true });
  srv = await startTestServer({ webRoot, env: { TRUSTED_PROXIES: '127.0.0.1' } });
  base = srv.httpUrl;
  await addTestInstitution(srv);
  officer = await enrollTestOfficer(srv, 'sample-u', '登録 担当', 'ra@sample.ac.jp');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await srv?.dispose();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

/** Every http(s) request any page or worker of the context starts from now on. */
function recordRequests(page: Page): { urls: string[]; stop: () => void } {
  const urls: string[] = [];
  const on = (r: Request) => {
    if (/^https?:/.test(r.url())) urls.push(`${r.method()} ${r.url()}`);
  };
  page.context().on('request', on);
  return { urls, stop: () => page.context().off('request', on) };
}

/** Fill in a complete issuance row in the form (the row must be selected). */
async function fillIssueRow(page: Page, cn: string, ou: string, user: readonly [string, string, string]): Promise<void> {
  await page.locator('#field-1').fill(cn);
  if (ou !== '') {
    await page.getByRole('button', { name: /OU/ }).first().click();
    await page.locator('#dn-ou-0').fill(ou);
  }
  await page.locator('#field-2').selectOption('5');
  await page.locator('#field-3').selectOption('1');
  await page.locator('#field-8').fill(ADMIN[0]);
  await page.locator('#field-9').fill(ADMIN[1]);
  await page.locator('#field-10').fill(ADMIN[2]);
  await page.locator('#field-11').fill(user[0]);
  await page.locator('#field-13').fill(user[1]);
  await page.locator('#field-14').fill(user[2]);
}

async function download(page: Page): Promise<Buffer> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
  return readFileSync((await d.path())!);
}

describe('offline: write, check, fix, export', () => {
  it('works offline after one visit; the export passes tsv check and an upload unchanged; nothing is sent', async () => {
    const { context, page, sent } = await openWatchedPage(browser, { locale: 'ja-JP' });
    await gotoTool(page, base);
    await fetchProfile(page, 'sample-u');
    await waitOfflineReady(page);

    await context.setOffline(true);
    await page.reload();
    await page.locator('main h1').waitFor();
    await page.locator('[data-testid=network-badge][data-state=offline]').waitFor();
    // The profile stays loaded offline; fetching it again says why it cannot, and what to do instead.
    expect(await page.getByTestId('profile-card').textContent()).toContain('見本大学');
    await fetchProfile(page, 'sample-u');
    expect(await page.getByTestId('profile-message').textContent()).toContain('サーバーに接続できませんでした');
    await page.locator('button[data-kind=issue]').click();
    await page.getByTestId('row-form').waitFor();
    await waitChecked(page);
    const requests = recordRequests(page);
    const bodiesBefore = sent.length;

    // Errors: a CN with "!", a full-width ＠ in the user mail, the rest empty.
    await page.locator('#field-1').fill('SATO TARO!');
    await page.locator('#field-14').fill('taro＠sample.ac.jp');
    await page.locator('#problems-14 [data-code="203"]').waitFor();
    expect(await shownProblems(page)).toEqual(expect.arrayContaining(['203@1:1', '201@1:2', '201@1:3', '201@1:8', '201@1:11', '203@1:14']));
    expect(await page.locator('#dn-cn-problems [data-code="203"]').textContent()).toContain('「!」(U+0021)');
    expect(await page.locator('#field-14').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('export-download').click();
    expect(await page.getByTestId('export-result').textContent()).toMatch(/エラーが\d+件残っている/);

    // Fixed, and a second row that inherits profile, method and administrator from the first.
    await fillIssueRow(page, 'SATO TARO', '20261234', ['佐藤 太郎', '工学部①', 'taro@sample.ac.jp']);
    await page.getByRole('button', { name: '＋ 行を追加' }).click();
    await page.locator('#field-1').fill('ITO MISAKI');
    await page.locator('#field-11').fill('伊藤 美咲');
    await page.locator('#field-14').fill('misaki@sample.ac.jp');
    await waitErrors(page, 0);
    expect(await page.getByTestId('export-name').textContent()).toMatch(/^sample-u-issue-\d{8}\.tsv$/);
    const bytes = await download(page);
    requests.stop();

    const rows = [
      ['CN=SATO TARO,OU=20261234,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP', '5', '1', '', '', '', '', ...ADMIN, '佐藤 太郎', '', '工学部①', 'taro@sample.ac.jp', ''],
      ['CN=ITO MISAKI,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP', '5', '1', '', '', '', '', ...ADMIN, '伊藤 美咲', '', '', 'misaki@sample.ac.jp', ''],
    ];
    expect(Buffer.from(encodeTsv(rows)).equals(bytes)).toBe(true);
    const decoded = decodeTsv(new Uint8Array(bytes));
    expect(decoded.ok && decoded.encoding).toBe('cp932');
    expect(bytes.toString('latin1').split('\r\n')).toHaveLength(3);
    expect(bytes.toString('latin1').replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(requests.urls).toEqual([]);
    expect(sent.length).toBe(bodiesBefore);
    // Still offline: the draft is there after a reload, and on the start page.
    await page.reload();
    await expect(page.locator('[data-testid=row-table] tr[data-index="1"] td.dn').textContent()).resolves.toBe(rows[1]![0]);
    await gotoTool(page, base);
    expect(await page.getByTestId('drafts').locator('tbody tr').first().locator('td').nth(1).textContent()).toBe('2');
    await context.setOffline(false);

    const check = await cliCheck(srv, 'offline-export.tsv', bytes, 'issue');
    expect(check).toEqual({ code: 0, problems: [] });
    const up = await uploadViaApi(srv, officer, { file: { name: 'offline-export.tsv', bytes }, kind: 'issue', mode: 'abort', reviewed: 'true' });
    expect(up.status).toBe(200);
    expect(up.json()).toMatchObject({ registered: 2, rejected: 0 });
  });

  it('sends no request at all while editing online: typing, rows, paste, undo, copy', async () => {
    const { context, page, sent } = await openWatchedPage(browser, { locale: 'en-US', permissions: ['clipboard-read', 'clipboard-write'] });
    await gotoTool(page, base);
    await page.locator('button[data-kind=revoke]').click();
    await page.getByTestId('row-form').waitFor();
    await waitChecked(page);
    const requests = recordRequests(page);
    const bodies = sent.length;
    await page.getByRole('button', { name: 'Edit the DN as text' }).click();
    await page.locator('#field-1').fill('CN=SATO TARO,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP');
    await page.locator('#field-4').fill('123456');
    await page.locator('#field-5').selectOption('5');
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('button', { name: 'Paste from a spreadsheet…' }).click();
    await page.locator('#paste-text').fill('CN=X,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP\t\t\t777\t1\t\t\t\t\t\t\t\t\t\t');
    await page.getByRole('button', { name: 'Add the rows (1)' }).click();
    await page.getByRole('button', { name: /Undo/ }).click();
    await page.getByRole('button', { name: /Redo/ }).click();
    await waitChecked(page);
    await page.getByTestId('export-as-draft').check();
    await page.getByTestId('export-copy').click();
    await page.getByTestId('export-result').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('\t777\t1\t');
    requests.stop();
    expect(requests.urls).toEqual([]);
    expect(sent.length).toBe(bodies);
    await context.close();
  });
});

describe('the same codes as hakko tsv check', () => {
  const fixtures: readonly [string, string][] = [
    ['issue-p12-individual.tsv', 'issue'], ['issue-p12-bulk.tsv', 'issue'], ['issue-browser-smime.tsv', 'issue'],
    ['renew.tsv', 'renew'], ['revoke.tsv', 'revoke'], ['legacy-14-columns.txt', 'issue'],
  ];

  it('every fixture and a UTF-8 CSV: the tool shows the CLI codes, less those it names as checked at upload', async () => {
    const { context, page } = await openWatchedPage(browser, { locale: 'en-US' });
    await gotoTool(page, base);
    await fetchProfile(page, 'sample-u');
    const csvRows = [
      ['CN=ITO, MISAKI,OU=S0042,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP', '5', '1', '', '', '', '', ...ADMIN, '伊藤 "みさき"', '', '事務局', 'misaki@sample.ac.jp', ''],
      ['CN=BAD MAIL,O=Sample University,L=Tokyo-to,ST=Tokyo,C=JP', '5', '1', '', '', '', '', ...ADMIN, '〜波線', '', '', 'bad＠sample.ac.jp', ''],
    ];
    const csv = csvRows.map((r) => r.map((v) => (/[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(',')).join('\r\n') + '\r\n';
    const cases: { name: string; bytes: Uint8Array; kind: string; cliBytes: Uint8Array }[] = [
      ...fixtures.map(([name, kind]) => {
        const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, name)));
        return { name, bytes, kind, cliBytes: bytes };
      }),
      // The CLI reads TSV only: the same rows as a TSV (UTF-8, like the CSV) are its input.
      { name: 'people.csv', bytes: new TextEncoder().encode(csv), kind: 'issue', cliBytes: new TextEncoder().encode(csvRows.map((r) => r.join('\t')).join('\r\n')) },
    ];
    for (const c of cases) {
      await gotoTool(page, base);
      await openFileOnStart(page, c.name, c.bytes, c.name.endsWith('.csv') ? 'text/csv' : 'text/plain');
      await page.waitForURL(/\/tool\/draft\//);
      await waitChecked(page);
      expect(await page.locator('#draft-kind').inputValue(), c.name).toBe(c.kind);
      expect(await page.getByTestId('editor-notice').textContent(), c.name).toContain(c.name.endsWith('.csv') ? 'UTF-8' : 'CP932');
      const notChecked = new Set(await notCheckedCodes(page));
      const cli = await cliCheck(srv, c.name.replace(/\.csv$/, '.tsv'), c.cliBytes, c.kind);
      const expected = cli.problems.filter((p) => !notChecked.has(p.split('@')[0]!));
      const shown = await shownProblems(page);
      expect(shown, c.name).toEqual(expected);
      if (c.name === 'people.csv') expect(shown).toEqual(['305@2:1', '203@2:11', '203@2:14']);
      if (c.name === 'renew.tsv') expect(cli.problems).toEqual(['223@1:4']);
    }
    await context.close();
  });
});

describe('drafts', () => {
  it('survive a reload and a browser restart (persistent profile)', async () => {
    const userDataDir = mkdtempSync(path.join(tmpdir(), 'hakko-chromium-'));
    const launch = () => chromium.launchPersistentContext(userDataDir, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, locale: 'en-US' });
    try {
      let context = await launch();
      let page = context.pages()[0] ?? (await context.newPage());
      await gotoTool(page, base);
      await page.locator('button[data-kind=issue]').click();
      await page.getByTestId('row-form').waitFor();
      await page.locator('#draft-name').fill('Persistent draft');
      await page.locator('#field-1').fill('PERSIST ME');
      await page.locator('[data-testid=save-state][data-state=saved]').waitFor();
      const url = page.url();
      await page.reload();
      await expect(page.locator('#field-1').inputValue()).resolves.toBe('PERSIST ME');
      await context.close();

      context = await launch();
      page = context.pages()[0] ?? (await context.newPage());
      await gotoTool(page, base);
      const row = page.getByTestId('drafts').locator('tr', { hasText: 'Persistent draft' });
      await expect(row.locator('td').nth(1).textContent()).resolves.toBe('1');
      await row.getByRole('link', { name: 'Persistent draft' }).click();
      await page.waitForURL(url);
      await expect(page.locator('#field-1').inputValue()).resolves.toBe('PERSIST ME');
      await context.close();
    } finally {
      rmSync(userDataDir, { recursive: true, force: true });
    }
  });

  it('one draft opens in one tab at a time: a second tab is told and opens it, whole, once the first is closed', async () => {
    const { context, page: first } = await openWatchedPage(browser, { locale: 'ja-JP' });
    await gotoTool(first, base);
    await first.locator('button[data-kind=issue]').click();
    await first.getByTestId('row-form').waitFor();
    await first.locator('#field-1').fill('FIRST TAB');
    await first.locator('[data-testid=save-state][data-state=saved]').waitFor();

    const second = await context.newPage();
    await second.goto(first.url());
    await second.getByTestId('draft-elsewhere').waitFor();
    expect(await second.getByRole('heading', { level: 1 }).textContent()).toBe('この下書きは別のタブで開いています');
    expect(await second.locator('#field-1').count()).toBe(0);
    // The first tab goes on editing; nothing of the second tab can save over it.
    await first.locator('#field-1').fill('FIRST TAB, LATER');
    await first.locator('[data-testid=save-state][data-state=saved]').waitFor();
    await second.getByTestId('draft-retry').click();
    await second.getByTestId('draft-elsewhere').waitFor();

    await first.close();
    await second.getByTestId('draft-retry').click();
    await second.getByTestId('row-form').waitFor();
    await expect(second.locator('#field-1').inputValue()).resolves.toBe('FIRST TAB, LATER');
    await context.close();
  });

  it('a draft is backed up as JSON, restored from it, and deleted', async () => {
    const { context, page } = await openWatchedPage(browser, { locale: 'en-US' });
    await gotoTool(page, base);
    await page.locator('button[data-kind=revoke]').click();
    await page.getByTestId('row-form').waitFor();
    await page.locator('#draft-name').fill('To back up');
    await page.getByRole('button', { name: 'Edit the DN as text' }).click();
    await page.locator('#field-1').fill('CN=A〜,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP');
    await page.locator('[data-testid=save-state][data-state=saved]').waitFor();
    await gotoTool(page, base);
    const row = page.getByTestId('drafts').locator('tr', { hasText: 'To back up' });
    const [backup] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Save a backup (JSON) of “To back up”' }).click()]);
    expect(backup.suggestedFilename()).toBe('To_back_up.hakko-draft.json');
    const json = readFileSync((await backup.path())!, 'utf8');
    expect(JSON.parse(json)).toMatchObject({ format: 'hakko-tool-draft', kind: 'revoke', name: 'To back up' });
    expect(JSON.parse(json).rows[0][0]).toBe('CN=A〜,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP');

    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Delete “To back up”' }).click();
    await page.getByTestId('start-message').waitFor();
    await expect(page.getByTestId('drafts').locator('tr', { hasText: 'To back up' }).count()).resolves.toBe(0);

    await openFileOnStart(page, 'To_back_up.hakko-draft.json', new TextEncoder().encode(json), 'application/json');
    await page.waitForURL(/\/tool\/draft\//);
    await expect(page.locator('#draft-kind').inputValue()).resolves.toBe('revoke');
    await expect(page.getByTestId('dn-text').textContent()).resolves.toBe('CN=A〜,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP');
    await context.close();
  });

  it('with IndexedDB disabled the page says so and keeps working in memory', async () => {
    const { context, page } = await openWatchedPage(browser, { locale: 'en-US' });
    await context.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { get() { throw new DOMException('disabled', 'SecurityError'); } });
    });
    await gotoTool(page, base);
    await page.getByTestId('storage-warning').waitFor();
    await page.locator('button[data-kind=admin]').click();
    await page.getByTestId('row-form').waitFor();
    await page.getByRole('button', { name: 'Edit the DN as text' }).click();
    await page.locator('#field-1').fill('CN=A,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP');
    await expect(page.getByTestId('save-state').getAttribute('data-state')).resolves.toBe('memory');
    expect(await page.getByTestId('storage-warning').textContent()).toContain('export your file before closing');
    await context.close();
  });
});

describe('institution profile', () => {
  it('imports the allowlist JSON the officer passes on; a wrong file is refused naming the field', async () => {
    const { context, page } = await openWatchedPage(browser, { locale: 'en-US' });
    await gotoTool(page, base);
    await page.getByTestId('no-profile').waitFor();
    const json = await (await fetch(`${base}/api/institutions/sample-u/profile`)).text();
    await page.getByTestId('profile-file').setInputFiles({ name: 'sample-u-profile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...JSON.parse(json), methods: [9] })) });
    await expect(page.getByTestId('profile-message').textContent()).resolves.toContain('(field “methods”)');
    await page.getByTestId('profile-file').setInputFiles({ name: 'sample-u-profile.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await page.getByTestId('profile-message').filter({ hasText: 'Using the profile of Sample University.' }).waitFor();
    const card = await page.getByTestId('profile-card').textContent();
    expect(card).toContain('Imported from sample-u-profile.json');
    expect(card).toContain('Bunkyo-ku');
    // Kept: after a reload the profile is still in use.
    await page.reload();
    await page.getByTestId('profile-card').waitFor();
    await expect(page.getByTestId('profile-card').textContent()).resolves.toContain('Imported from sample-u-profile.json');
    expect(await page.getByTestId('no-profile').count()).toBe(0);
    await context.close();
  });
});

describe('viewer', () => {
  it('opens the officer’s information file: states, filters, counts; expiring certificates become a renewal draft that passes tsv check', async () => {
    const issued = await issueCertificates(srv, officer, 3);
    const revoke = await officerRequest(srv, officer, 'POST', `/api/officer/certificates/${issued[1]!.serial}/revoke`, {
      bytes: Buffer.from(JSON.stringify({ reason: 5, comment: '' })), contentType: 'application/json',
    });
    expect(revoke.status).toBe(200);
    const exported = await officerRequest(srv, officer, 'GET', '/api/officer/export.tsv');
    expect(exported.status).toBe(200);
    const { context, page } = await openWatchedPage(browser, { locale: 'ja-JP' });
    await gotoTool(page, base, '/view');
    await page.getByTestId('view-file').setInputFiles({ name: 'sample-u-certificates.tsv', mimeType: 'text/tab-separated-values', buffer: exported.bytes });
    const count = page.getByTestId('view-count');
    await count.waitFor();
    const decoded = decodeTsv(new Uint8Array(exported.bytes));
    const lines = decoded.ok ? decoded.text.split('\r\n').slice(1, -1) : [];
    const total = lines.length;
    const pending = lines.filter((l) => l.split('\t')[11] === '2').length;
    expect(total).toBe(3 + pending);
    expect(Number(await count.getAttribute('data-total'))).toBe(total);
    expect(await page.locator('[data-testid=view-table] thead th').nth(5).textContent()).toContain('主体者DN');
    const states = await page.getByTestId('view-state-filter').locator('option').allTextContents();
    expect(states).toEqual([`すべて (${total})`, ...(pending > 0 ? [`2 PIN未取得 (${pending})`] : []), '5 発行済み (2)', '7 失効済み (1)']);
    await page.getByTestId('view-state-filter').selectOption('7');
    await expect(count.getAttribute('data-shown')).resolves.toBe('1');
    expect(await page.locator('[data-testid=view-table] tbody tr[data-row]').textContent()).toContain(issued[1]!.dn);
    await page.getByTestId('view-state-filter').selectOption('');
    await page.getByTestId('view-keyword').fill(issued[2]!.serial);
    await expect(count.getAttribute('data-shown')).resolves.toBe('1');
    expect(await count.textContent()).toBe(`${total}行中 1行を表示`);
    await page.getByTestId('view-keyword').fill('');
    // Sorting by request ID, then the other way round.
    const idHeader = page.locator('[data-testid=view-table] thead th', { hasText: '申請ID' });
    const firstId = () => page.locator('[data-testid=view-table] tbody tr[data-row] td').nth(2).textContent();
    await idHeader.getByRole('button').click();
    await expect(idHeader.getAttribute('aria-sort')).resolves.toBe('ascending');
    const ids = lines.map((l) => Number(l.split('\t')[0]));
    await expect(firstId()).resolves.toBe(String(Math.min(...ids)));
    await idHeader.getByRole('button').click();
    await expect(idHeader.getAttribute('aria-sort')).resolves.toBe('descending');
    await expect(firstId()).resolves.toBe(String(Math.max(...ids)));
    // English headers on switching the language.
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.locator('[data-testid=view-table] thead th').nth(5).textContent()).toContain('Subject DN');
    await page.getByTestId('view-expiring').selectOption('30');
    await expect(count.getAttribute('data-shown')).resolves.toBe('0');
    await page.getByTestId('renew-none').waitFor();

    // Ten days before the first certificate's not-after, both valid ones are expiring.
    const expiry = new X509Certificate(issued[0]!.certPem).validToDate;
    await page.clock.setFixedTime(new Date(expiry.getTime() - 10 * 86_400_000));
    await page.reload();
    await page.getByTestId('view-file').setInputFiles({ name: 'sample-u-certificates.tsv', mimeType: 'text/tab-separated-values', buffer: exported.bytes });
    await page.getByTestId('view-expiring').selectOption('30');
    await expect(count.getAttribute('data-shown')).resolves.toBe('2');
    await page.getByTestId('make-renewal').click();
    await page.waitForURL(/\/tool\/draft\//);
    expect(await page.locator('#draft-kind').inputValue()).toBe('renew');
    await page.clock.setFixedTime(new Date());
    const rows = await page.locator('[data-testid=row-table] tbody tr[data-index]').count();
    expect(rows).toBe(2);
    await page.getByTestId('export-as-draft').check();
    const bytes = await download(page);
    const check = await cliCheck(srv, 'renewal.tsv', bytes, 'renew');
    expect(check).toEqual({ code: 0, problems: [] });
    await context.close();
  });

  it('shows a request file’s check result without uploading it', async () => {
    const { context, page } = await openWatchedPage(browser, { locale: 'en-US' });
    await gotoTool(page, base, '/view');
    const requests = recordRequests(page);
    await page.getByTestId('view-file').setInputFiles({ name: 'legacy-14-columns.txt', mimeType: 'text/plain', buffer: readFileSync(path.join(FIXTURES, 'legacy-14-columns.txt')) });
    await page.getByTestId('view-count').waitFor();
    await page.getByTestId('no-problems').waitFor();
    // No profile in this browser: 305/306 are named as not checked, never reported as OK silently.
    expect(await notCheckedCodes(page)).toEqual(expect.arrayContaining(['212', '301', '305', '306', '307']));
    expect(await page.getByTestId('view-state').allTextContents()).toEqual(['OK (partly checked)']);
    requests.stop();
    expect(requests.urls).toEqual([]);
    await context.close();
  });
});

describe('keyboard and characters', () => {
  it('the row table: select, move, delete and undo with the keyboard; Enter edits; changes are announced', async () => {
    const { context, page } = await openWatchedPage(browser, { locale: 'en-US' });
    await gotoTool(page, base);
    await page.getByTestId('open-file').setInputFiles({ name: 'three.tsv', mimeType: 'text/plain', buffer: Buffer.from(['A', 'B', 'C'].map((cn) => `CN=${cn},O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP${'\t'.repeat(14)}`).join('\n')) });
    await page.waitForURL(/\/tool\/draft\//);
    await waitChecked(page);
    const cn = (i: number) => page.locator(`[data-testid=row-table] tr[data-index="${i}"] td.dn`).textContent();
    await page.locator('[data-testid=row-table] tr[data-index="0"]').focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-index'))).resolves.toBe('1');
    await page.keyboard.press('Alt+ArrowUp');
    await expect(cn(0)).resolves.toMatch(/^CN=B,/);
    await page.locator('[data-testid=announcer]', { hasText: 'Row moved to line 1' }).waitFor();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-index'))).resolves.toBe('0');
    await page.keyboard.press('Delete');
    await page.locator('[data-testid=announcer]', { hasText: 'Row 1 deleted' }).waitFor();
    await expect(cn(0)).resolves.toMatch(/^CN=A,/);
    await page.keyboard.press('Control+z');
    await expect(cn(0)).resolves.toMatch(/^CN=B,/);
    await page.locator('[data-testid=announcer]', { hasText: 'Undone' }).waitFor();
    // Rows copied in a spreadsheet, pasted onto the table.
    await page.locator('[data-testid=row-table] tr[data-index="0"]').evaluate((row) => {
      const data = new DataTransfer();
      data.setData('text/plain', `CN=D,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP${'\t'.repeat(14)}\r\n`);
      row.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await page.locator('[data-testid=announcer]', { hasText: 'Rows added: 1' }).waitFor();
    await expect(cn(3)).resolves.toMatch(/^CN=D,/);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('field-1');
    await expect(page.locator('#form-heading').textContent()).resolves.toBe('Line 4');
    await context.close();
  });

  it('a character CP932 cannot hold is an error at its field, and a draft export names its place', async () => {
    const { context, page } = await openWatchedPage(browser, { locale: 'ja-JP' });
    await gotoTool(page, base);
    await page.locator('button[data-kind=issue]').click();
    await page.getByTestId('row-form').waitFor();
    await page.locator('#field-11').fill('山田〜花子');
    await page.locator('#problems-11 [data-code="203"]').waitFor();
    expect(await page.locator('#problems-11').textContent()).toContain('「〜」(U+301C)');
    await page.getByTestId('export-as-draft').check();
    await page.getByTestId('export-download').click();
    const result = page.getByTestId('export-result');
    await expect(result.textContent()).resolves.toContain('1行目 利用者氏名 の3文字目：「〜」U+301C');
    await context.close();
  });
});

/** Writes a file of the new "deployment" with its precompressed variants, as the build does. */
function deploy(file: string, text: string): void {
  const bytes = Buffer.from(text);
  writeFileSync(file, bytes);
  if (existsSync(`${file}.br`)) writeFileSync(`${file}.br`, brotliCompressSync(bytes));
  if (existsSync(`${file}.gz`)) writeFileSync(`${file}.gz`, gzipSync(bytes));
}

describe('service worker update', () => {
  it('a new deployment: fresh HTML for every page at once, and the tool offers the update, which then controls the page', async () => {
    const { context, page } = await openWatchedPage(browser, { locale: 'en-US' });
    await gotoTool(page, base);
    await waitOfflineReady(page);
    const before = await page.evaluate(() => caches.keys());
    expect(before).toHaveLength(1);
    // "Deploy": a new service worker version and a changed page.
    const swFile = path.join(webRoot, 'service-worker.js');
    const sw = readFileSync(swFile, 'utf8');
    deploy(swFile, sw.replace(/(\w)=`(\d{10,})`/, (_m, v: string, n: string) => `${v}=\`${n}9\``));
    const indexFile = path.join(webRoot, 'index.html');
    deploy(indexFile, readFileSync(indexFile, 'utf8').replace('</head>', '<!-- deployment 2 -->\n</head>'));

    // Another page of the old version's scope gets the new HTML straight away (network first).
    const other = await context.newPage();
    const html = await (await other.goto(`${base}/officer`))!.text();
    expect(html).toContain('<!-- deployment 2 -->');
    await other.close();

    await page.reload();
    await page.getByTestId('update-prompt').waitFor();
    await page.getByRole('button', { name: 'Update now' }).click();
    await page.waitForFunction((old) => caches.keys().then((k) => k.length === 1 && k[0] !== old), before[0]);
    // The page reloads under the new worker: the prompt goes away (a check right after the cache
    // switch could still see the old page before its reload, so wait for the prompt to leave).
    await page.getByTestId('update-prompt').waitFor({ state: 'detached' });
    await page.locator('main h1').waitFor();
    await expect(page.getByTestId('update-prompt').count()).resolves.toBe(0);
    await context.close();
  });
});
