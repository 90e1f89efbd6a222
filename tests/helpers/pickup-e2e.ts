/**
 * The setting of the browser pickup tests (tests/e2e/pickup-*.test.ts): the real server serving the
 * built web app, two institutions (RSA-2048 and P-256) each with an enrolled officer, requests
 * uploaded through the officer API with their PIN and pickup links from the outbox, Chromium pages
 * that each act as a client address of their own (X-Forwarded-For; TRUSTED_PROXIES=127.0.0.1, so
 * the per-address PIN-attempt limit of one test never touches another), and the pickup driven the
 * way a user does it: type the PIN, choose, click, take the download.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContextOptions, Download, Page } from 'playwright-core';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { hashUrlToken } from '../../api/secrets/tokens.ts';
import { certificates, requests, urlTokens } from '../../db/schema/index.ts';
import { ensureWebBuild } from './build-web.ts';
import { launchChromium, openWatchedPage, VIEWPORTS, type WatchedPage } from './browser.ts';
import { requestLinks } from './issued.ts';
import { addTestInstitution, enrollTestOfficer, SAMPLE_INSTITUTION, uploadViaApi, type OfficerCredentials, type TestInstitution } from './officer.ts';
import { runAsync } from './pki.ts';
import { startTestServer, type TestServer } from './server.ts';
import { freshIp, pickupApi } from './world.ts';

/** An institution whose subscribers get P-256 keys (`hakko institution add … --key-algorithm P-256`). */
export const EC_INSTITUTION: TestInstitution = {
  code: 'ec-u', ja: '楕円大学', en: 'Elliptic University', o: 'Elliptic University', l: 'Meguro-ku', st: 'Tokyo', domains: ['ec.ac.jp'], keyAlgorithm: 'P-256',
};

export interface PickupBed {
  /** Replaced by `restartServer`. */
  srv: TestServer;
  readonly browser: Browser;
  readonly officers: ReadonlyMap<string, OfficerCredentials>;
  readonly rootPem: string;
  /** A temporary directory for downloads and tool runs. */
  readonly dir: string;
  dispose(): Promise<void>;
  /** Stops the server and starts it again on the same ports and data (`whileDown` runs in between); beds made by `startPickupBed` have it. */
  restartServer?(opts?: { whileDown?: () => Promise<void> }): Promise<void>;
}

