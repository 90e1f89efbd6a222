/**
 * The operator console in Debian's Chromium with an operator certificate (spec 06 §Operator; issue
 * 13): the operator registers an institution, enrolls its registration officer (the URL and PIN shown
 * once), edits its mail domains (a bad one refused at its field); the new officer picks the
 * certificate up in the browser at the enrollment URL (/pickup/<token>, own password), signs in to
 * the dashboard with that P12 and uploads a request whose mail is in the domain just added. Then
 * every operator page, and the officer's statistics, mail and audit pages, in Japanese and English,
 * desktop and 390 px, as screenshots (test-results/screenshots/operator-*.png, copied to
 * docs/screenshots/operator/); a registration officer on /operator is told the pages are for operators.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { resultRows } from '../../db/repos/bulk.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { en, ja } from '../../web/lib/i18n/all.ts';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { ensureWebBuild } from '../helpers/build-web.ts';
import { launchChromium, openWatchedPage, privateKeyMaterial, screenshot, type WatchedPage } from '../helpers/browser.ts';
import { enrollTestOperator, type OfficerCredentials } from '../helpers/officer.ts';
import { deviceOptions, officerPage, realProblems, type Device } from '../helpers/officer-browser.ts';
import { confirmSaved, createAndDownload, enterPin, keep, pickupPage, type PickupBed } from '../helpers/pickup-e2e.ts';
import { runCli, startTestServer, type TestServer } from '../helpers/server.ts';

const T = { ja, en };
const LANGS = ['ja', 'en'] as const;
type Lang = (typeof LANGS)[number];
const E2E_U = { code: 'e2e-u', ja: '試験大学', en: 'E2E University', o: 'E2E University', st: 'Kanagawa', l: 'Yokohama-shi', domain: 'e2e-u.ac.jp' };
const PASSWORD = 'Officer-pass 2026!';

let srv: TestServer;
let browser: Browser;
let operator: OfficerCredentials;
let origin: string;
let bed: PickupBed;
/** The officer's P12 as picked up in the browser. */
let officerP12: { pfxPath: string; passphrase: string } | null = null;
const opened: WatchedPage[] = [];

