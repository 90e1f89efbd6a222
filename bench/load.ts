/**
 * Load on loopback (issue 15), with autocannon, bounded in count and time: pickups (verify + CSR +
 * confirm, real RSA-2048 CSRs made beforehand) and OCSP (RFC 5019 GET and RFC 6960 POST for a known
 * serial), many concurrent clients, against one Hakko process and against two processes on one
 * PostgreSQL (child processes of `api/main.ts` sharing DATABASE_URL; clients split between the two
 * ports — no proxy). Reported: requests/s and pickups/s, p50/p95/p99 latency per step. Afterwards
 * the database is checked: every pickup made exactly one certificate and completed its request;
 * every answer had the expected status. Needs PostgreSQL (two processes share nothing else).
 * Run alone: `node bench/load.ts [--quick]`.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { encodeTsv } from '../api/domain/tsv/codec.ts';
import { ADMIN_URL, postgresBackend, postgresReachable } from '../tests/helpers/db.ts';
import { requestLinks } from '../tests/helpers/issued.ts';
import { addTestInstitution, enrollTestOfficer, SAMPLE_INSTITUTION, uploadViaApi } from '../tests/helpers/officer.ts';
import { keyAndCsr } from '../tests/helpers/pickup-client.ts';
import { freePort, ROOT, startTestServer } from '../tests/helpers/server.ts';
import { freshIp, pickupApi } from '../tests/helpers/world.ts';

/** A figure as bench/run.ts reads it. */
export interface LoadFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** A number (rates: at least), or what must hold (text). */
  readonly target: number | string;
  readonly ok: boolean;
  /** Nothing lost or doubled and every answer as expected — `ok` without the speed target (tests assert this). */
  readonly sound: boolean;
  readonly note?: string;
  readonly runs?: readonly number[];
}

interface Pickup {
  readonly dn: string;
  readonly token: string;
  readonly pin: string;
  readonly csr: string;
  readonly ip: string;
}

export interface Sizes {
  /** Pickups per run (one run with one process, one with two). */
  readonly pickups: number;
  /** Concurrent clients (connections) in all, split between the processes. */
  readonly connections: number;
  /** OCSP seconds per method and run. */
  readonly ocspSeconds: number;
}

const FULL: Sizes = { pickups: 240, connections: 24, ocspSeconds: 5 };
const QUICK: Sizes = { pickups: 24, connections: 8, ocspSeconds: 1 };
/** A run that takes longer than this is stopped and reported as failed (bounded in time). */
const RUN_LIMIT_MS = 180_000;

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function stats(latencies: readonly number[]): { p50: number; p95: number; p99: number; max: number } {
  const s = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? Number.NaN };
}

const fmt = (s: ReturnType<typeof stats>) => `p50 ${round(s.p50)} ms, p95 ${round(s.p95)} ms, p99 ${round(s.p99)} ms, max ${round(s.max)} ms`;

interface Processes {
  readonly urls: readonly string[];
  stop(): Promise<void>;
}

/** `n` Hakko processes on the database of `env` (each with its own ports and data directory). */
async function startProcesses(env: Record<string, string>, n: number): Promise<Processes> {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  const urls: string[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const [port, httpsPort] = [await freePort(), await freePort()];
      const dir = mkdtempSync(path.join(tmpdir(), 'hakko-bench-load-'));
      dirs.push(dir);
      const childEnv: Record<string, string | undefined> = { ...process.env, ...env, PORT: String(port), HTTPS_PORT: String(httpsPort), HAKKO_DATA_DIR: dir, LOG_LEVEL: 'warn', TRUSTED_PROXIES: '127.0.0.1' };
      delete childEnv.SMTP_URL;
      const child = spawn(process.execPath, [path.join(ROOT, 'api/main.ts')], { env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      // One after the other: the first one has finished any start-up work before the second starts.
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('is running') && resolve());
        child.once('exit', (c) => reject(new Error(`server exited (${c})`)));
      });
      child.stdout!.resume();
      urls.push(`http://127.0.0.1:${port}`);
    }
  } catch (e) {
    for (const c of children) c.kill('SIGTERM');
    throw e;
  }
  return {
    urls,
    async stop() {
      await Promise.all(children.map((c) => new Promise<void>((resolve) => {
        if (c.exitCode !== null) return resolve();
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
      })));
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Runs autocannon and resolves with its result; stopped after RUN_LIMIT_MS. */
function cannon(opts: autocannon.Options, onResponse: (client: unknown, status: number, ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => {
      clearTimeout(limit);
      if (err) reject(err);
      else resolve(result);
    });
    const limit = setTimeout(() => instance.stop(), RUN_LIMIT_MS);
    instance.on('response', (client: unknown, status: number, _bytes: number, ms: number) => onResponse(client, status, ms));
  });
}

