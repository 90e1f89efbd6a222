/**
 * The browser pickup in headless Chromium (spec 08 §Performance): the median time from the click on
 * "create" to the download of a method-1 P12 (RSA-2048 key, CSR, signing, modern P12) over RUNS
 * pickups, each in a fresh browser context — beside, in the same browser and run, the bare cost of
 * WebCrypto RSA-2048 `generateKey` plus PBKDF2-HMAC-SHA256 with 100,000 iterations (targets ≤ 1.5 s
 * and ≤ 1.5× that); and the gzip size of the JavaScript such a pickup loads, its worker included
 * (target ≤ 150 KB; the lazily loaded compatible-P12 chunk, node-forge, reported apart, and what the
 * service worker precaches in the background reported as well). Run alone: `node bench/pickup-browser.ts`.
 *
 * The page makes the key pair, the CSR and (method 1: the password is the PIN) the key's encryption
 * while the PIN is typed, so the click waits for the server and the file only. The figure with that
 * earlier work added back is reported beside it, so the whole cost stays visible.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { SAMPLE_INSTITUTION } from '../tests/helpers/officer.ts';
import { createAndDownload, enterPin, openPickup, pickupPage, retrievePin, startPickupBed, uploadPickups, type PickupBed } from '../tests/helpers/pickup-e2e.ts';
import type { BenchResult } from './tsv-validate.ts';

/** A figure as bench/run.ts reads it (a note is shown under the table; `runs` only where there are some). */
type Figure = Omit<BenchResult, 'runs'> & { readonly runs?: readonly number[]; readonly note?: string };

const DEFAULT_RUNS = Number(process.env.BENCH_PICKUP_RUNS ?? 12);
const BUDGET_KB = 150;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const gzipKb = (file: string) => gzipSync(readFileSync(file)).byteLength / 1024;

/** The bare cost in this browser: RSA-2048 generateKey + PBKDF2-HMAC-SHA256 100,000 iterations, ms. */
function bareCryptoMs(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const t0 = performance.now();
    await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
    const base = await crypto.subtle.importKey('raw', new TextEncoder().encode('Kq7mZp3rXw9tBn2H'), 'PBKDF2', false, ['deriveBits']);
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: crypto.getRandomValues(new Uint8Array(16)), iterations: 100_000 }, base, 256);
    return performance.now() - t0;
  });
}

/**
 * The work of one pickup as the page's User Timing marks tell it (pickup-flow.svelte.ts): `ms` from
 * the click to the download; `ahead` the work done before the click — the key pair and CSR (from
 * the later of the worker being loaded and the task starting) and the key's encryption under the
 * PIN, each up to its end or the click; `readyAtClick` whether all of it was done at the click.
 */
interface PickupTiming {
  readonly ms: number;
  readonly ahead: number;
  readonly readyAtClick: boolean;
}

function timingOf(page: Page): Promise<PickupTiming> {
  return page.evaluate(() => {
    const at = (name: string) => performance.getEntriesByName(`hakko:${name}`, 'mark')[0]?.startTime ?? Number.NaN;
    const [create, download, prepare, prepared, worker, shroud, shrouded] = ['create', 'download', 'prepare', 'prepared', 'worker', 'shroud', 'shrouded'].map(at) as number[];
    const before = (from: number, to: number) => (Number.isNaN(from) || Number.isNaN(to) ? 0 : Math.max(0, Math.min(to, create) - from));
    return {
      ms: download! - create!,
      ahead: before(Math.max(prepare!, worker!), prepared!) + before(shroud!, shrouded!),
      readyAtClick: shrouded! <= create!,
    };
  });
}

/** One method-1 pickup from a fresh context: its timing, ms from Playwright's click to its download event, and the scripts it loaded. */
async function onePickup(bed: PickupBed, token: string, pin: string, variant: 'modern' | 'compatible' = 'modern'): Promise<PickupTiming & { outside: number; scripts: string[] }> {
  const w = await pickupPage(bed, { context: { serviceWorkers: 'block' } });
  const scripts = new Set<string>();
  w.context.on('response', (r) => {
    if (r.url().endsWith('.js')) scripts.add(new URL(r.url()).pathname);
  });
  try {
    await openPickup(bed, w.page, token);
    await enterPin(w.page, pin);
    if (variant !== 'modern') await w.page.locator(`input[name=variant][value=${variant}]`).check();
    const t0 = performance.now();
    await createAndDownload(w.page);
    const outside = performance.now() - t0;
    return { ...(await timingOf(w.page)), outside, scripts: [...scripts] };
  } finally {
    await w.context.close();
  }
}