/** Server with the built web app, both institutions and their officers, Chromium. */
export async function startPickupBed(opts: { institutions?: readonly TestInstitution[] } = {}): Promise<PickupBed> {
  const build = await ensureWebBuild();
  const srv = await startTestServer({ webRoot: build, env: { TRUSTED_PROXIES: '127.0.0.1' } });
  const officers = new Map<string, OfficerCredentials>();
  for (const inst of opts.institutions ?? [SAMPLE_INSTITUTION, EC_INSTITUTION]) {
    await addTestInstitution(srv, inst);
    officers.set(inst.code, await enrollTestOfficer(srv, inst.code, '登録 担当', `officer@${inst.domains[0]}`));
  }
  const browser = await launchChromium();
  const dir = mkdtempSync(path.join(tmpdir(), 'hakko-pickup-e2e-'));
  const bed: PickupBed = {
    srv, browser, officers, rootPem: srv.services.ca.show().root.pem, dir,
    async dispose() {
      await browser.close();
      await bed.srv.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
    async restartServer(opts) {
      bed.srv = await bed.srv.restart(opts);
    },
  };
  return bed;
}

export interface UploadedRow {
  readonly dn: string;
  readonly cn: string;
  /** URL tokens. */
  readonly pin: string;
  readonly pickup: string;
}

let counter = 0;

/** Uploads one request per entry (same method in one file, spec 02) and returns their links. */
export async function uploadPickups(bed: PickupBed, inst: TestInstitution, method: 1 | 3, rows: readonly { cn?: string; profile?: number; p12FileName?: string }[]): Promise<UploadedRow[]> {
  const domain = inst.domains[0]!;
  const made = rows.map((r) => {
    const n = ++counter;
    const cn = r.cn ?? `Pickup User ${n}`;
    const dn = `CN=${cn},OU=S${1000 + n},O=${inst.o},L=${inst.l},${inst.st ? `ST=${inst.st},` : ''}C=JP`;
    const tsv = [dn, String(r.profile ?? 13), String(method), '', '', '', '', '管理 花子', '情報基盤センター', `admin@${domain}`, `利用者 ${n}`, r.p12FileName ?? '', '工学部', `user${n}@${domain}`, ''];
    return { dn, cn, tsv };
  });
  const up = await uploadViaApi(bed.srv, bed.officers.get(inst.code)!, { file: { name: 'issue.tsv', bytes: encodeTsv(made.map((m) => m.tsv)) }, kind: 'issue', mode: 'abort', reviewed: 'true' });
  if (up.status !== 200) throw new Error(`upload: ${up.status} ${up.text}`);
  const links = await requestLinks(bed.srv, made.map((m) => m.dn));
  return links.map((l, i) => ({ ...l, cn: made[i]!.cn }));
}

export interface BulkRowInput {
  readonly cn?: string;
  /** Column 11. */
  readonly name?: string;
  readonly p12FileName?: string;
  /** Column 15: the row's own access PIN. */
  readonly pin?: string;
}

export interface BulkUpload {
  /** The upload's one PIN URL token (to the officer) and the group's pickup URL token (to the user administrator). */
  readonly pinToken: string;
  readonly pickupToken: string;
  readonly rows: readonly { readonly dn: string; readonly cn: string; readonly name: string; readonly mail: string; readonly p12FileName: string }[];
}

/** A P12一括 (method 2) upload of one user administrator's group (issue 11). */
export async function uploadBulk(bed: PickupBed, inst: TestInstitution, rows: readonly BulkRowInput[]): Promise<BulkUpload> {
  const domain = inst.domains[0]!;
  const admin = `bulk-admin${++counter}@${domain}`;
  const made = rows.map((r) => {
    const n = ++counter;
    const cn = r.cn ?? `Bulk User ${n}`;
    const dn = `CN=${cn},OU=B${1000 + n},O=${inst.o},L=${inst.l},${inst.st ? `ST=${inst.st},` : ''}C=JP`;
    const name = r.name ?? `利用者 ${n}`;
    const mail = `bulk${n}@${domain}`;
    const tsv = [dn, '13', '2', '', '', '', '', '管理 花子', '情報基盤センター', admin, name, r.p12FileName ?? '', '工学部', mail, r.pin ?? ''];
    return { dn, cn, name, mail, p12FileName: r.p12FileName ?? '', tsv };
  });
  const up = await uploadViaApi(bed.srv, bed.officers.get(inst.code)!, { file: { name: 'bulk.tsv', bytes: encodeTsv(made.map((m) => m.tsv)) }, kind: 'issue', mode: 'abort', reviewed: 'true' });
  if (up.status !== 200) throw new Error(`upload: ${up.status} ${up.text}`);
  const links = await requestLinks(bed.srv, made.map((m) => m.dn));
  return { pinToken: links[0]!.pin, pickupToken: links[0]!.pickup, rows: made.map(({ tsv: _, ...m }) => m) };
}

/** The PIN distributor's part done through the API: every PIN of a bulk upload, in upload order. */
export async function retrieveBulkPins(bed: PickupBed, pinToken: string): Promise<{ name: string; mail: string; pin: string; dn: string }[]> {
  const got = await pickupApi(bed.srv.httpUrl, freshIp()).retrieve(pinToken);
  if (got.status !== 200) throw new Error(`retrieve: ${got.status} ${JSON.stringify(got.json)}`);
  return got.json.pins;
}

/** The user administrator's part done through the API: retrieve the PIN at the PIN link. */
export async function retrievePin(bed: PickupBed, pinToken: string): Promise<string> {
  const got = await pickupApi(bed.srv.httpUrl, freshIp()).retrieve(pinToken);
  if (got.status !== 200) throw new Error(`retrieve: ${got.status} ${JSON.stringify(got.json)}`);
  return got.json.pins[0].pin as string;
}

export type Lang = 'ja' | 'en';

/** A watched page (request bodies recorded) acting as a client address of its own. */
export async function pickupPage(bed: PickupBed, opts: { lang?: Lang; phone?: boolean; context?: BrowserContextOptions } = {}): Promise<WatchedPage> {
  const phone = opts.phone === true;
  return openWatchedPage(bed.browser, {
    locale: opts.lang === 'en' ? 'en-GB' : 'ja-JP',
    viewport: phone ? VIEWPORTS.phone : VIEWPORTS.desktop,
    deviceScaleFactor: phone ? 2 : 1,
    isMobile: phone,
    hasTouch: phone,
    extraHTTPHeaders: { 'x-forwarded-for': freshIp() },
    ...opts.context,
  });
}

/** The pages a test file opens: each one watched, all closed at the end. */
export function pageTracker(bed: () => PickupBed) {
  const watched: WatchedPage[] = [];
  return {
    watched,
    async open(opts: Parameters<typeof pickupPage>[1] = {}): Promise<WatchedPage> {
      const w = await pickupPage(bed(), opts);
      watched.push(w);
      return w;
    },
    closeAll: () => Promise.all(watched.splice(0).map((w) => w.context.close())),
  };
}

/** Opens a pickup link and waits for the PIN field. */
export async function openPickup(bed: PickupBed, page: Page, token: string): Promise<void> {
  await page.goto(`${bed.srv.httpUrl}/pickup/${token}`);
  await page.locator('#pin').waitFor();
}

/** Types the PIN and continues to the settings step. */
export async function enterPin(page: Page, pin: string): Promise<void> {
  await page.locator('#pin').fill(pin);
  await page.getByRole('button', { name: /次へ|Continue/ }).click();
  await page.locator('[data-testid=create]').waitFor();
}

export interface CreateOptions {
  readonly variant?: 'modern' | 'compatible';
  /** Method 3 / enrollment: a password of one's own (else the access PIN is used). */
  readonly ownPassword?: string;
}

/** Chooses the settings, clicks "create", and returns the download the page started. */
export async function createAndDownload(page: Page, opts: CreateOptions = {}): Promise<Download> {
  if (opts.variant) await page.locator(`input[name=variant][value=${opts.variant}]`).check();
  if (opts.ownPassword !== undefined) {
    await page.locator('input[name=password-mode][value=own]').check();
    await page.locator('#pw-new').fill(opts.ownPassword);
    await page.locator('#pw-repeat').fill(opts.ownPassword);
  }
  const download = page.waitForEvent('download');
  await page.locator('[data-testid=create]').click();
  const d = await download;
  await page.locator('[data-testid=confirm]').waitFor();
  return d;
}

/** Saves a download into the bed's directory and returns its path. */
export async function keep(bed: PickupBed, download: Download, name = download.suggestedFilename()): Promise<string> {
  const file = path.join(bed.dir, `${++counter}-${name}`);
  await download.saveAs(file);
  return file;
}

/** Ticks "I have saved the file" and finishes. */
export async function confirmSaved(page: Page): Promise<void> {
  await page.locator('[data-testid=saved-check]').check();
  await page.locator('[data-testid=confirm]').click();
  await page.locator('[data-testid=done]').waitFor();
}

/**
 * `curl --cert-type P12` mutual TLS against the HTTPS listener; the status and body. Asynchronous:
 * the server runs in this process and must keep answering while curl waits.
 */
export async function curlWithP12(bed: PickupBed, p12File: string, password: string, apiPath: string): Promise<{ status: number; body: string }> {
  const root = path.join(bed.dir, 'root.pem');
  writeFileSync(root, bed.rootPem);
  const r = await runAsync('curl', ['-sS', '--max-time', '20', '-w', '\n%{http_code}', '--cert-type', 'P12', '--cert', `${p12File}:${password}`, '--cacert', root, `${bed.srv.httpsUrl}${apiPath}`]);
  const lines = r.out.trimEnd().split('\n');
  return { status: Number(lines.at(-1)), body: lines.slice(0, -1).join('\n') };
}

/** Certificates stored for the request with this DN (resume must never make a second one). */
export async function certificatesOf(bed: PickupBed, dn: string): Promise<{ serial: string }[]> {
  const rows = await bed.srv.services.db
    .select({ serial: certificates.serial })
    .from(certificates)
    .innerJoin(requests, eq(requests.id, certificates.requestId))
    .where(eq(requests.dn, dn));
  return rows.map((r) => ({ serial: String(r.serial) }));
}

/** Moves a URL's expiry into the past (the sweep would mark it expired later; the API says EXPIRED at once). */
export async function expireUrl(bed: PickupBed, token: string): Promise<void> {
  await bed.srv.services.db.update(urlTokens).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(urlTokens.tokenHash, hashUrlToken(token)));
}
