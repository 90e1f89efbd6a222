/**
 * Signing throughput (spec 08 §Performance): the in-process issuance path — checkCsr, buildAndSign
 * with the RSA-2048 issuing CA, checkIssued; no HTTP, no database — side by side with
 * `openssl speed -seconds 3 rsa2048` (target ≥ 50 % of its sign/s, both on one core) and with a
 * shell loop of `openssl x509 -req` (target ≥ 10× faster). Also reports the two-core figure.
 *
 * "One core": the measuring process is pinned with `taskset -c 0` (when available) — for OpenSSL and
 * for Node alike, so WebCrypto's thread pool shares that core too. Run alone: `node bench/signing.ts`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { loadOrCreateCa, MemoryCaKeyStore, type CaRecord } from '../api/pki/hierarchy.ts';
import type { SystemCertName } from '../api/pki/ca-certs.ts';
import { checkCsr } from '../api/pki/csr.ts';
import { buildAndSign } from '../api/pki/builder.ts';
import { checkIssued } from '../api/pki/check-issued.ts';
import { newSerial } from '../api/pki/serial.ts';
import type { IssueRequest } from '../api/pki/profiles.ts';

const SELF = import.meta.filename;
const PASS = 'bench passphrase';
const CA_OPTS = { passphrase: PASS, organisation: 'Hakko Bench', publicUrl: 'http://localhost:8080', publicHttpsUrl: 'https://localhost:8443', publicPkiUrl: 'http://localhost:8080', mailFrom: 'hakko@localhost', clock: { now: () => new Date() } };

export interface SigningFigures {
  /** Mean of the two `openssl speed` runs (before and after the one-core Hakko runs). */
  readonly opensslSpeedSignPerSec: number;
  readonly opensslSpeedRuns: readonly [number, number];
  /** Pinned to one core: a single sequential async loop, and `concurrency` issuances in flight. */
  readonly oneCore: { readonly sequential: Rate; readonly pipelined: Rate; readonly concurrency: number };
  readonly twoCores: { readonly inProcessPerSec: number; readonly twoWorkersPerSec: number };
  readonly ratioOneCore: number;
  readonly x509Loop: { readonly certificates: number; readonly seconds: number; readonly perSec: number };
  readonly speedupVsX509Loop: number;
  readonly targets: { readonly ratio: 0.5; readonly speedup: 10; readonly ratioMet: boolean; readonly speedupMet: boolean };
  readonly pinned: boolean;
}

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const pin = (cores: string, cmd: string, args: string[]): [string, string[]] => (hasTaskset ? ['taskset', ['-c', cores, cmd, ...args]] : [cmd, args]);

/** Runs everything and returns the figures (each phase ≈ `seconds`). */
export async function benchSigning(opts: { seconds?: number; x509Certificates?: number; quick?: boolean } = {}): Promise<SigningFigures> {
  const seconds = opts.seconds ?? (opts.quick ? 1 : 3);
  const store = await makeStore();
  // OpenSSL is measured right before and right after the one-core runs (the mean is the baseline),
  // so that load from other processes affects both sides alike.
  const before = opensslSpeed(seconds);
  const sequential = await child('0', { seconds, concurrency: 1, store });
  const pipelined = await child('0', { seconds, concurrency: 4, store });
  const after = opensslSpeed(seconds);
  const opensslSpeedSignPerSec = (before + after) / 2;
  const inProcessPerSec = (await child('0,1', { seconds, concurrency: 8, store })).perSec;
  const twoWorkersPerSec = (await child('0,1', { seconds, concurrency: 2, store, workers: 2 })).perSec;
  const x509Loop = x509ShellLoop(opts.x509Certificates ?? (opts.quick ? 20 : 100));
  // openssl speed divides by CPU (user) time, not wall-clock time (see its -elapsed option), so the
  // comparable Hakko figure is issuances per CPU second of the pinned process.
  const best = Math.max(sequential.perCpuSec, pipelined.perCpuSec);
  const ratioOneCore = best / opensslSpeedSignPerSec;
  const speedupVsX509Loop = Math.max(sequential.perSec, pipelined.perSec) / x509Loop.perSec;
  return {
    opensslSpeedSignPerSec,
    opensslSpeedRuns: [before, after],
    oneCore: { sequential, pipelined, concurrency: 4 },
    twoCores: { inProcessPerSec, twoWorkersPerSec },
    ratioOneCore,
    x509Loop,
    speedupVsX509Loop,
    targets: { ratio: 0.5, speedup: 10, ratioMet: ratioOneCore >= 0.5, speedupMet: speedupVsX509Loop >= 10 },
    pinned: hasTaskset,
  };
}