function buildFiles(root: string, dir = '_app'): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, dir))) {
    const rel = path.join(dir, e);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...buildFiles(root, rel));
    else if (e.endsWith('.js')) out.push('/' + rel);
  }
  return out;
}

export async function benchPickupBrowser(opts: { quick?: boolean } = {}): Promise<Figure[]> {
  const RUNS = opts.quick ? 3 : DEFAULT_RUNS;
  const bed = await startPickupBed({ institutions: [SAMPLE_INSTITUTION] });
  try {
    const rows = await uploadPickups(bed, SAMPLE_INSTITUTION, 1, Array.from({ length: RUNS + 1 }, () => ({})));
    const pins = await Promise.all(rows.map((r) => retrievePin(bed, r.pin)));
    // The bare cost is measured between the pickups (three times each, in one long-lived page of the
    // same browser), so both see the same machine load; RSA key generation times vary widely.
    const probe = await pickupPage(bed);
    await probe.page.goto(`${bed.srv.httpUrl}/`);
    await bareCryptoMs(probe.page); // warm-up
    const times: number[] = [];
    const whole: number[] = [];
    let readyAtClick = 0;
    const outside: number[] = [];
    const bare: number[] = [];
    let scripts: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await onePickup(bed, rows[i]!.pickup, pins[i]!);
      times.push(run.ms);
      whole.push(run.ahead + run.ms);
      if (run.readyAtClick) readyAtClick++;
      outside.push(run.outside);
      scripts = run.scripts;
      for (let j = 0; j < 3; j++) bare.push(await bareCryptoMs(probe.page));
    }
    await probe.context.close();
    if (process.env.BENCH_PICKUP_FILES) for (const s of scripts) process.stderr.write(`${gzipKb(path.join(path.resolve(import.meta.dirname, '../build'), s)).toFixed(1)} KB ${s}\n`);
    const compatible = await onePickup(bed, rows[RUNS]!.pickup, pins[RUNS]!, 'compatible');
    const lazy = compatible.scripts.filter((s) => !scripts.includes(s));

    const build = path.resolve(import.meta.dirname, '../build');
    const sizeOf = (list: readonly string[]) => list.reduce((n, s) => n + gzipKb(path.join(build, s)), 0);
    const loaded = sizeOf(scripts);
    const workerFiles = scripts.filter((s) => s.includes('/workers/'));
    const precached = sizeOf(buildFiles(build));
    const pickupMs = median(times);
    const bareMs = median(bare);
    const ratio = pickupMs / bareMs;
    const wholeMs = median(whole);
    return [
      { name: 'browser pickup, method 1: click to download (RSA-2048, modern P12), median', value: pickupMs, unit: 'ms', target: 1500, runs: times, ok: pickupMs <= 1500, note: `measured in the page (User Timing); from Playwright's click to its download event: median ${median(outside).toFixed(0)} ms` },
      { name: 'browser pickup ÷ bare WebCrypto RSA-2048 generateKey + PBKDF2 100,000 (same browser)', value: ratio, unit: '×', target: 1.5, ok: ratio <= 1.5, note: `pickup median ${pickupMs.toFixed(0)} ms ÷ bare median ${bareMs.toFixed(0)} ms (${bare.length} bare runs, interleaved with the pickups: ${bare.map((b) => b.toFixed(0)).join(', ')} ms)` },
      {
        name: 'the same pickups with the work done ahead counted (key, CSR and its encryption while the PIN is typed, plus click to download), median',
        value: wholeMs,
        unit: 'ms',
        target: Number.NaN,
        ok: true,
        note: `${(wholeMs / bareMs).toFixed(2)}× bare; the key and its encryption were ready before the click in ${readyAtClick} of ${RUNS} runs (the bench clicks about 0.3 s after the page opens; a person typing a 16-character PIN takes longer)`,
      },
      { name: `JavaScript a method-1 pickup loads, gzip (${scripts.length} files; worker ${workerFiles.length} files ${sizeOf(workerFiles).toFixed(1)} KB)`, value: loaded, unit: 'KB', target: BUDGET_KB, ok: loaded <= BUDGET_KB },
      { name: `compatible-P12 chunk loaded lazily (node-forge), gzip (${lazy.length} files)`, value: sizeOf(lazy), unit: 'KB', target: Number.NaN, ok: true },
      { name: 'all JavaScript of the build (what the service worker precaches in the background), gzip', value: precached, unit: 'KB', target: Number.NaN, ok: true },
    ];
  } finally {
    await bed.dispose();
  }
}

if (import.meta.main) {
  for (const f of await benchPickupBrowser()) console.log(`${f.name}: ${f.value.toFixed(2)} ${f.unit} (target ${f.target}) ${f.note ?? ''}`);
  process.exit(0);
}
