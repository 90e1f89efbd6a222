/**
 * Benchmark: time from a completed upload to its notifications in an SMTP server's inbox on loopback
 * (spec 08 §Performance: ≤ 5 s). A real Hakko server (api/main.ts wiring: outbox worker woken by the
 * upload's commit, S/MIME signing, nodemailer SMTP) against a local smtp-server; the officer uploads
 * a one-row method-1 file over HTTPS with its client certificate; the clock stops when the SMTP
 * server has received both mails of that upload (PIN notice and pickup notice). Same-run baseline:
 * one pre-built message sent over the same SMTP path. Also reported: a 100-row upload until all 200
 * notices arrived. On PGlite and, when it answers, PostgreSQL.
 * Run alone: `node bench/mail-latency.ts`.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createTransport } from 'nodemailer';
import postgres from 'postgres';
import { loadConfig } from '../api/config.ts';
import { silentLogger } from '../api/log.ts';
import { startServer, type RunningServer } from '../api/main.ts';
import { encodeTsv } from '../api/domain/tsv/codec.ts';
import { addInstitution } from '../api/workflows/institutions.ts';
import { enrollOfficer } from '../api/workflows/enroll-officer.ts';
import { ADMIN_URL, createPgDatabase } from '../tests/helpers/db.ts';
import { pickUp } from '../tests/helpers/pickup-client.ts';
import { uploadViaApi, type OfficerCredentials } from '../tests/helpers/officer.ts';
import type { TestServer } from '../tests/helpers/server.ts';
import type { BenchResult } from './tsv-validate.ts';

const RUNS = 10;
const TARGET_MS = 5000;

interface Inbox {
  readonly url: string;
  /** Resolves when `n` messages to `to` (or to anyone) not counted before have arrived; returns the last arrival time. */
  waitFor(n: number, to?: string): Promise<number>;
  close(): Promise<void>;
}

