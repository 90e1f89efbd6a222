/**
 * The officer dashboard in Debian's Chromium with the officer's certificate (spec 06 §Dashboard;
 * issue 12), in Japanese and in English: upload in valid-only mode (a preview NG row caught in the
 * browser) and in abort mode (an error only the server sees), reading the result table and its
 * report; find a certificate, check its decoded fields, revoke it; re-issue a request's URLs and
 * cancel one; download the information file and the ZIP; the allowlist and its profile JSON; the
 * API reference; a 10,000-row preview in a worker, 100 rows a page. Screenshots of every page and
 * state, both languages, desktop and 390 px.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { en, ja } from '../../web/lib/i18n/all.ts';
import { decodeTsv, encodeTsv } from '../../api/domain/tsv/codec.ts';
import { infoFileHeader } from '../../api/domain/tsv/info-file.ts';
import { ensureWebBuild } from '../helpers/build-web.ts';
import { launchChromium, screenshot, type WatchedPage } from '../helpers/browser.ts';
import { issueCertificates, type IssuedCertificate } from '../helpers/issued.ts';
import { officerRequest, SAMPLE_INSTITUTION } from '../helpers/officer.ts';
import { buildOfficerFixture, type OfficerFixture } from '../helpers/officer-fixture.ts';
import { officerPage, realProblems, viewportShot, type Device } from '../helpers/officer-browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const T = { ja, en };
const LANGS = ['ja', 'en'] as const;
type Lang = (typeof LANGS)[number];
let srv: TestServer;
let browser: Browser;
let f: OfficerFixture;
let origin: string;
const mine: Record<Lang, IssuedCertificate> = {} as never;
const opened: WatchedPage[] = [];

beforeAll(async () => {
  const webRoot = await ensureWebBuild();
  srv = await startTestServer({ webRoot, env: { TRUSTED_PROXIES: '127.0.0.1' } });
  origin = new URL(srv.services.config.publicHttpsUrl).origin;
  f = await buildOfficerFixture(srv);
  [mine.ja, mine.en] = (await issueCertificates(srv, f.a, 2)) as [IssuedCertificate, IssuedCertificate];
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  for (const p of opened) expect(realProblems(p.problems)).toEqual([]);
  for (const p of opened) await p.context.close();
  await browser?.close();
  await srv?.dispose();
});

async function open(lang: Lang, url: string, device: Device = 'desktop'): Promise<Page> {
  const w = await officerPage(browser, origin, f.a, lang, device);
  opened.push(w);
  await w.page.goto(origin + url);
  await w.page.getByTestId('who').waitFor();
  return w.page;
}

/** One issuance row of the sample institution (CP932 file by `encodeTsv`). */
function row(cn: string, mail: string, ou = ''): string[] {
  const dn = `CN=${cn},${ou ? `OU=${ou},` : ''}O=${SAMPLE_INSTITUTION.o},L=${SAMPLE_INSTITUTION.l},ST=${SAMPLE_INSTITUTION.st},C=JP`;
  return [dn, '13', '3', '', '', '', '', '管理 花子', '情報基盤センター', 'admin@sample.ac.jp', '利用者 花子', '', '工学部', mail, ''];
}

async function chooseFile(page: Page, name: string, rows: string[][]) {
  await page.getByTestId('tsv-input').setInputFiles({ name, mimeType: 'text/tab-separated-values', buffer: Buffer.from(encodeTsv(rows)) });
  await page.getByTestId('preview-counts').waitFor();
}

async function confirmChecklist(page: Page, lang: Lang, shot: string) {
  await page.getByRole('button', { name: T[lang]['officer.upload.next'] }).click();
  const dialog = page.getByRole('dialog', { name: T[lang]['officer.upload.review.title'] });
  await dialog.waitFor();
  const confirm = dialog.getByRole('button', { name: T[lang]['officer.upload.review.confirm'] });
  expect(await confirm.isDisabled()).toBe(true);
  for (const key of ['officer.upload.review.identity', 'officer.upload.review.content', 'officer.upload.review.members'] as const) {
    await dialog.getByLabel(T[lang][key]).check();
  }
  expect(await confirm.isDisabled()).toBe(false);
  await viewportShot(page, shot);
  await confirm.click();
  await page.getByRole('heading', { name: T[lang]['officer.result.title'] }).waitFor();
}

