/**
 * The Hakko server process: the only place that reads the environment and wires things
 * (STYLE.md). HTTP on PORT and HTTPS (optional client certificates) on HTTPS_PORT, both answering
 * every route; the CLI socket while on PGlite.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { isLoopbackHost, loadConfig, ConfigError, type Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { acquireLock, socketPath } from './runtime/lock.ts';
import { openServices, StartupError } from './runtime/bootstrap.ts';
import { createApp } from './app.ts';
import { createWhoisClient } from './whois/client.ts';
import { serveCliSocket } from './cli/socket.ts';
import { executeRemote } from './cli/remote.ts';
import type { Services } from './services.ts';
import type { Clock } from './clock.ts';
import type { KdfCost } from './secrets/keys.ts';
import { startCrlPublisher } from './workflows/publish-crl.ts';
import { createOcspService } from './workflows/ocsp.ts';
import { startOutboxWorker, type RunningWorker } from './mail/worker.ts';
import { createMailboxTransport, createSmtpTransport, type MailTransport } from './mail/transport.ts';
import { storeInMailbox } from './workflows/mailbox.ts';
import { startSweeper, type RunningSweeper } from './workflows/sweep.ts';
import { allInstitutions } from './workflows/institutions.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

function mailTransport(s: Services): MailTransport {
  if (s.config.smtpUrl) return createSmtpTransport(s.config.smtpUrl);
  return createMailboxTransport({ save: (m) => storeInMailbox(s, m) });
}

export interface RunningServer {
  readonly worker?: RunningWorker;
  /** The periodic sweep (expiry, reminders); absent when switched off (`sweepIntervalMs: 0`). */
  readonly sweeper?: RunningSweeper;
  readonly httpUrl: string;
  readonly httpsUrl: string;
  readonly services: Services;
  stop(): Promise<void>;
}

function listen(server: http.Server | https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      // The usual start-up mistake gets one clear line instead of a stack trace.
      if (e.code === 'EADDRINUSE') reject(new StartupError('E_PORT_IN_USE', `port ${port} on ${host} is already in use (another Hakko?): stop that process or choose another PORT / HTTPS_PORT`));
      else if (e.code === 'EACCES') reject(new StartupError('E_PORT_DENIED', `not allowed to listen on port ${port} on ${host}: choose a port above 1023 or run with the needed privilege`));
      else reject(e);
    });
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}

function tlsOptions(config: Config, s: Services): https.ServerOptions {
  const ca = [s.ca.show().root.pem, s.ca.show().issuing.pem];
  const common = { requestCert: true, rejectUnauthorized: false, ca, minVersion: 'TLSv1.2' as const };
  if (config.tlsCertFile && config.tlsKeyFile) {
    return { ...common, cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) };
  }
  const creds = s.ca.tlsCredentials();
  return { ...common, cert: creds.cert, key: creds.key, passphrase: creds.passphrase };
}

export interface StartOptions {
  readonly webRoot?: string | null;
  readonly clock?: Clock;
  /** Sweep period (URL expiry, reminders); default 60 s; 0 switches the timer off (tests drive `sweep`). */
  readonly sweepIntervalMs?: number;
  /** Outbox poll period; default 1 s. Commits that queue mail wake the worker at once anyway. */
  readonly workerIntervalMs?: number;
  /** scrypt cost for a new instance's master key (`OpenOptions.kdfCost`): the test harness only. */
  readonly kdfCost?: KdfCost;
}

