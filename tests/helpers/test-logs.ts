/**
 * The run-wide log scan (spec 08 §Security: "the log never prints a PIN, token, key or passphrase").
 * Every test server writes its log into one directory per test run (HAKKO_TEST_LOG_DIR, made by
 * tests/global-log-scan.ts), and every PIN and URL token a test or a browser used is recorded in
 * `secrets.txt` there; when the run ends the global teardown searches every log for every secret.
 * Outside such a run (a single file run without the setup) nothing is written.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, silentLogger, type Logger } from '../../api/log.ts';

export const SECRETS_FILE = 'secrets.txt';

/** The run's log directory: the global setup's, or a per-process fallback (scanned by nobody). */
export function logDir(): string {
  const dir = process.env.HAKKO_TEST_LOG_DIR ?? path.join(tmpdir(), `hakko-test-logs-unscanned-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A log file for one server (a name unique in the run). */
export function logFile(name: string): string {
  return path.join(logDir(), `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.log`);
}

let n = 0;
/**
 * A debug-level logger writing to its own file in the run's log directory (in-process test servers);
 * silent in a project without the scan (db, interop), as before.
 */
export function fileLogger(name = 'srv'): Logger {
  if (!process.env.HAKKO_TEST_LOG_DIR) return silentLogger;
  const file = logFile(`${name}-${process.pid}-${++n}`);
  return createLogger('debug', (line) => appendFileSync(file, line + '\n'));
}

/** One-time URL tokens (43 base64url characters) in a URL or path: /pin/<t>, /pickup/<t>, /enroll/<t>… */
const TOKEN_IN_URL = /\/(?:pin|pickup)\/([A-Za-z0-9_-]{20,})/g;

/** Records PINs and tokens a test used, for the final scan. */
export function recordSecrets(...values: (string | null | undefined)[]): void {
  const dir = process.env.HAKKO_TEST_LOG_DIR;
  if (!dir) return;
  const lines = values.filter((v): v is string => typeof v === 'string' && v.length >= 8).map((v) => v + '\n');
  if (lines.length) appendFileSync(path.join(dir, SECRETS_FILE), lines.join(''));
}

/** Records the tokens in a URL and any PINs in a JSON text (`"pin":"…"`). */
export function recordFromTraffic(url: string, body?: string | null): void {
  const found: string[] = [];
  for (const m of url.matchAll(TOKEN_IN_URL)) found.push(m[1]!);
  if (body) for (const m of body.matchAll(/"pin"\s*:\s*"([^"]{8,})"/g)) found.push(m[1]!);
  recordSecrets(...found);
}