interface PickupRun {
  readonly seconds: number;
  readonly latencies: { verify: number[]; csr: number[]; confirm: number[] };
  /** Status codes per step, e.g. { verify: { 204: 120 } }. */
  readonly statuses: Record<'verify' | 'csr' | 'confirm', Record<number, number>>;
  readonly serials: string[];
  readonly errors: number;
  readonly timeouts: number;
}

/** The pickups split over the processes' URLs, `connections` clients in all, each doing whole pickups. */
async function runPickups(urls: readonly string[], pickups: readonly Pickup[], connections: number): Promise<PickupRun> {
  const steps = ['verify', 'csr', 'confirm'] as const;
  const latencies = { verify: [] as number[], csr: [] as number[], confirm: [] as number[] };
  const statuses = { verify: {}, csr: {}, confirm: {} } as PickupRun['statuses'];
  const serials: string[] = [];
  const perUrl = connections / urls.length;
  const perConnection = pickups.length / connections;
  if (!Number.isInteger(perUrl) || !Number.isInteger(perConnection)) throw new Error('pickups must split evenly over connections and processes');
  const t0 = performance.now();
  const results = await Promise.all(urls.map((url, u) => {
    const mine = pickups.slice(u * perUrl * perConnection, (u + 1) * perUrl * perConnection);
    let next = 0;
    const stepOf = new Map<unknown, number>();
    type Ctx = { p?: Pickup };
    const json = { 'content-type': 'application/json' };
    return cannon({
      url,
      connections: perUrl,
      // Each connection does whole pickups, perConnection of them; then it closes.
      maxConnectionRequests: 3 * perConnection,
      amount: 3 * mine.length,
      timeout: 60,
      requests: [
        {
          method: 'POST',
          setupRequest: (req, context: Ctx) => {
            const p = mine[next++];
            if (!p) return null as unknown as typeof req; // never: the counts are exact
            context.p = p;
            return { ...req, path: `/api/pickup/${p.token}/verify`, headers: { ...json, 'x-forwarded-for': p.ip }, body: JSON.stringify({ pin: p.pin }) };
          },
        },
        {
          method: 'POST',
          setupRequest: (req, context: Ctx) => ({ ...req, path: `/api/pickup/${context.p!.token}/csr`, headers: { ...json, 'x-forwarded-for': context.p!.ip }, body: JSON.stringify({ pin: context.p!.pin, csr: context.p!.csr }) }),
          onResponse: (status, body) => {
            if (status === 201) serials.push((JSON.parse(body) as { certificates: { serial: string }[] }).certificates[0]!.serial);
          },
        },
        {
          method: 'POST',
          setupRequest: (req, context: Ctx) => ({ ...req, path: `/api/pickup/${context.p!.token}/confirm`, headers: { ...json, 'x-forwarded-for': context.p!.ip }, body: JSON.stringify({ pin: context.p!.pin }) }),
        },
      ],
    }, (client, status, ms) => {
      const i = stepOf.get(client) ?? 0;
      stepOf.set(client, i + 1);
      const step = steps[i % 3]!;
      latencies[step].push(ms);
      statuses[step][status] = (statuses[step][status] ?? 0) + 1;
    });
  }));
  return {
    seconds: (performance.now() - t0) / 1000, latencies, statuses, serials,
    errors: results.reduce((n, r) => n + r.errors, 0), timeouts: results.reduce((n, r) => n + r.timeouts, 0),
  };
}

