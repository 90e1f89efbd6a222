/**
 * `npm run bench` (spec 08 §Performance): a machine baseline, then every bench module in bench/
 * (each exported `bench…` function of each `*.ts` here that does not start with `_`; modules that are
 * not there yet are simply not run), then one table — figure, value, target, ratio, pass — and the
 * baseline again, so that figures from different runs and machines can be compared as ratios.
 *
 *   node bench/run.ts                 every module
 *   node bench/run.ts upload signing  only these modules (file names without .ts)
 *   node bench/run.ts --json          the table as JSON as well
 *   node bench/run.ts --quick         small sizes and few runs (CI): every module gets `{ quick: true }`
 *
 * Every figure of spec 08 §Performance (SPEC_FIGURES) names the module that measures it; a full run
 * lists a figure whose module is missing as "not measured" rather than leaving it out.
 */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Row {
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  /** value / target where both are numbers (for "≥" targets above 1 is good, for "≤" below 1). */
  readonly ratio: string;
  readonly pass: boolean | null;
  readonly note?: string;
}

export interface Baseline {
  /** Fixed JS + hashing work on one core, ms (median of 3): lower = faster machine. */
  readonly cpuLoopMs: number;
  /** `openssl speed -seconds 1 rsa2048` sign/s on this machine, or null without openssl. */
  readonly opensslRsa2048SignPerSec: number | null;
  readonly cpus: number;
  readonly cpuModel: string;
  /** 1-minute load average: other work on the machine slows every figure. */
  readonly loadAvg1: number;
}