beforeAll(async () => {
  const webRoot = await ensureWebBuild();
  srv = await startTestServer({ webRoot, env: { TRUSTED_PROXIES: '127.0.0.1' } });
  origin = new URL(srv.services.config.publicHttpsUrl).origin;
  operator = await enrollTestOperator(srv, '運用 太郎', 'operator@hakko.example.jp');
  browser = await launchChromium();
  const dir = mkdtempSync(path.join(tmpdir(), 'hakko-op-e2e-'));
  bed = { srv, browser, officers: new Map(), rootPem: operator.rootPem, dir, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
}, 300_000);

afterAll(async () => {
  for (const p of opened) expect(realProblems(p.problems)).toEqual([]);
  for (const p of opened) await p.context.close();
  await browser?.close();
  await srv?.dispose();
  await bed?.dispose();
});

async function asOperator(lang: Lang, url: string, device: Device = 'desktop'): Promise<Page> {
  const w = await officerPage(browser, origin, operator, lang, device);
  opened.push(w);
  await w.page.goto(origin + url);
  await w.page.getByTestId('who').waitFor();
  return w.page;
}

async function asOfficer(lang: Lang, url: string, device: Device = 'desktop'): Promise<Page> {
  const options: BrowserContextOptions = { ...deviceOptions(lang, device), ignoreHTTPSErrors: true, clientCertificates: [{ origin, ...officerP12! }] };
  const w = await openWatchedPage(browser, options);
  opened.push(w);
  await w.page.goto(origin + url);
  return w.page;
}

async function cliJson(args: string[]) {
  const r = await runCli(srv.env, [...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('the operator sets up an institution and its officer uploads (ja)', () => {
  const t = T.ja;
  let enrollment = { url: '', pin: '' };

  it('ok create an institution in the form', async () => {
    const page = await asOperator('ja', '/operator');
    await page.getByText(t['op.inst.none']).waitFor();
    await page.getByTestId('add-institution').click();
    await page.getByRole('heading', { level: 1, name: t['op.form.newTitle'] }).waitFor();
    await page.getByLabel(t['op.form.code']).fill(E2E_U.code);
    await page.getByLabel(t['op.form.ja']).fill(E2E_U.ja);
    await page.getByLabel(t['op.form.en']).fill(E2E_U.en);
    await page.getByLabel(t['op.form.o']).fill(E2E_U.o);
    await page.getByLabel(t['op.form.st']).fill(E2E_U.st);
    await page.getByLabel(t['op.form.l']).fill(E2E_U.l);
    await page.getByLabel(t['op.form.domains']).fill(E2E_U.domain);
    await page.getByTestId('inst-save').click();
    await page.getByText(t['op.form.created'].replace('{code}', E2E_U.code)).waitFor();
    expect(await cliJson(['institution', 'show', E2E_U.code])).toMatchObject({ o: E2E_U.o, st: E2E_U.st, l: E2E_U.l, domains: [E2E_U.domain], review: 'complete', status: 'active' });
  });

  it('ok enroll its officer: the URL and PIN are shown once', async () => {
    const page = await asOperator('ja', `/operator/institutions/${E2E_U.code}`);
    await page.getByTestId('enroll-for').click();
    await page.getByRole('heading', { level: 2, name: t['op.off.enrollTitle'] }).waitFor();
    expect(await page.locator('#enroll-inst').inputValue()).toBe(E2E_U.code);
    await page.getByLabel(t['op.off.name']).fill('試験 花子');
    await page.getByLabel(t['op.off.email']).fill('ra@e2e-u.ac.jp');
    await page.getByTestId('enroll').click();
    await page.getByTestId('enrollment').waitFor();
    enrollment = { url: (await page.getByTestId('enrollment-url').textContent())!.trim(), pin: (await page.getByTestId('enrollment-pin').textContent())!.trim() };
    expect(enrollment.url).toMatch(/\/pickup\/[A-Za-z0-9_-]{43}$/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('enrollment');
    await page.getByTestId('officer-table').getByText('ra@e2e-u.ac.jp').waitFor();
    await screenshot(page, 'operator-enrolled-desktop-ja');
    // Reloaded, the page no longer knows the PIN: it was in that one answer only.
    await page.reload();
    await page.getByTestId('officer-table').waitFor();
    expect(await page.content()).not.toContain(enrollment.pin);
    // NG the same mail again: said in words (no CLI option), the mail field marked and focused.
    await page.getByLabel(t['op.off.name']).fill('試験 花子');
    await page.getByLabel(t['op.off.email']).fill('ra@e2e-u.ac.jp');
    await page.getByTestId('enroll').click();
    await page.getByTestId('enroll-problem').waitFor();
    expect(await page.getByTestId('enroll-problem').textContent()).toBe('メールアドレス ra@e2e-u.ac.jp の登録担当者はすでに存在します。先にその担当者を失効させてください。');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('enroll-email');
    expect(await page.locator('#enroll-email').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'operator-enroll-duplicate-desktop-ja');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('enroll-problem').filter({ hasText: 'exists already' }).waitFor();
    await screenshot(page, 'operator-enroll-duplicate-desktop-en');
  });

  it('ok edit its domains; NG a bad domain is refused and its field focused', async () => {
    const page = await asOperator('ja', `/operator/institutions/${E2E_U.code}`);
    const domains = page.getByLabel(t['op.form.domains']);
    await domains.fill(`${E2E_U.domain}\nbad domain!`);
    await page.getByTestId('inst-save').click();
    await page.getByTestId('inst-problem').waitFor();
    const problem = await page.getByTestId('inst-problem').textContent();
    expect(problem).toContain('メールドメインがドメイン名ではありません: bad domain!');
    expect(problem).not.toContain('--'); // the CLI's option names are for the CLI
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('inst-domains');
    await screenshot(page, 'operator-institution-invalid-desktop-ja');
    await domains.fill(`${E2E_U.domain}\nmail.${E2E_U.domain}`);
    await page.getByTestId('inst-save').click();
    await page.getByText(t['op.form.saved']).waitFor();
    expect((await cliJson(['institution', 'show', E2E_U.code])).domains).toEqual([E2E_U.domain, `mail.${E2E_U.domain}`]);
    const audit = await cliJson(['officer', 'list', '--institution', E2E_U.code]);
    expect(audit).toMatchObject([{ email: 'ra@e2e-u.ac.jp', status: 'pending' }]);
  });

  it('ok the officer picks the certificate up in the browser, signs in with it and uploads for the institution (a mail in the domain just added)', async () => {
    const w = await pickupPage(bed, { lang: 'ja' });
    opened.push(w);
    await w.page.goto(enrollment.url);
    await w.page.locator('#pin').waitFor();
    await enterPin(w.page, enrollment.pin);
    const file = await keep(bed, await createAndDownload(w.page, { ownPassword: PASSWORD }));
    await confirmSaved(w.page);
    for (const s of w.sent) expect(privateKeyMaterial(s.body), s.url).toBeNull();
    officerP12 = { pfxPath: file, passphrase: PASSWORD };

    const page = await asOfficer('ja', '/officer/upload');
    await page.getByTestId('who').waitFor();
    expect(await page.getByTestId('who').textContent()).toContain(E2E_U.ja);
    const dn = `CN=E2E USER 1,O=${E2E_U.o},L=${E2E_U.l},ST=${E2E_U.st},C=JP`;
    const row = [dn, '13', '3', '', '', '', '', '管理 花子', '情報基盤センター', `admin@${E2E_U.domain}`, '利用者 一郎', '', '工学部', `user1@mail.${E2E_U.domain}`, ''];
    await page.getByTestId('tsv-input').setInputFiles({ name: 'issue.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(encodeTsv([row])) });
    await page.getByTestId('preview-counts').waitFor();
    await page.getByRole('button', { name: t['officer.upload.next'] }).click();
    const dialog = page.getByRole('dialog', { name: t['officer.upload.review.title'] });
    for (const key of ['officer.upload.review.identity', 'officer.upload.review.content', 'officer.upload.review.members'] as const) await dialog.getByLabel(t[key]).check();
    await dialog.getByRole('button', { name: t['officer.upload.review.confirm'] }).click();
    await page.getByText(t['officer.result.registered'].replace('{n}', '1')).waitFor();
    expect(await count(sql`select count(*)::int as n from requests r join institutions i on i.id = r.institution_id where i.code = ${E2E_U.code} and r.kind = 'issue'`)).toBe(1);
  });
});

/** Elements that stick out of a 390 px page (none on a page that fits). */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth) return [];
    return [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.parentElement?.closest('.table-scroll'))
      .slice(0, 8)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}#${e.id} → ${Math.round(e.getBoundingClientRect().right)}`);
  });
}

async function count(q: SQL): Promise<number> {
  return Number(resultRows<{ n: number }>(await srv.services.db.execute(q))[0]?.n);
}

describe('screens', () => {
  beforeAll(async () => {
    // Statistics need certificates over months: seeded rows (the issuance path is proven elsewhere).
    await srv.services.db.execute(sql`
      insert into certificates (ca, serial, state, kind, institution_id, profile, request_dn, spki_sha256, not_before, not_after, issued_at, revoked_at, revocation_reason)
      select 'issuing', 700000000 + i, 'issued', 'subscriber', (select id from institutions where code = ${E2E_U.code}), (array[13, 14, 15, 7])[1 + i % 4],
             'CN=SEED ' || i || ',O=E2E University,C=JP', 'seed-spki-' || i, now() - (i * 3) * interval '1 day',
             now() - (i * 3) * interval '1 day' + (case when i % 7 = 0 then 200 else 400 end) * interval '1 day', now() - (i * 3 + (i % 5) * 9) * interval '1 day',
             case when i % 9 = 0 then now() - interval '2 days' end, case when i % 9 = 0 then 3 end
      from generate_series(1, 110) as i`);
    // One mail the SMTP server refused for good, for the mail log (the real path: tests/integration/mail-log.test.ts).
    await srv.services.db.execute(sql`
      update outbox set state = 'failed', attempts = 14, sent_at = null, last_error = '550 5.1.1 <user1@mail.e2e-u.ac.jp>: Recipient address rejected: User unknown'
      where id = (select max(id) from outbox where kind = 'pickup-notice')`);
  });

  const OPERATOR_PAGES = [
    ['institutions', '/operator', 'institution-table'],
    ['institution-new', '/operator/institutions/new', 'inst-save'],
    ['institution', `/operator/institutions/${E2E_U.code}`, 'inst-save'],
    ['officers', '/operator/officers', 'officer-table'],
    ['ca', '/operator/ca', 'ca-root'],
    ['settings', '/operator/settings', null],
    ['audit', '/operator/audit', 'audit-table'],
  ] as const;
  const OFFICER_PAGES = [
    ['statistics', '/officer/statistics?from=2025-12&to=2026-12', 'stats-chart'],
    ['mails', '/officer/mails', 'mail-table'],
    ['audit', '/officer/audit', 'audit-table'],
  ] as const;

  for (const lang of LANGS) {
    for (const device of ['desktop', 'phone'] as const) {
      it(`ok every operator page, ${lang}, ${device}`, async () => {
        for (const [name, url, testid] of OPERATOR_PAGES) {
          const page = await asOperator(lang, url, device);
          if (testid) await page.getByTestId(testid).first().waitFor();
          else await page.locator('#set-pin\\.urlDays').waitFor();
          if (name === 'audit') await page.getByTestId('audit-chain').getByRole('status').waitFor();
          if (name === 'settings') {
            await page.locator('#set-pin\\.urlDays').fill('0');
            await page.locator('#set-pin\\.urlDays').press('Enter');
            await page.getByRole('alert').waitFor();
          }
          if (device === 'phone') expect(await overflowing(page), `${name} fits 390 px`).toEqual([]);
          await screenshot(page, `operator-${name}-${device}-${lang}`);
          await page.context().close();
        }
      });

      it(`ok the officer's statistics, mail and audit pages, ${lang}, ${device}`, async () => {
        for (const [name, url, testid] of OFFICER_PAGES) {
          const page = await asOfficer(lang, url, device);
          await page.getByTestId(testid).waitFor();
          if (name === 'mails') expect(await page.locator('[data-testid=mail-row][data-state=failed]').count()).toBe(1);
          if (device === 'phone') expect(await overflowing(page), `${name} fits 390 px`).toEqual([]);
          await screenshot(page, `operator-officer-${name}-${device}-${lang}`);
          await page.context().close();
        }
      });
    }
  }

  it('ok the statistics on the page are the database\'s; the chart has a text alternative', async () => {
    const page = await asOfficer('en', '/officer/statistics?from=2025-01&to=2026-12');
    await page.getByTestId('stats-chart').waitFor();
    const api = await (await page.request.get(`${origin}/api/officer/statistics?from=2025-01&to=2026-12`)).json();
    const n = await count(sql`select count(*)::int as n from certificates c join institutions i on i.id = c.institution_id where i.code = ${E2E_U.code} and c.kind = 'subscriber' and c.issued_at >= '2024-12-31T15:00:00Z'`);
    expect(api.total.issued).toBe(n);
    expect(await page.getByTestId('stats-totals').textContent()).toContain(String(n));
    const desc = await page.locator('[data-testid=stats-chart] desc').textContent();
    expect(desc).toContain(`${n} issued`);
    expect(await page.getByRole('img', { name: en['stats.chart.title'] }).count()).toBe(1);
    await page.context().close();
  });

  it('NG a registration officer on /operator is told the pages are for operators', async () => {
    for (const lang of LANGS) {
      const page = await asOfficer(lang, '/operator');
      await page.getByTestId('not-operator').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(T[lang]['op.notOperator.title']);
      await screenshot(page, `operator-not-operator-desktop-${lang}`);
      await page.context().close();
    }
  });
});
