/**
 * The README's first run (issue 12), in Debian's Chromium on a fresh server: `hakko demo` prints the
 * officer's enrollment URL, PIN and sample file; the officer's certificate from that URL opens the
 * dashboard; the sample file is uploaded (preview, checklist, result); the built-in mailbox holds
 * the notices; the users' pickups complete and the dashboard lists their certificates. The README's
 * screenshots come from here (test-results/screenshots/readme-*.png, copied to docs/screenshots).
 *
 * The officer's enrollment and the first user's PIN and pickup go through the browser pages, as the
 * README says; the two other users pick up with the Node pickup client (tests/helpers/pickup-client.ts)
 * to keep the run short — the browser pickup itself is proved in tests/e2e/pickup-*.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser } from 'playwright-core';
import { en } from '../../web/lib/i18n/all.ts';
import { ensureWebBuild } from '../helpers/build-web.ts';
import { launchChromium, openWatchedPage, privateKeyMaterial, screenshot, type WatchedPage } from '../helpers/browser.ts';
import { pickUpUploaded, requestLinks } from '../helpers/issued.ts';
import { freshIp } from '../helpers/world.ts';
import { officerPage, realProblems } from '../helpers/officer-browser.ts';
import { runCli, startTestServer, type TestServer } from '../helpers/server.ts';

let srv: TestServer;
let browser: Browser;
let demo: { url: string; pin: string; sampleFile: string };
let officer: { certPem: string; keyPem: string };
let origin: string;
let dir: string;
const opened: WatchedPage[] = [];

/** A pickup-side page (plain HTTP listener) acting as a client address of its own. */
async function userPage(): Promise<WatchedPage> {
  const w = await openWatchedPage(browser, { locale: 'en-US', acceptDownloads: true, extraHTTPHeaders: { 'x-forwarded-for': freshIp() } });
  opened.push(w);
  return w;
}