/** OCSP for one known certificate, GET or POST, `connections` clients split over the URLs for `seconds`. */
async function runOcsp(urls: readonly string[], request: Buffer, method: 'GET' | 'POST', connections: number, seconds: number) {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const getPath = `/pki/ocsp/${encodeURIComponent(request.toString('base64'))}`;
  const results = await Promise.all(urls.map((base) => cannon({
    connections: connections / urls.length, duration: seconds, timeout: 30,
    ...(method === 'GET' ? { url: base + getPath, method } : { url: `${base}/pki/ocsp`, method, headers: { 'content-type': 'application/ocsp-request' }, body: request }),
  }, (_c, status, ms) => {
    latencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  })));
  const total = results.reduce((n, r) => n + r.requests.total, 0);
  return { perSec: total / seconds, latency: stats(latencies), statuses, errors: results.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0) };
}

/** The whole load bench on a fresh PostgreSQL database. */
export async function benchLoad(opts: { quick?: boolean; sizes?: Sizes } = {}): Promise<LoadFigure[]> {
  const sizes = opts.sizes ?? (opts.quick ? QUICK : FULL);
  if (!(await postgresReachable(ADMIN_URL))) {
    console.warn(`notice: PostgreSQL at ${ADMIN_URL} does not answer; load bench not run`);
    return [{ name: 'load: pickups and OCSP, one and two processes', value: Number.NaN, unit: '', target: Number.NaN, ok: false, sound: false, note: `PostgreSQL at ${ADMIN_URL} does not answer` }];
  }
  // Set-up in this process: institution, officer, one upload with every request, PINs retrieved.
  const srv = await startTestServer({ backend: postgresBackend(ADMIN_URL), env: { TRUSTED_PROXIES: '127.0.0.1' } });
  const dir = mkdtempSync(path.join(tmpdir(), 'hakko-bench-load-ocsp-'));
  const out: LoadFigure[] = [];
  try {
    await addTestInstitution(srv, SAMPLE_INSTITUTION);
    const officer = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code, '負荷 担当', 'officer@sample.ac.jp');
    const total = sizes.pickups * 2;
    const dns = Array.from({ length: total }, (_, i) => `CN=LOAD USER ${i},OU=L${10000 + i},O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP`);
    const tsv = dns.map((dn, i) => [dn, '13', '1', '', '', '', '', '管理 花子', '情報基盤センター', 'admin@sample.ac.jp', `利用者 ${i}`, '', '工学部', `load${i}@sample.ac.jp`, '']);
    const up = await uploadViaApi(srv, officer, { file: { name: 'issue.tsv', bytes: encodeTsv(tsv) }, kind: 'issue', mode: 'abort', reviewed: 'true' });
    if (up.status !== 200) throw new Error(`upload: ${up.status} ${up.text.slice(0, 300)}`);
    const links = await requestLinks(srv, dns);
    const pins: string[] = [];
    for (const l of links) {
      const got = await pickupApi(srv.httpUrl, freshIp()).retrieve(l.pin);
      if (got.status !== 200) throw new Error(`retrieve: ${got.status} ${JSON.stringify(got.json)}`);
      pins.push(got.json.pins[0].pin as string);
    }
    // Real CSRs, made before the clock starts (the browser's part).
    const csrs: string[] = [];
    for (let i = 0; i < total; i += 8) csrs.push(...(await Promise.all(dns.slice(i, i + 8).map(async () => (await keyAndCsr('CN=ignored')).csrPem))));
    const pickups: Pickup[] = links.map((l, i) => ({ dn: l.dn, token: l.pickup, pin: pins[i]!, csr: csrs[i]!, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }));
    const issuingPem = srv.services.ca.show().issuing.pem;
    await srv.stop(); // the database stays; the measured processes start on it

    const sql = postgres(srv.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      for (const n of [1, 2]) {
        const procs = await startProcesses(srv.env, n);
        try {
          const mine = pickups.slice((n - 1) * sizes.pickups, n * sizes.pickups);
          const run = await runPickups(procs.urls, mine, sizes.connections);
          // Nothing lost or doubled: one certificate per pickup, every request completed, each answer as expected.
          const dnList = mine.map((p) => p.dn);
          const [db] = await sql<{ certs: number; requests: number; completed: number }[]>`
            select count(c.id)::int as certs, count(distinct r.id)::int as requests, count(distinct r.id) filter (where r.state = 'completed')::int as completed
            from requests r left join certificates c on c.request_id = r.id and c.state = 'issued'
            where r.dn = any(${dnList})`;
          const expected = { verify: { 204: mine.length }, csr: { 201: mine.length }, confirm: { 204: mine.length } };
          const answersOk = JSON.stringify(run.statuses) === JSON.stringify(expected);
          const exact = db!.certs === mine.length && db!.requests === mine.length && db!.completed === mine.length && new Set(run.serials).size === mine.length;
          const perSec = mine.length / run.seconds;
          const all = [...run.latencies.verify, ...run.latencies.csr, ...run.latencies.confirm];
          out.push({
            name: `load, pickups (verify + CSR + confirm), ${n} process${n > 1 ? 'es' : ''} on PostgreSQL, ${sizes.connections} clients`,
            value: round(perSec), unit: 'pickups/s', target: 'every answer as expected; one certificate per pickup', ok: answersOk && exact && run.errors === 0 && run.timeouts === 0, sound: answersOk && exact && run.errors === 0 && run.timeouts === 0, runs: [round(perSec)],
            note: `${mine.length} pickups in ${round(run.seconds, 2)} s (${round((3 * mine.length) / run.seconds)} requests/s); all requests ${fmt(stats(all))}; verify ${fmt(stats(run.latencies.verify))}; CSR ${fmt(stats(run.latencies.csr))}; confirm ${fmt(stats(run.latencies.confirm))}; answers ${JSON.stringify(run.statuses)}; database: ${db!.certs} certificates for ${db!.requests} requests, ${db!.completed} completed, ${new Set(run.serials).size} distinct serials${run.errors + run.timeouts ? `; ${run.errors} errors, ${run.timeouts} timeouts` : ''}`,
          });
          // OCSP for a certificate of this run, as a relying party asks.
          const serial = run.serials[0]!;
          const issuerFile = path.join(dir, 'issuing.pem');
          writeFileSync(issuerFile, issuingPem);
          const reqFile = path.join(dir, `req-${n}.der`);
          // The request names the serial (openssl builds it from the issuer and the serial alone).
          execFileSync('openssl', ['ocsp', '-issuer', issuerFile, '-serial', `0x${BigInt(serial).toString(16)}`, '-no_nonce', '-reqout', reqFile], { stdio: 'ignore' });
          const request = readFileSync(reqFile);
          for (const method of ['GET', 'POST'] as const) {
            const o = await runOcsp(procs.urls, request, method, 32, sizes.ocspSeconds);
            out.push({
              name: `load, OCSP ${method} (known serial, no nonce), ${n} process${n > 1 ? 'es' : ''}, 32 clients`,
              value: round(o.perSec, 0), unit: 'responses/s', target: method === 'GET' ? 2000 : 'every answer 200', ok: o.errors === 0 && (method !== 'GET' || o.perSec >= 2000), sound: o.errors === 0 && o.perSec > 0, runs: [round(o.perSec, 0)],
              note: `${fmt(o.latency)}; answers ${JSON.stringify(o.statuses)}${o.errors ? `; ${o.errors} errors or non-2xx` : ''}`,
            });
          }
        } finally {
          await procs.stop();
        }
      }
    } finally {
      await sql.end({ timeout: 2 });
    }
  } finally {
    await srv.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.main) {
  const r = await benchLoad({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(r, (_k, v) => (typeof v === 'number' && Number.isNaN(v) ? null : v), 2));
  process.exit(r.every((x) => x.ok) ? 0 : 1);
}