describe.each(LANGS)('the officer\'s day (%s)', (lang) => {
  const t = T[lang];
  let uploadId = '';

  it('upload, valid-only: the preview catches a foreign mail domain (301) in the browser; abort mode refuses to send; valid-only registers the good row', async () => {
    const page = await open(lang, '/officer/upload');
    await screenshot(page, `officer-upload-empty-desktop-${lang}`);
    expect(await page.getByLabel(t['officer.mode.abort'], { exact: false }).isChecked()).toBe(true);
    await chooseFile(page, `issue-${lang}.tsv`, [row(`GOOD ${lang}`, `good-${lang}@sample.ac.jp`), row(`BAD ${lang}`, `bad-${lang}@elsewhere.example`)]);
    expect(await page.getByTestId('preview-counts').textContent()).toContain(lang === 'ja' ? 'OK 1 行、NG 1 行' : '1 OK, 1 NG');
    await page.getByText(/^301:14,/).waitFor();
    expect(await page.getByRole('button', { name: t['officer.upload.next'] }).isDisabled()).toBe(true);
    await page.getByText(t['officer.upload.block.abortWithErrors']).waitFor();
    await screenshot(page, `officer-upload-preview-ng-desktop-${lang}`);
    await page.getByLabel(t['officer.mode.validOnly'], { exact: false }).check();
    await confirmChecklist(page, lang, `officer-upload-checklist-desktop-${lang}`);
    await page.getByText(t['officer.result.registered'].replace('{n}', '1')).waitFor();
    const table = page.getByRole('table', { name: t['officer.result.tableCaption'] });
    expect(await table.locator('tbody tr').count()).toBe(2);
    expect(await table.locator('tbody tr').nth(1).textContent()).toContain('301:14');
    await screenshot(page, `officer-upload-result-desktop-${lang}`);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: t['officer.result.report'] }).click();
    const report = decodeTsv(new Uint8Array(readFileSync((await (await download).path())!)));
    expect(report.ok && report.text.split('\r\n')[2]).toMatch(/^2\tNG\t301:14,/);
    uploadId = new URL(await page.getByRole('link', { name: t['officer.result.toRequests'] }).evaluate((a) => (a as HTMLAnchorElement).href)).searchParams.get('upload')!;
  });

  it('upload, abort: a DN that already exists (212, a server-side check) registers nothing; the result table says why', async () => {
    const page = await open(lang, '/officer/upload');
    await chooseFile(page, `dup-${lang}.tsv`, [row(`FRESH ${lang}`, `fresh-${lang}@sample.ac.jp`), row(`GOOD ${lang}`, `good2-${lang}@sample.ac.jp`)]);
    expect(await page.getByTestId('preview-counts').textContent()).toContain(lang === 'ja' ? 'OK 2 行、NG 0 行' : '2 OK, 0 NG');
    await confirmChecklist(page, lang, `officer-upload-checklist-abort-desktop-${lang}`);
    await page.getByText(t['officer.result.nothingAbort']).waitFor();
    await page.getByText(/^212:1,/).waitFor();
    await screenshot(page, `officer-upload-result-abort-desktop-${lang}`);
  });

  it('requests: the new request is waiting for its PIN; re-issue its URLs after a confirmation that says the old links die', async () => {
    const page = await open(lang, `/officer/requests?upload=${uploadId}`);
    const first = page.locator('tbody tr[data-request]').first();
    await first.waitFor();
    expect(await first.textContent()).toContain(t['officer.requestState.pinPending']);
    await screenshot(page, `officer-requests-desktop-${lang}`);
    await first.getByRole('button', { name: t['officer.requests.reissue'] }).click();
    const dialog = page.getByRole('dialog', { name: t['officer.requests.reissueTitle'] });
    await dialog.getByText(t['officer.requests.reissueBody']).waitFor();
    await viewportShot(page, `officer-requests-reissue-desktop-${lang}`);
    await dialog.getByRole('button', { name: t['officer.requests.reissueConfirm'] }).click();
    await page.getByRole('status').getByText(t['officer.requests.reissued'].replace('{n}', '1')).waitFor();
    const id = await first.getAttribute('data-request');
    const audit = await srv.services.db.execute(sql`select count(*)::int as n from audit_log where action = 'request.reissue' and object = ${`request:${id}`}`);
    expect(Number(((audit as { rows?: { n: number }[] }).rows ?? (audit as unknown as { n: number }[]))[0]!.n)).toBe(1);
  });

  it('certificates: find mine by CN, see it decoded as OpenSSL reads it, revoke it naming the DN', async () => {
    const c = mine[lang];
    const cn = /CN=([^,]+),/.exec(c.dn)![1]!;
    const page = await open(lang, '/officer/certificates');
    await page.getByLabel(t['officer.certs.search.label']).fill(cn.toLowerCase());
    await page.getByRole('button', { name: t['officer.certs.search.submit'], exact: true }).click();
    await page.waitForURL(/q=/);
    await page.getByTestId('cert-count').getByText(lang === 'ja' ? '1 件' : '1 certificates').waitFor();
    await screenshot(page, `officer-certificates-search-desktop-${lang}`);
    await page.getByRole('link', { name: cn, exact: true }).click();
    await page.getByTestId('sha256').waitFor();
    const x = new X509Certificate(c.certPem);
    expect(await page.getByTestId('sha256').textContent()).toBe(x.fingerprint256);
    expect(await page.getByTestId('serial-dec').textContent()).toBe(c.serial);
    await screenshot(page, `officer-certificate-detail-desktop-${lang}`);
    await page.getByRole('button', { name: t['officer.cert.revoke'] }).click();
    const dialog = page.getByRole('dialog', { name: t['officer.revoke.title'] });
    expect(await dialog.getByTestId('revoke-dn').textContent()).toBe(c.dn);
    expect(await dialog.getByRole('button', { name: t['officer.revoke.confirm'] }).isDisabled()).toBe(true);
    await dialog.getByLabel(t['officer.revoke.reason'], { exact: true }).selectOption('3');
    await dialog.getByLabel(t['officer.revoke.comment']).fill(lang === 'ja' ? '所属変更のため' : 'moved to another institution');
    await viewportShot(page, `officer-certificate-revoke-desktop-${lang}`);
    await dialog.getByRole('button', { name: t['officer.revoke.confirm'] }).click();
    await page.getByRole('status').getByText(t['officer.revoke.done'].replace('{serial}', c.serial)).waitFor();
    await page.getByText(t['officer.certState.revoked'], { exact: true }).first().waitFor();
    await screenshot(page, `officer-certificate-revoked-desktop-${lang}`);
    const after = await officerRequest(srv, f.a, 'GET', `/api/officer/certificates/${c.serial}`);
    expect(after.json().certificate).toMatchObject({ state: 'revoked', revocationReason: 3 });
  });

  it('downloads: the information file (CP932, header in the page language) and the ZIP (unzip -t)', async () => {
    const page = await open(lang, '/officer/downloads');
    await screenshot(page, `officer-downloads-desktop-${lang}`);
    const tsv = page.waitForEvent('download');
    await page.getByTestId(`export-tsv-${lang}`).click();
    const d = decodeTsv(new Uint8Array(readFileSync((await (await tsv).path())!)));
    expect(d.ok && d.encoding).toBe('cp932');
    expect(d.ok && d.text.split('\r\n')[0]!.split('\t')).toEqual(infoFileHeader(lang));
    const zip = page.waitForEvent('download');
    await page.getByTestId(`export-zip-${lang}`).click();
    const z = await zip;
    expect(z.suggestedFilename()).toMatch(/^sample-u-certificates-\d{8}\.zip$/);
    expect(execFileSync('unzip', ['-t', (await z.path())!], { encoding: 'utf8' })).toMatch(/No errors detected/);
  });

  it('allowlist: the registered values and the profile JSON the TSV tool imports', async () => {
    const page = await open(lang, '/officer/allowlist');
    await page.getByTestId('profile-json').waitFor();
    await screenshot(page, `officer-allowlist-desktop-${lang}`);
    const dl = page.waitForEvent('download');
    await page.getByTestId('profile-json').click();
    const json = JSON.parse(readFileSync((await (await dl).path())!, 'utf8'));
    expect(json).toMatchObject({ code: 'sample-u', o: SAMPLE_INSTITUTION.o, l: SAMPLE_INSTITUTION.l, st: SAMPLE_INSTITUTION.st, domains: ['sample.ac.jp'] });
  });
});

