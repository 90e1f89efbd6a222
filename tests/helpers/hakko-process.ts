/**
 * Hakko as a real operating-system process (`node api/main.ts`), for the fault and scale-out suites:
 * what `npm start` runs, with its environment, its own event loop and its own log. Unlike
 * tests/helpers/server.ts (in-process), such a process can be killed with SIGKILL, and two of them
 * share nothing but the database.
 *
 * Every process writes its log (LOG_LEVEL=debug, stderr and stdout) to a file in the run's log
 * directory (tests/helpers/test-logs.ts), which the run-wide scan searches for PINs and tokens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort, ROOT, runCli } from './server.ts';
import { tempDir } from './db.ts';
import { pickUp } from './pickup-client.ts';
import { logFile } from './test-logs.ts';

export interface HakkoProcess {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly httpUrl: string;
  readonly httpsUrl: string;
  readonly logPath: string;
  /** Resolves when the process has ended (code or signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly proc: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  log(): string;
}

export interface HakkoEnvOptions {
  readonly databaseUrl?: string | null;
  readonly dataDir?: string;
  readonly passphrase?: string;
  readonly env?: Record<string, string>;
}

/** The environment of one process: free ports, its data directory, the database and the shared secret. */
export async function hakkoEnv(opts: HakkoEnvOptions = {}): Promise<Record<string, string>> {
  const dataDir = opts.dataDir ?? tempDir('hakko-proc-');
  return {
    PORT: String(await freePort()),
    HTTPS_PORT: String(await freePort()),
    HOST: '127.0.0.1',
    HAKKO_DATA_DIR: dataDir,
    HAKKO_CA_PASSPHRASE: opts.passphrase ?? 'fault-suite passphrase, shared by every process',
    LOG_LEVEL: 'debug',
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...opts.env,
  };
}

let counter = 0;

/** Starts `node api/main.ts` and waits until /api/health answers 200 (or the process dies). */
export async function startHakkoProcess(env: Record<string, string>, name = 'hakko'): Promise<HakkoProcess> {
  const logPath = logFile(`${name}-${process.pid}-${++counter}`);
  const out = createWriteStream(logPath, { flags: 'a' });
  const proc = spawn(process.execPath, [path.join(ROOT, 'api/main.ts')], { env: { ...process.env, ...env }, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.pipe(out, { end: false });
  proc.stderr!.pipe(out, { end: false });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => {
      // Let the pipes drain before the stream ends.
      setImmediate(() => out.end());
      resolve({ code, signal });
    }),
  );
  const httpUrl = `http://127.0.0.1:${env.PORT}`;
  const p: HakkoProcess = {
    name, env, httpUrl, httpsUrl: `https://127.0.0.1:${env.HTTPS_PORT}`, logPath, exited, proc,
    async kill(signal = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
    log: () => readFileSync(logPath, 'utf8'),
  };
  let dead = false;
  void exited.then(() => (dead = true));
  const end = Date.now() + 120_000;
  for (;;) {
    if (dead) throw new Error(`${name} ended during start-up: ${p.log().slice(-2000)}`);
    try {
      const r = await fetch(`${httpUrl}/api/health`);
      if (r.status === 200) return p;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) {
      await p.kill();
      throw new Error(`${name} did not become healthy: ${p.log().slice(-2000)}`);
    }
    await delay(50);
  }
}

/** An institution (CLI) and an officer enrolled and picked up over HTTP, for proxy-mode calls. */
export async function officerOf(p: { env: Record<string, string>; httpUrl: string }, institution: { code: string; ja: string; en: string; o: string; l: string; st: string; domains: readonly string[] }, email: string): Promise<{ certPem: string; keyPem: string; serial: string }> {
  const args = ['institution', 'add', '--code', institution.code, '--name-ja', institution.ja, '--name-en', institution.en, '--o', institution.o, '--l', institution.l, '--st', institution.st];
  for (const d of institution.domains) args.push('--domain', d);
  const a = await runCli(p.env, args);
  if (a.code !== 0) throw new Error(`institution add: ${a.stderr}`);
  const e = await runCli(p.env, ['officer', 'enroll', '--institution', institution.code, '--name', '障害 試験', '--email', email, '--json']);
  if (e.code !== 0) throw new Error(`officer enroll: ${e.stderr}`);
  const { url, pin } = JSON.parse(e.stdout) as { url: string; pin: string };
  return pickUp(p.httpUrl, url, pin, 'CN=ignored');
}

/** Proxy-mode headers: the officer certificate as nginx forwards it, and the CSRF header. */
export function proxyHeaders(certPem: string): Record<string, string> {
  return { 'x-ssl-client-cert': encodeURIComponent(certPem), 'x-hakko-request': '1' };
}