/** `openssl speed -seconds N rsa2048` on core 0; parses the `rsa 2048 bits … sign/s verify/s` line. */
function opensslSpeed(seconds: number): number {
  const [cmd, args] = pin('0', 'openssl', ['speed', '-seconds', String(seconds), 'rsa2048']);
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const m = /^rsa\s+2048 bits\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)/m.exec(r.stdout);
  if (!m) throw new Error(`cannot parse openssl speed output:\n${r.stdout}${r.stderr}`);
  return Number(m[1]);
}

/** Issues `n` certificates with `openssl x509 -req` in a bash loop (throwaway CA in a temp dir). */
function x509ShellLoop(n: number): { certificates: number; seconds: number; perSec: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'hakko-bench-'));
  try {
    const sh = (c: string) => {
      const r = spawnSync('bash', ['-c', c], { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    sh(`openssl req -x509 -newkey rsa:2048 -passout 'pass:${PASS}' -keyout ca.key -subj "/CN=Bench CA" -days 30 -out ca.pem 2>/dev/null`);
    sh(`openssl req -new -newkey rsa:2048 -nodes -keyout /dev/null -subj "/CN=x" -out req.pem 2>/dev/null`);
    writeFileSync(path.join(dir, 'ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\nsubjectAltName=email:taro@example.ac.jp\n');
    const t0 = performance.now();
    sh(`for i in $(seq 1 ${n}); do openssl x509 -req -in req.pem -CA ca.pem -CAkey ca.key -passin 'pass:${PASS}' -set_serial $i -days 395 -subj "/C=JP/O=Example University/CN=User $i" -extfile ext.cnf -out c$i.pem 2>/dev/null; done`);
    const secs = (performance.now() - t0) / 1000;
    return { certificates: n, seconds: secs, perSec: n / secs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function makeStore(): Promise<Record<string, CaRecord>> {
  const store = new MemoryCaKeyStore();
  await loadOrCreateCa(store, CA_OPTS);
  return Object.fromEntries(store.records);
}

/** Runs the loop in a child process pinned to `cores`; the store travels as JSON (keys encrypted). */
/** Issuances per wall-clock second and per CPU second (user + system, all threads of the process). */
interface Rate {
  readonly perSec: number;
  readonly perCpuSec: number;
}

function child(cores: string, job: { seconds: number; concurrency: number; store: Record<string, CaRecord>; workers?: number }): Promise<Rate> {
  const [cmd, args] = pin(cores, process.execPath, [SELF, '--child']);
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`bench child exited ${code}`))));
    p.stdin.end(JSON.stringify({ ...job, store: encodeStore(job.store) }));
  });
}

const encodeStore = (s: Record<string, CaRecord>) => Object.fromEntries(Object.entries(s).map(([k, r]) => [k, { c: Buffer.from(r.certificate).toString('base64'), k: Buffer.from(r.encryptedKey!).toString('base64'), m: r.meta ?? null }]));
function decodeStore(s: Record<string, { c: string; k: string; m: Record<string, unknown> | null }>): MemoryCaKeyStore {
  const store = new MemoryCaKeyStore();
  for (const [name, r] of Object.entries(s)) store.records.set(name as SystemCertName, { certificate: new Uint8Array(Buffer.from(r.c, 'base64')), encryptedKey: new Uint8Array(Buffer.from(r.k, 'base64')), meta: r.m });
  return store;
}