/** Starts Hakko; used by `npm start` and by the tests (ports 0 = free ports). */
export async function startServer(config: Config, log: Logger, opts: StartOptions = {}): Promise<RunningServer> {
  const lock = config.databaseUrl ? null : acquireLock(config.dataDir, { pid: process.pid, role: 'server', socket: socketPath(config.dataDir) });
  if (lock && !lock.ok) {
    throw new StartupError('E_LOCKED', `another Hakko ${lock.holder.role} (pid ${lock.holder.pid}) is using the embedded database in ${config.dataDir}; stop it first or use another HAKKO_DATA_DIR`);
  }
  try {
    const opened = await openServices(config, log, { clock: opts.clock, kdfCost: opts.kdfCost });
    const s = opened.services;
    const webRoot = opts.webRoot === undefined ? path.join(ROOT, 'build') : opts.webRoot;
    if (webRoot && !existsSync(path.join(webRoot, 'index.html'))) log.warn(`web app not built (${webRoot}); run npm run build`);
    const whois = createWhoisClient({ servers: config.whoisServers, db: s.db, clock: s.clock, log });
    const ocsp = createOcspService(s);
    // Another process's revocation (PostgreSQL: another API process, the CLI) reaches this one through
    // NOTIFY: its OCSP cache is cleared and its CRL publisher woken (the publisher coalesces kicks).
    let wakeCrlPublisher = () => {};
    await opened.listen('hakko_revoked', () => {
      ocsp.invalidate();
      wakeCrlPublisher();
    });
    const app = createApp(s, { webRoot, version: VERSION, whois, ocsp });
    const listener = getRequestListener(app.fetch);
    const httpServer = http.createServer(listener);
    const httpsServer = https.createServer(tlsOptions(config, s), listener);
    let httpPort: number;
    let httpsPort: number;
    try {
      httpPort = await listen(httpServer, config.port, config.host);
      httpsPort = await listen(httpsServer, config.httpsPort, config.host);
    } catch (e) {
      httpServer.close();
      await opened.close();
      throw e;
    }
    const transport = mailTransport(s);
    log.info(`mail transport: ${transport.name === 'smtp' ? `SMTP ${new URL(config.smtpUrl!).host}` : 'built-in mailbox (/dev/mailbox)'}`);
    if (transport.name !== 'smtp' && !isLoopbackHost(new URL(config.publicUrl).hostname)) {
      log.warn('SMTP_URL is not set: notifications are kept in the built-in mailbox, which is served only when PUBLIC_URL is on a loopback host — nobody can read them here; set SMTP_URL');
    }
    const worker = startOutboxWorker({ db: s.db, clock: s.clock, log, transport, signer: s.ca.mailSigner, chain: [s.ca.entity('issuing').certificate.der, s.ca.entity('root').certificate.der], from: config.mailFrom, sealKey: s.keys.pinEnc }, opts.workerIntervalMs);
    // A commit that queued mail wakes the worker at once (spec 08: upload → inbox within seconds).
    // A revocation re-issues the CRL within a second (spec 03); the publisher also keeps CRLs ≤ 24 h old.
    const crlPublisher = startCrlPublisher(s);
    wakeCrlPublisher = () => crlPublisher.kick();
    const before = s.signals;
    s.signals = {
      mailQueued: () => worker.kick(),
      revoked: () => {
        ocsp.invalidate();
        crlPublisher.kick();
      },
    };
    const sweepMs = opts.sweepIntervalMs ?? 60_000;
    const sweeper = sweepMs > 0 ? startSweeper(s, log, sweepMs) : undefined;
    const sock = lock
      ? await serveCliSocket(socketPath(config.dataDir), (req) =>
          executeRemote(s, req).catch((e: Error) => {
            log.error('CLI command failed', { argv: req.argv.slice(0, 2), error: e.stack ?? String(e) });
            return { stdout: '', stderr: 'hakko: the command failed inside the server (see the server log)\n', code: 2 };
          }),
        )
      : null;
    const hostPart = config.host.includes(':') ? `[${config.host}]` : config.host;
    let stopped = false;
    return {
      httpUrl: `http://${hostPart}:${httpPort}`,
      httpsUrl: `https://${hostPart}:${httpsPort}`,
      services: s,
      worker,
      sweeper,
      async stop() {
        if (stopped) return;
        stopped = true;
        sock?.close();
        await sweeper?.stop();
        s.signals = before;
        await crlPublisher.stop();
        await worker.stop();
        transport.close();
        await Promise.all([httpServer, httpsServer].map((srv) => new Promise<void>((r) => { srv.close(() => r()); srv.closeAllConnections(); })));
        await opened.close();
        lock?.release();
      },
    };
  } catch (e) {
    if (lock?.ok) lock.release();
    throw e;
  }
}

export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`hakko: [${e.code}] ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  let server: RunningServer;
  try {
    server = await startServer(config, log);
  } catch (e) {
    if (e instanceof StartupError) {
      process.stderr.write(`hakko: [${e.code}] ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const s = server.services;
  // A first start on an empty database says how to reach the dashboard (issue 12: first run).
  const empty = (await allInstitutions(s)).length === 0;
  log.info(`Hakko ${VERSION} ready`, { database: s.dbKind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL' });
  process.stdout.write(
    [
      '',
      `  Hakko ${VERSION} is running (database: ${s.dbKind === 'pglite' ? `embedded PGlite, ${config.dataDir}` : 'PostgreSQL'})`,
      `  Start page, TSV tool, pickup:  ${config.publicUrl}/`,
      `  Officer dashboard (HTTPS):     ${config.publicHttpsUrl}/officer`,
      `  Root certificate:              ${config.publicUrl}/pki/ca/root.crt`,
      `  Mail:                          ${config.smtpUrl ? 'SMTP ' + new URL(config.smtpUrl).host : `built-in mailbox, ${config.publicUrl}/dev/mailbox`}`,
      `  Listening on                   ${server.httpUrl} and ${server.httpsUrl}`,
      ...(empty ? ['', '  No institution yet. For a first try: npx hakko demo  (a demo institution, its officer\'s', '  enrollment URL and PIN, a sample request file; README "First run")'] : []),
      '',
    ].join('\n') + '\n',
  );
  const shutdown = (sig: string) => {
    log.info(`${sig}: shutting down`);
    server.stop().then(
      () => process.exit(0),
      (e) => {
        log.error('shutdown failed', { error: String(e) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (import.meta.main) await main();