const HERE = import.meta.dirname;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** The same work every run: 2 M integer steps of a xorshift and 2,000 SHA-256 chains over 16 KB. */
function cpuLoop(): number {
  const t0 = performance.now();
  let x = 2463534242;
  for (let i = 0; i < 20_000_000; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  let h: Buffer = Buffer.alloc(16 * 1024, x & 0xff);
  for (let i = 0; i < 2000; i++) h = Buffer.concat([createHash('sha256').update(h).digest(), h.subarray(32)]);
  return performance.now() - t0;
}

function opensslRsaSign(): number | null {
  const r = spawnSync('openssl', ['speed', '-seconds', '1', 'rsa2048'], { encoding: 'utf8' });
  const m = /^rsa\s+2048 bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/m.exec(r.stdout ?? '');
  return m ? Number(m[1]) : null;
}

export function measureBaseline(): Baseline {
  const loops = [cpuLoop(), cpuLoop(), cpuLoop()].sort((a, b) => a - b);
  return { cpuLoopMs: round(loops[1]!), opensslRsa2048SignPerSec: opensslRsaSign(), cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?', loadAvg1: round(loadavg()[0]!, 2) };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** A rate as the modules give it: a number, or `{ perSec, perCpuSec }` (bench/signing.ts). */
const rate = (v: unknown, key: 'perSec' | 'perCpuSec' = 'perSec'): number | null => num(v) ?? (isObj(v) ? num(v[key]) : null);
const fmt = (v: number | null, unit = '') => (v === null ? '-' : `${round(v)}${unit}`);

/** The shapes the bench modules return, as table rows; anything unknown is shown as JSON, never dropped. */
export function rowsOf(result: unknown): Row[] {
  if (Array.isArray(result)) return result.flatMap(rowsOf);
  if (!isObj(result)) return [{ figure: '?', value: String(result), target: '-', ratio: '-', pass: null }];
  if (typeof result.opensslSpeedSignPerSec === 'number') return signingRows(result);
  if (typeof result.name === 'string' && typeof result.value === 'number') {
    const unit = String(result.unit ?? '');
    const pass = typeof result.ok === 'boolean' ? result.ok : typeof result.pass === 'boolean' ? result.pass : null;
    const runs = Array.isArray(result.runs) ? `runs ${result.runs.map((r) => (typeof r === 'number' ? round(r) : r)).join(', ')}` : null;
    const notes = [result.note, typeof result.baseline === 'number' ? `same-run baseline ${round(result.baseline)} ${unit}` : null, runs].filter(Boolean).join('; ');
    const value = `${round(result.value)} ${unit}`;
    if (typeof result.target === 'number' && Number.isFinite(result.target)) {
      // Times are "at most" targets; rates (…/s) "at least".
      const atLeast = /\/s$/.test(unit);
      return [{ figure: result.name, value, target: `${atLeast ? '≥' : '≤'} ${result.target} ${unit}`, ratio: String(round(result.value / result.target, 2)), pass, note: notes }];
    }
    if (typeof result.target === 'number') return [{ figure: result.name, value, target: '- (report only)', ratio: '-', pass: null, note: notes }];
    return [{ figure: result.name, value, target: String(result.target ?? '-'), ratio: '-', pass, note: notes }];
  }
  return [{ figure: '?', value: JSON.stringify(result), target: '-', ratio: '-', pass: null }];
}

/** bench/signing.ts: one-core ratio to `openssl speed` (per CPU second, as openssl counts), speed-up over the shell loop, two cores. */
function signingRows(r: Obj): Row[] {
  const one = isObj(r.oneCore) ? r.oneCore : {};
  const two = isObj(r.twoCores) ? r.twoCores : {};
  const t = isObj(r.targets) ? r.targets : {};
  const perCpu = Math.max(rate(one.sequential, 'perCpuSec') ?? rate(one.sequentialPerSec) ?? 0, rate(one.pipelined, 'perCpuSec') ?? rate(one.pipelinedPerSec) ?? 0);
  const wall = Math.max(rate(one.sequential) ?? rate(one.sequentialPerSec) ?? 0, rate(one.pipelined) ?? rate(one.pipelinedPerSec) ?? 0);
  const speed = num(r.opensslSpeedSignPerSec);
  const loop = isObj(r.x509Loop) ? num(r.x509Loop.perSec) : null;
  const ok = (v: unknown) => (typeof v === 'boolean' ? v : null);
  return [
    { figure: `signing in the API process, one core${r.pinned ? ' (taskset)' : ''}, RSA-2048 issuing CA`, value: fmt(perCpu, ' certs/CPU-s'), target: `≥ 50 % of openssl speed (${fmt(speed, ' sign/s')})`, ratio: num(r.ratioOneCore) === null ? '-' : String(round(num(r.ratioOneCore)!, 2)), pass: ok(t.ratioMet), note: `wall-clock ${fmt(wall, '/s')}; sequential ${fmt(rate(one.sequential) ?? rate(one.sequentialPerSec), '/s')}, ${String(one.concurrency ?? '?')} in flight ${fmt(rate(one.pipelined) ?? rate(one.pipelinedPerSec), '/s')}` },
    { figure: 'signing vs `openssl x509 -req` in a shell loop', value: fmt(wall, ' certs/s'), target: `≥ 10× (${fmt(loop, ' certs/s')})`, ratio: `${fmt(num(r.speedupVsX509Loop))}×`, pass: ok(t.speedupMet) },
    { figure: 'signing, two cores (report only)', value: fmt(rate(two.inProcessPerSec), ' certs/s'), target: '-', ratio: '-', pass: null, note: `two worker threads ${fmt(rate(two.twoWorkersPerSec), '/s')}` },
  ];
}

/** Bench modules present in bench/ (`_…` scratch files and this runner excluded). */
export function benchModules(only: readonly string[] = []): string[] {
  return readdirSync(HERE)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_') && f !== 'run.ts')
    .map((f) => f.slice(0, -3))
    .filter((m) => only.length === 0 || only.includes(m))
    .sort();
}

/** What the runner passes to every bench function. */
export interface BenchOptions {
  /** Small sizes and few runs: a quick check that every bench still works (CI), not the figures. */
  readonly quick?: boolean;
}

/** The command line: module names, `--json`, `--quick`; anything else starting with `--` is refused. */
export function parseArgs(argv: readonly string[]): { modules: string[]; json: boolean; quick: boolean } {
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--json' && a !== '--quick');
  if (unknown.length > 0) throw new RangeError(`unknown option ${unknown.join(', ')} (known: --json, --quick, module names)`);
  return { modules: argv.filter((a) => !a.startsWith('--')), json: argv.includes('--json'), quick: argv.includes('--quick') };
}

/**
 * The figures of spec 08 §Performance and the issue notes, with the module that measures each (issue
 * 15: one harness for every figure). A figure whose module is absent shows as "not measured".
 */
export const SPEC_FIGURES: readonly { readonly figure: string; readonly module: string; readonly missing?: string }[] = [
  { figure: 'validate a 10,000-row CP932 issuance TSV', module: 'tsv-validate' },
  { figure: 'upload it in abort mode, PostgreSQL / PGlite', module: 'upload' },
  { figure: 'certificate signing throughput, one core, vs openssl speed; two cores; vs openssl x509 loop', module: 'signing' },
  { figure: 'OCSP responses (RFC 5019 GET) for a known serial', module: 'ocsp' },
  { figure: 'browser: RSA-2048 key + CSR + P12 (individual pickup); JavaScript a method-1 pickup loads', module: 'pickup-browser' },
  { figure: 'browser: bulk pickup of 200 users to a finished ZIP', module: 'bulk-browser' },
  { figure: 'upload → notification in an SMTP inbox on loopback', module: 'mail-latency' },
  { figure: 'notification throughput (issue 15)', module: 'mail-throughput' },
  { figure: 'officer certificate list and search with 100,000 certificates', module: 'officer-lists' },
  { figure: 'statistics over 100,000 certificates (issue 13)', module: 'statistics' },
  { figure: 'TSV tool: load and validate a 10,000-row file in the browser', module: 'tool-browser' },
  { figure: 'load: pickups and OCSP, one and two processes (issue 15)', module: 'load' },
  { figure: 'fuzz: ≥ 100,000 generated TSV and CSR inputs (issue 15)', module: 'fuzz' },
];

/** Rows for spec figures whose module is not in bench/ (only when every module was asked for). */
export function missingFigures(present: readonly string[]): Row[] {
  return SPEC_FIGURES.filter((f) => !present.includes(f.module)).map((f) => ({
    figure: f.figure, value: 'not measured', target: '-', ratio: '-', pass: null, note: `no bench/${f.module}.ts${f.missing ? `: ${f.missing}` : ''}`,
  }));
}

async function runModule(name: string, opts: BenchOptions): Promise<Row[]> {
  const mod = (await import(pathToFileURL(path.join(HERE, `${name}.ts`)).href)) as Obj;
  const fns = Object.entries(mod).filter(([k, v]) => /^bench[A-Z]/.test(k) && typeof v === 'function') as [string, (o: BenchOptions) => Promise<unknown>][];
  const rows: Row[] = [];
  for (const [fn, f] of fns) {
    process.stderr.write(`bench: ${name}.${fn} …\n`);
    const t0 = performance.now();
    try {
      rows.push(...rowsOf(await f(opts)));
    } catch (e) {
      rows.push({ figure: `${name}.${fn}`, value: 'failed', target: '-', ratio: '-', pass: false, note: (e as Error).message.split('\n')[0] });
    }
    process.stderr.write(`bench: ${name}.${fn} done in ${round((performance.now() - t0) / 1000)} s\n`);
  }
  return rows;
}

function table(rows: readonly Row[]): string {
  const head = ['figure', 'value', 'target', 'ratio', 'pass'];
  const cells = rows.map((r) => [r.figure, r.value, r.target, r.ratio, r.pass === null ? '-' : r.pass ? 'PASS' : 'FAIL']);
  const width = head.map((h, i) => Math.min(90, Math.max(h.length, ...cells.map((c) => c[i]!.length))));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(width[i]!)).join(' | ');
  const out = [line(head), width.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)];
  const notes = rows.flatMap((r) => (r.note ? [`  - ${r.figure}: ${r.note}`] : []));
  return [...out, ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}

function baselineText(b: Baseline, label: string): string {
  return `${label}: CPU loop ${b.cpuLoopMs} ms · openssl speed rsa2048 ${b.opensslRsa2048SignPerSec ?? 'n/a'} sign/s · ${b.cpus} × ${b.cpuModel} · load ${b.loadAvg1}`;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const modules = benchModules(args.modules);
  const unknown = args.modules.filter((m) => !modules.includes(m));
  if (unknown.length > 0) throw new RangeError(`no bench module ${unknown.join(', ')} in bench/ (there are: ${benchModules().join(', ')})`);
  const before = measureBaseline();
  process.stderr.write(baselineText(before, 'baseline') + '\n');
  const rows: Row[] = [];
  for (const m of modules) rows.push(...(await runModule(m, { quick: args.quick })));
  if (args.modules.length === 0) rows.push(...missingFigures(modules));
  const after = measureBaseline();
  const mode = args.quick ? '--quick: small sizes and few runs; a check that every bench works, not the figures\n' : '';
  process.stdout.write(`\n${mode}${baselineText(before, 'machine baseline before')}\n${baselineText(after, 'machine baseline after ')}\n\n${table(rows)}\n`);
  if (args.json) process.stdout.write(JSON.stringify({ quick: args.quick, baseline: { before, after }, rows }, null, 2) + '\n');
  // A missed target is a finding in the table, not a failed command; a module that crashed is.
  return rows.some((r) => r.value === 'failed') ? 1 : 0;
}

// Exit explicitly: a module may leave a pool or a timer behind.
if (import.meta.main) process.exit(await main(process.argv.slice(2)));
