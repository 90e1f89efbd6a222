/**
 * A real Hakko server for tests: temporary data directory, free ports on 127.0.0.1, PGlite or a
 * fresh PostgreSQL database. In-process, so tests can reach its services; the CLI runs as a child.
 */
import https from 'node:https';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { rmSync } from 'node:fs';
import net from 'node:net';
import { loadConfig } from '../../api/config.ts';
import type { Logger } from '../../api/log.ts';
import { fileLogger } from './test-logs.ts';
import { startServer, type RunningServer, type StartOptions } from '../../api/main.ts';
import type { Clock } from '../../api/clock.ts';
import { tempDir, type Backend } from './db.ts';
import { TEST_KDF_COST } from './keys.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface TestServer extends RunningServer {
  readonly dataDir: string;
  readonly env: Record<string, string>;
  /** Stops the server and starts it again on the same ports and data; `whileDown` runs in between (a longer outage). */
  restart(opts?: { whileDown?: () => Promise<void> }): Promise<TestServer>;
  dispose(): Promise<void>;
}

export interface TestServerOptions {
  readonly backend?: Backend;
  readonly env?: Record<string, string>;
  readonly clock?: Clock;
  readonly webRoot?: string | null;
  readonly log?: Logger;
  /** Sweep and worker periods (StartOptions); e.g. `{ sweepIntervalMs: 0 }` when a test drives `sweep`. */
  readonly timers?: Pick<StartOptions, 'sweepIntervalMs' | 'workerIntervalMs'>;
  /** An existing instance to start on (its data directory and, for PostgreSQL, database); the test disposes of it. */
  readonly existing?: { readonly dataDir: string; readonly databaseUrl: string | null };
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.existing?.dataDir ?? tempDir('hakko-srv-');
  const db = opts.existing ? (opts.existing.databaseUrl ? { url: opts.existing.databaseUrl, dispose: async () => {} } : null) : opts.backend?.createUrl ? await opts.backend.createUrl() : null;
  const env: Record<string, string> = { PORT: String(await freePort()), HTTPS_PORT: String(await freePort()), HAKKO_DATA_DIR: dataDir, HAKKO_CA_PASSPHRASE: 'test-passphrase-' + path.basename(dataDir), ...(db ? { DATABASE_URL: db.url } : {}), ...opts.env };
  // Logs go to the run's log directory, searched for PINs and tokens at the end (tests/global-log-scan.ts).
  const serverLog = opts.log ?? fileLogger('srv');
  const boot = async (): Promise<TestServer> => {
    // A restart keeps the ports, so URLs in certificates and mails stay right.
    const config = loadConfig(env);
    const srv = await startServer(config, opts.log ?? serverLog, { webRoot: opts.webRoot ?? null, clock: opts.clock, kdfCost: TEST_KDF_COST, ...opts.timers });
    return {
      ...srv,
      dataDir,
      env,
      async restart(o?: { whileDown?: () => Promise<void> }) {
        await srv.stop();
        await o?.whileDown?.();
        return boot();
      },
      async dispose() {
        await srv.stop();
        await db?.dispose();
        if (!opts.existing) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  };
  return boot();
}

/** Runs `hakko …` as a child process against the server's data directory/database. */
export function runCli(env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'api/cli/hakko.ts'), ...args], { env: { ...process.env, ...env }, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface HttpsAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  json<T = any>(): T;
}

/** An HTTPS request to the test server, optionally with a client certificate (PEM). */
export function httpsRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; cert?: string; key?: string; ca?: string } = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: opts.method ?? 'GET', headers: opts.headers, cert: opts.cert, key: opts.key, ca: opts.ca, rejectUnauthorized: !!opts.ca, servername: 'localhost' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}
