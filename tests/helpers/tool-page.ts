/**
 * Driving the TSV tool (/tool) in Chromium for e2e tests and the browser bench: open it, load the
 * institution profile, open files, wait for the worker's check, read the problems it shows, and
 * the `hakko tsv check --json` codes of a file for comparison.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { runCli, type TestServer } from './server.ts';

/** Load `/tool` (or a path under it) and wait until the page has rendered. */
export async function gotoTool(page: Page, base: string, sub = ''): Promise<void> {
  await page.goto(`${base}/tool${sub}`);
  await page.locator('main h1').waitFor();
}

/** Fetch the institution profile by code on the start page. */
export async function fetchProfile(page: Page, code: string): Promise<void> {
  await page.locator('#profile-code').fill(code);
  await page.locator('form.fetch button[type=submit]').click();
  await page.getByTestId('profile-message').waitFor();
}

/** Until the service worker is active and controls the page: the tool is available offline. */
export async function waitOfflineReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.locator('[data-testid=offline-badge][data-state=ready]').waitFor();
}

/** Until the editor shows the result of a finished check (not "checking…"). */
export async function waitChecked(page: Page): Promise<number> {
  const count = page.getByTestId('error-count');
  await count.waitFor();
  return Number(await count.getAttribute('data-n'));
}

/** Waits until the latest check reports `n` errors. */
export async function waitErrors(page: Page, n: number): Promise<void> {
  await page.locator(`[data-testid=error-count][data-n="${n}"]`).waitFor();
}

/** Open a file from the start page (a request file becomes a draft; the editor shows its check). */
export async function openFileOnStart(page: Page, name: string, bytes: Uint8Array, mimeType = 'text/tab-separated-values'): Promise<void> {
  await page.getByTestId('open-file').setInputFiles({ name, mimeType, buffer: Buffer.from(bytes) });
}

/** The problems the page lists, as `CODE@LINE:COLUMN` in list order. */
export async function shownProblems(page: Page): Promise<string[]> {
  return page.locator('[data-testid=problem-list] li').evaluateAll((items) =>
    items.map((li) => `${li.getAttribute('data-code')}@${li.getAttribute('data-line')}:${li.getAttribute('data-column')}`),
  );
}

/** Codes the page names as not checked here (at upload, or without a profile). */
export async function notCheckedCodes(page: Page): Promise<string[]> {
  const lists = await page.locator('[data-testid=at-upload], [data-testid=needs-profile]').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-codes') ?? ''));
  return lists.flatMap((l) => l.split(',')).filter((c) => c !== '');
}

/** `hakko tsv check FILE --json` for bytes written to the server's data directory: exit code and `CODE@LINE:COLUMN` list. */
export async function cliCheck(srv: TestServer, name: string, bytes: Uint8Array, kind: string, institution = 'sample-u'): Promise<{ code: number; problems: string[] }> {
  const file = path.join(srv.dataDir, name);
  writeFileSync(file, bytes);
  const r = await runCli(srv.env, ['tsv', 'check', file, '--institution', institution, '--kind', kind, '--json']);
  if (r.code !== 0 && r.code !== 1) throw new Error(`tsv check failed (${r.code}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { errors: { code: string; line: number; column: number }[] };
  return { code: r.code, problems: out.errors.map((e) => `${e.code}@${e.line}:${e.column}`) };
}