beforeAll(async () => {
  const webRoot = await ensureWebBuild();
  // No TRUSTED_PROXIES: the browser reads the built-in mailbox as a direct loopback client.
  srv = await startTestServer({ webRoot });
  dir = mkdtempSync(path.join(tmpdir(), 'hakko-first-run-'));
  origin = new URL(srv.services.config.publicHttpsUrl).origin;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const w of opened) expect(realProblems(w.problems)).toEqual([]);
  // The keys were made in the browser: no request of any page carried private key material.
  for (const w of opened) for (const s of w.sent) expect(privateKeyMaterial(s.body), `${s.method} ${s.url}`).toBeNull();
  for (const w of opened) await w.context.close();
  await browser?.close();
  await srv?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function dashboard(path: string): Promise<WatchedPage> {
  const w = await officerPage(browser, origin, officer, 'en');
  opened.push(w);
  await w.page.goto(origin + path);
  await w.page.getByTestId('who').waitFor();
  return w;
}

describe('first run', () => {
  it('2. npx hakko demo: the institution, the officer\'s enrollment URL and PIN, the sample file', async () => {
    const r = await runCli(srv.env, ['demo', '--json']);
    expect(r.code, r.stderr).toBe(0);
    demo = JSON.parse(r.stdout);
    expect(demo.url).toMatch(/\/pickup\/[A-Za-z0-9_-]{43}$/);
  });

  it('3–5. the enrollment URL in the browser gives the officer certificate; the dashboard greets the demo officer', async () => {
    const { page } = await userPage();
    await page.goto(demo.url);
    await page.locator('#pin').fill(demo.pin);
    await page.getByRole('button', { name: en['pickup.pin.submit'] }).click();
    await page.locator('[data-testid=create]').waitFor();
    await screenshot(page, 'readme-enrollment');
    // The PIN is offered as the file password (README step 3): keep it.
    const download = page.waitForEvent('download');
    await page.locator('[data-testid=create]').click();
    const p12 = path.join(dir, (await download).suggestedFilename());
    await (await download).saveAs(p12);
    await page.locator('[data-testid=saved-check]').check();
    await page.locator('[data-testid=confirm]').click();
    await page.locator('[data-testid=done]').waitFor();
    const pem = (args: string[]) => execFileSync('openssl', ['pkcs12', '-in', p12, '-passin', `pass:${demo.pin}`, ...args], { encoding: 'utf8' });
    officer = { certPem: pem(['-clcerts', '-nokeys']), keyPem: pem(['-nocerts', '-nodes']) };
    const { page: dash } = await dashboard('/officer');
    expect(await dash.getByTestId('who').textContent()).toContain('Demo University');
    await dash.locator('[aria-busy="false"]').first().waitFor();
    await screenshot(dash, 'readme-officer-home');
  });

  it('6. the sample file: checked in the browser, registered after the review checklist', async () => {
    const { page } = await dashboard('/officer/upload');
    await page.getByTestId('tsv-input').setInputFiles({ name: 'demo-issue.tsv', mimeType: 'text/tab-separated-values', buffer: readFileSync(demo.sampleFile) });
    await page.getByTestId('preview-counts').getByText('3 rows: 3 OK, 0 NG').waitFor();
    await screenshot(page, 'readme-upload-preview');
    await page.getByRole('button', { name: en['officer.upload.next'] }).click();
    const dialog = page.getByRole('dialog');
    for (const key of ['officer.upload.review.identity', 'officer.upload.review.content', 'officer.upload.review.members'] as const) await dialog.getByLabel(en[key]).check();
    await dialog.getByRole('button', { name: en['officer.upload.review.confirm'] }).click();
    await page.getByText(en['officer.result.registered'].replace('{n}', '3')).waitFor();
    await screenshot(page, 'readme-upload-result');
  });

  it('7. the built-in mailbox holds the officer\'s enrollment notice and, for each of the three users, the PIN URL notice (to the user administrator) and the pickup URL notice (to the user)', async () => {
    srv.worker?.kick();
    // The outbox worker delivers on its own time: wait until the mailbox holds the seven mails.
    await vi.waitFor(async () => {
      const r = await srv.services.db.execute(sql`select count(*)::int as n from mailbox`);
      expect(Number(((r as { rows?: { n: number }[] }).rows ?? (r as unknown as { n: number }[]))[0]!.n)).toBeGreaterThanOrEqual(7);
    }, { timeout: 15_000, interval: 100 });
    const w = await openWatchedPage(browser, { locale: 'en-US' });
    opened.push(w);
    await w.page.goto(`${srv.services.config.publicUrl}/dev/mailbox`);
    const subjects = await w.page.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(subjects.filter((s) => s.includes('Access PIN issued'))).toHaveLength(3);
    expect(subjects.filter((s) => s.includes('issue acceptance notice'))).toHaveLength(3);
    await screenshot(w.page, 'readme-mailbox');
  });

  it('8–9. the PIN page and a user\'s pickup in the browser (the other two by the Node client); the dashboard lists three valid certificates', async () => {
    const dns = (await (await dashboard('/officer/requests')).page.locator('tbody tr[data-request] .dn').allTextContents());
    expect(dns).toHaveLength(3);
    const [first] = await requestLinks(srv, [dns[0]!]);
    const { page } = await userPage();
    await page.goto(`${srv.httpUrl}/pin/${first!.pin}`);
    await page.getByRole('button', { name: en['pin.retrieve'] }).click();
    const pin = (await page.getByTestId('pin-value').textContent())!.replace(/\s+/g, '');
    await screenshot(page, 'readme-pin');
    await page.goto(`${srv.httpUrl}/pickup/${first!.pickup}`);
    await page.locator('#pin').fill(pin);
    await page.getByRole('button', { name: en['pickup.pin.submit'] }).click();
    await page.locator('[data-testid=create]').waitFor();
    const download = page.waitForEvent('download');
    await page.locator('[data-testid=create]').click();
    const p12 = path.join(dir, (await download).suggestedFilename());
    await (await download).saveAs(p12);
    await page.locator('[data-testid=saved-check]').check();
    await page.locator('[data-testid=confirm]').click();
    await page.locator('[data-testid=done]').waitFor();
    await screenshot(page, 'readme-pickup-done');
    const subject = execFileSync('openssl', ['pkcs12', '-in', p12, '-passin', `pass:${pin}`, '-clcerts', '-nokeys'], { encoding: 'utf8' });
    expect(subject).toContain('BEGIN CERTIFICATE');

    await pickUpUploaded(srv, dns.slice(1));
    const { page: certs } = await dashboard('/officer/certificates?state=valid');
    await certs.getByTestId('cert-count').getByText('3 certificates').waitFor();
    await certs.locator('tbody tr a').first().click();
    await certs.getByTestId('sha256').waitFor();
    await certs.getByRole('heading', { name: en['officer.mails.title'] }).waitFor();
    await screenshot(certs, 'readme-certificate');
  });
});
