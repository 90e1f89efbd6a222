#!/usr/bin/env node
/**
 * `hakko` — the operator CLI (spec README §CLI). On PostgreSQL it opens the database itself; on the
 * embedded PGlite it either takes the lock itself or, when a live server holds it, sends the command
 * over the server's Unix socket. Exit codes: 0 ok, 1 a finding, 2 wrong usage / unknown / unreachable.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig, ConfigError } from '../config.ts';
import { createLogger } from '../log.ts';
import { acquireLock, readLock, socketPath } from '../runtime/lock.ts';
import { openServices, StartupError } from '../runtime/bootstrap.ts';
import { parseCommand, UsageError, type Command } from './parse.ts';
import { runCommand, type CliResult } from './run.ts';
import { sendToServer } from './socket.ts';

function fail(message: string, code = 2): never {
  process.stderr.write(`hakko: ${message}\n`);
  process.exit(code);
}

function filesOf(cmd: Command): Record<string, Uint8Array> {
  if (cmd.kind !== 'tsv.check') return {};
  try {
    return { [cmd.file]: new Uint8Array(readFileSync(cmd.file)) };
  } catch (e) {
    fail(`cannot read ${cmd.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

async function runLocally(cmd: Command, files: Record<string, Uint8Array>, config: ReturnType<typeof loadConfig>): Promise<CliResult> {
  const log = createLogger(config.logLevel === 'debug' ? 'debug' : 'warn');
  const opened = await openServices(config, log);
  try {
    return await runCommand(opened.services, cmd, { readFile: (p) => files[p]! });
  } finally {
    await opened.close();
  }
}

async function viaServer(sock: string, argv: string[], files: Record<string, Uint8Array>): Promise<CliResult> {
  const payload = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  try {
    return await sendToServer(sock, { argv, files: payload });
  } catch (e) {
    fail(`cannot reach the running Hakko server at ${sock}: ${(e as Error).message}`);
  }
}

async function main(argv: string[]): Promise<number> {
  let cmd: Command;
  try {
    cmd = parseCommand(argv);
  } catch (e) {
    if (e instanceof UsageError) fail(`${e.message} (see: hakko help)`);
    throw e;
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) fail(`[${e.code}] ${e.message}`);
    throw e;
  }
  const files = filesOf(cmd);
  let result: CliResult;
  if (config.databaseUrl) {
    result = await runLocally(cmd, files, config);
  } else {
    result = await withPgliteLock(config.dataDir, argv, files, (release) => runLocally(cmd, files, config).finally(release));
  }
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.code;
}

/** Takes the PGlite lock, or hands the command to the live server that holds it. */
async function withPgliteLock(dataDir: string, argv: string[], files: Record<string, Uint8Array>, run: (release: () => void) => Promise<CliResult>): Promise<CliResult> {
  for (let waited = 0; waited < 30_000; waited += 200) {
    const holder = readLock(dataDir);
    if (holder?.role === 'server') return viaServer(holder.socket ?? socketPath(dataDir), argv, files);
    if (!holder) {
      const lock = acquireLock(dataDir, { pid: process.pid, role: 'cli' });
      if (lock.ok) return run(() => lock.release());
    }
    await delay(200); // another CLI command is running on the embedded database: wait for it
  }
  fail(`the embedded database in ${dataDir} stayed locked by another hakko command`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof StartupError) fail(`[${e.code}] ${e.message}`, 2);
    fail(e instanceof Error ? e.message.split('\n')[0]! : String(e));
  },
);