/** The measured loop: `concurrency` chains of checkCsr → buildAndSign → checkIssued for `seconds`. */
async function issueLoop(encoded: Parameters<typeof decodeStore>[0], seconds: number, concurrency: number): Promise<Rate> {
  const ca = await loadOrCreateCa(decodeStore(encoded), CA_OPTS);
  x509.cryptoProvider.set(globalThis.crypto);
  const csrs: string[] = [];
  for (let i = 0; i < 8; i++) {
    const keys = (await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=User ${i},OU=S${i},O=Example University,L=Academe,C=JP`, keys, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5' } });
    csrs.push(csr.toString('pem'));
  }
  let n = 0;
  const one = async () => {
    const i = n++;
    const csr = checkCsr(csrs[i % csrs.length]!);
    const request: IssueRequest = {
      profile: 5,
      mail: `user${i}@example.ac.jp`,
      subject: [{ type: 'CN', value: `User ${i}` }, { type: 'OU', value: `S${i}` }, { type: 'O', value: 'Example University' }, { type: 'L', value: 'Academe' }, { type: 'C', value: 'JP' }],
    };
    const input = { request, publicKey: csr.spki, serial: newSerial(), notBefore: new Date() };
    const cert = await buildAndSign(input, ca.issuer);
    checkIssued(cert.der, input, ca.issuer);
  };
  const run = async (ms: number) => {
    const end = performance.now() + ms;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) await one();
    }));
  };
  await run(500); // warm-up
  n = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await run(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  return { perSec: n / ((performance.now() - t0) / 1000), perCpuSec: n / ((cpu.user + cpu.system) / 1e6) };
}

async function childMain(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const job = JSON.parse(input) as { seconds: number; concurrency: number; store: Parameters<typeof decodeStore>[0]; workers?: number };
  let rate: Rate;
  if (job.workers) {
    const rates = await Promise.all(
      Array.from({ length: job.workers }, () => new Promise<Rate>((resolve, reject) => {
        const w = new Worker(SELF, { workerData: job });
        w.once('message', resolve);
        w.once('error', reject);
      })),
    );
    // Worker CPU time is process-wide, so per-CPU-second figures are not additive: report wall clock.
    rate = { perSec: rates.reduce((a, b) => a + b.perSec, 0), perCpuSec: NaN };
  } else {
    rate = await issueLoop(job.store, job.seconds, job.concurrency);
  }
  process.stdout.write(JSON.stringify(rate) + '\n');
}

function report(f: SigningFigures): string {
  const r = (x: number) => x.toFixed(0).padStart(7);
  return [
    `signing throughput (RSA-2048 issuing CA; checkCsr + buildAndSign + checkIssued)${f.pinned ? '' : ' — taskset unavailable: not pinned'}`,
    `  openssl speed rsa2048, one core        ${r(f.opensslSpeedSignPerSec)} sign per CPU-s (runs: ${f.opensslSpeedRuns.map((x) => x.toFixed(0)).join(', ')})`,
    `  Hakko, one core, sequential loop       ${r(f.oneCore.sequential.perCpuSec)} cert per CPU-s  (${r(f.oneCore.sequential.perSec).trim()} per wall-clock s)`,
    `  Hakko, one core, ${f.oneCore.concurrency} in flight          ${r(f.oneCore.pipelined.perCpuSec)} cert per CPU-s  (${r(f.oneCore.pipelined.perSec).trim()} per wall-clock s)`,
    `  ratio to openssl speed (CPU time both)  ${(100 * f.ratioOneCore).toFixed(1)} % (target ≥ 50 %) ${f.targets.ratioMet ? 'MET' : 'NOT MET'}`,
    `  Hakko, two cores, one process          ${r(f.twoCores.inProcessPerSec)} cert per wall-clock s`,
    `  Hakko, two cores, two worker threads   ${r(f.twoCores.twoWorkersPerSec)} cert per wall-clock s`,
    `  openssl x509 -req shell loop (${f.x509Loop.certificates})     ${r(f.x509Loop.perSec)} cert per wall-clock s; Hakko one core is ${f.speedupVsX509Loop.toFixed(1)}× faster (target ≥ 10×) ${f.targets.speedupMet ? 'MET' : 'NOT MET'}`,
  ].join('\n');
}

if (!isMainThread) {
  const job = workerData as { seconds: number; concurrency: number; store: Parameters<typeof decodeStore>[0] };
  parentPort!.postMessage(await issueLoop(job.store, job.seconds, job.concurrency));
} else if (process.argv.includes('--child')) {
  await childMain();
} else if (process.argv[1] === SELF) {
  const f = await benchSigning();
  console.log(report(f));
  console.log(JSON.stringify(f));
}