describe('more states', () => {
  it('cancel a request (ja): the dialog says the cancellation is final; the row becomes cancelled', async () => {
    const page = await open('ja', `/officer/requests?upload=${f.openUpload}`);
    const first = page.locator('tbody tr[data-request]').first();
    await first.getByRole('button', { name: ja['officer.requests.cancel'] }).click();
    const dialog = page.getByRole('dialog', { name: ja['officer.requests.cancelTitle'] });
    await viewportShot(page, 'officer-requests-cancel-desktop-ja');
    await dialog.getByRole('button', { name: ja['officer.requests.cancelConfirm'] }).click();
    await first.getByText(ja['officer.requestState.cancelled']).waitFor();
  });

  it('the renewed certificate offers to revoke the one it replaced (reason 4 preset)', async () => {
    for (const lang of LANGS) {
      const page = await open(lang, `/officer/certificates/${f.renewal.serial}`);
      await page.getByRole('button', { name: T[lang]['officer.cert.replaced.revoke'] }).click();
      const dialog = page.getByRole('dialog', { name: T[lang]['officer.revoke.title'] });
      expect(await dialog.getByTestId('revoke-dn').textContent()).toBe(f.issued[2]!.dn);
      expect(await dialog.getByLabel(T[lang]['officer.revoke.reason'], { exact: true }).inputValue()).toBe('4');
      await viewportShot(page, `officer-certificate-replaced-desktop-${lang}`);
      await dialog.getByRole('button', { name: T[lang]['dash.dialog.cancel'] }).click();
    }
  });

  it('a 10,000-row file previews in a worker, 100 rows a page', async () => {
    const w = await officerPage(browser, origin, f.a, 'en');
    opened.push(w);
    const workers: string[] = [];
    w.page.on('worker', (wk) => workers.push(wk.url()));
    await w.page.goto(`${origin}/officer/upload`);
    const rows = Array.from({ length: 10_000 }, (_, i) => row(`BULK ${i}`, `bulk${i}@sample.ac.jp`, `2026${String(i).padStart(5, '0')}`));
    await chooseFile(w.page, 'bulk.tsv', rows);
    expect(await w.page.getByTestId('preview-counts').textContent()).toContain('10,000 rows: 10,000 OK, 0 NG');
    expect(workers.some((u) => /preview\.worker/.test(u))).toBe(true);
    const table = w.page.getByRole('table', { name: en['officer.upload.preview.caption'] });
    expect(await table.locator('tbody tr').count()).toBe(100);
    await w.page.getByRole('group', { name: en['officer.rows.paging'] }).getByRole('button', { name: en['dash.pager.next'] }).click();
    expect(await table.locator('tbody tr').first().locator('td').first().textContent()).toBe('101');
    await screenshot(w.page, 'officer-upload-preview-10000-desktop-en');
  });

  it('the API reference lists every operation of /api/openapi.json', async () => {
    const doc = (await (await fetch(`${srv.httpUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const lang of LANGS) {
      const w = await officerPage(browser, origin, null, lang);
      opened.push(w);
      await w.page.goto(`${srv.httpUrl}/docs/api`);
      await w.page.getByRole('heading', { name: T[lang]['apiDocs.schemas'] }).waitFor();
      for (const [p, item] of Object.entries(doc.paths)) {
        for (const method of Object.keys(item)) expect(await w.page.locator('article.op h3', { hasText: p }).filter({ hasText: method.toUpperCase() }).count(), `${method} ${p}`).toBeGreaterThan(0);
      }
      // The top of the page: the whole reference is ≈ 100,000 px tall since the operator API joined
      // it (issue 13), more than a full-page capture in Chromium finishes.
      await viewportShot(w.page, `api-docs-desktop-${lang}`);
    }
  });
});

describe('every page at 390 px and in both languages', () => {
  const PAGES = ['/officer', '/officer/upload', '/officer/requests', '/officer/certificates', '/officer/downloads', '/officer/allowlist'];
  for (const lang of LANGS) {
    it(`phone, ${lang}`, async () => {
      for (const p of [...PAGES, `/officer/certificates/${f.issued[1]!.serial}`, `/officer/uploads/${f.openUpload}`]) {
        const page = await open(lang, p, 'phone');
        await page.locator('main h1').first().waitFor();
        await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]') && !/読み込んでいます|Loading/.test(document.querySelector('main')?.textContent ?? ''));
        const name = p.replace(/^\/officer\/?/, '').replace(/\/\d+$/, '-detail').replace(/\//g, '-') || 'home';
        await screenshot(page, `officer-${name}-phone-${lang}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), p).toBe(true);
      }
    });
  }
});