async function startInbox(): Promise<Inbox> {
  const arrivals: { at: number; to: string[] }[] = [];
  let wake: (() => void) | null = null;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, disableReverseLookup: true,
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        arrivals.push({ at: performance.now(), to: session.envelope.rcptTo.map((r) => r.address) });
        wake?.();
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.server.address() as AddressInfo;
  const taken = new Set<number>();
  return {
    url: `smtp://127.0.0.1:${port}`,
    async waitFor(n, to) {
      for (;;) {
        const fresh = arrivals.flatMap((a, i) => (!taken.has(i) && (to === undefined || a.to.includes(to)) ? [i] : []));
        if (fresh.length >= n) {
          const mine = fresh.slice(0, n);
          mine.forEach((i) => taken.add(i));
          return Math.max(...mine.map((i) => arrivals[i]!.at));
        }
        await new Promise<void>((r) => (wake = r));
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const round = (x: number) => Math.round(x * 10) / 10;

export function rows(n: number, tag: string): string[][] {
  return Array.from({ length: n }, (_, i) => [
    `CN=LATENCY ${tag} ${i},O=Bench University,L=Bunkyo-ku,ST=Tokyo,C=JP`, '13', '1', '', '', '', '',
    '管理 花子', '情報基盤センター', `admin-${tag}@bench.ac.jp`, `利用者 ${i}`, '', '工学部', `u${i}-${tag}@bench.ac.jp`, '',
  ]);
}

export async function serverOn(kind: 'pglite' | 'postgres', smtpUrl: string): Promise<{ srv: RunningServer; officer: OfficerCredentials; dispose(): Promise<void> } | null> {
  let db: { url: string; dispose(): Promise<void> } | null = null;
  if (kind === 'postgres') {
    const probe = postgres(ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
    const up = await probe`select 1`.then(() => true, () => false);
    await probe.end({ timeout: 1 });
    if (!up) return null;
    db = await createPgDatabase();
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hakko-bench-mail-'));
  const env = { PORT: '0', HTTPS_PORT: '0', HAKKO_DATA_DIR: dataDir, HAKKO_CA_PASSPHRASE: randomBytes(16).toString('hex'), SMTP_URL: smtpUrl, ...(db ? { DATABASE_URL: db.url } : {}) };
  const srv = await startServer(loadConfig(env), silentLogger, { webRoot: null });
  const s = srv.services;
  await addInstitution({ db: s.db, clock: s.clock }, { code: 'bench-u', ja: '計測大学', en: 'Bench University', o: 'Bench University', l: 'Bunkyo-ku', st: 'Tokyo', domains: ['bench.ac.jp'] }, 'bench');
  const e = await enrollOfficer(s, { institution: 'bench-u', operator: false, name: '計測 担当', email: 'officer@bench.ac.jp' }, 'bench');
  const picked = await pickUp(srv.httpUrl, e.url, e.pin, 'CN=ignored');
  const officer = { certPem: picked.certPem, keyPem: picked.keyPem, rootPem: s.ca.show().root.pem, serial: picked.serial, email: 'officer@bench.ac.jp' };
  return {
    srv, officer,
    async dispose() {
      await srv.stop();
      await db?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Upload → both notices of a one-row file in the SMTP inbox, median of RUNS, per database. */
export async function benchMailLatency(opts: { runs?: number; quick?: boolean } = {}): Promise<BenchResult[]> {
  const runs = opts.runs ?? (opts.quick ? 3 : RUNS);
  const inbox = await startInbox();
  const out: BenchResult[] = [];
  try {
    // Same-run baseline: one small pre-built message over the same SMTP path.
    const transport = createTransport(inbox.url);
    const baselineRuns: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await transport.sendMail({ envelope: { from: 'b@bench.ac.jp', to: ['baseline@bench.ac.jp'] }, raw: `From: b@bench.ac.jp\r\nTo: baseline@bench.ac.jp\r\nSubject: baseline ${i}\r\nMessage-ID: <b${i}@bench>\r\n\r\nhello\r\n` });
      baselineRuns.push((await inbox.waitFor(1, 'baseline@bench.ac.jp')) - t0);
    }
    transport.close();
    const baseline = round(median(baselineRuns));
    for (const kind of ['pglite', 'postgres'] as const) {
      const env = await serverOn(kind, inbox.url);
      if (!env) {
        console.warn(`notice: PostgreSQL at ${ADMIN_URL} does not answer; mail latency measured on PGlite only`);
        continue;
      }
      try {
        await inbox.waitFor(1, 'officer@bench.ac.jp'); // the enrollment mail
        const upload = (tag: string, n: number) => uploadViaApi(env.srv as TestServer, env.officer, { file: { name: 'issue.tsv', bytes: encodeTsv(rows(n, tag)) }, kind: 'issue', mode: 'abort', reviewed: 'true' });
        const one: number[] = [];
        for (let i = -1; i < runs; i++) {
          const tag = `${kind}${i + 1}`;
          const r = await upload(tag, 1);
          if (r.status !== 200) throw new Error(`upload failed: ${r.status} ${r.text}`);
          const t0 = performance.now();
          const a = await inbox.waitFor(1, `admin-${tag}@bench.ac.jp`);
          const b = await inbox.waitFor(1, `u0-${tag}@bench.ac.jp`);
          if (i >= 0) one.push(Math.max(a, b) - t0); // the first round warms up
        }
        const value = round(median(one));
        out.push({
          name: `mail-latency (${kind}): completed 1-row upload → both notices in the SMTP inbox (loopback)`,
          value, unit: 'ms', target: TARGET_MS, baseline, ratio: round(value / baseline), runs: one.map(round), ok: Math.max(...one) <= TARGET_MS,
        });
        const tag = `${kind}bulk`;
        const r = await upload(tag, 100);
        if (r.status !== 200) throw new Error(`upload failed: ${r.status} ${r.text}`);
        const t0 = performance.now();
        const last = await inbox.waitFor(200);
        const bulk = round(last - t0);
        out.push({
          name: `mail-latency (${kind}): completed 100-row upload → all 200 notices in the SMTP inbox (information)`,
          value: bulk, unit: 'ms', target: Number.POSITIVE_INFINITY, runs: [bulk], ok: true,
        });
      } finally {
        await env.dispose();
      }
    }
  } finally {
    await inbox.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchMailLatency();
  console.log(JSON.stringify(r, (_k, v) => (v === Number.POSITIVE_INFINITY ? null : v), 2));
  process.exit(r.every((x) => x.ok) ? 0 : 1);
}
