/**
 * Vitest global setup of the projects that start servers (e2e, faults, security): makes the run's
 * log directory (tests/helpers/test-logs.ts) and, when the run ends, searches every server log
 * written during it for every PIN and URL token a test or browser used. A hit fails the run (and the
 * directory is kept); otherwise the directory is removed.
 */
import { mkdtempSync, readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SECRETS_FILE } from './helpers/test-logs.ts';

export interface ScanResult {
  readonly logs: number;
  readonly secrets: number;
  readonly hits: { secret: string; file: string }[];
}

/** Every recorded secret searched in every log file of `dir`. */
export function scanLogs(dir: string): ScanResult {
  const secretsPath = path.join(dir, SECRETS_FILE);
  const secrets = existsSync(secretsPath) ? [...new Set(readFileSync(secretsPath, 'utf8').split('\n').filter(Boolean))] : [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.log'));
  const hits: { secret: string; file: string }[] = [];
  for (const f of files) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    for (const s of secrets) if (text.includes(s)) hits.push({ secret: s.slice(0, 4) + '…', file: f });
  }
  return { logs: files.length, secrets: secrets.length, hits };
}

export default function setup(): () => void {
  let own = false;
  if (!process.env.HAKKO_TEST_LOG_DIR) {
    process.env.HAKKO_TEST_LOG_DIR = mkdtempSync(path.join(tmpdir(), 'hakko-test-logs-'));
    own = true;
  }
  const dir = process.env.HAKKO_TEST_LOG_DIR;
  return () => {
    if (!own) return;
    const r = scanLogs(dir);
    console.info(`log scan: ${r.secrets} PINs and tokens searched in ${r.logs} server logs (${dir})`);
    // Kept for inspection when something was found; removed otherwise.
    if (r.hits.length) throw new Error(`log scan: a PIN or token appears in a server log (kept in ${dir}): ${JSON.stringify(r.hits.slice(0, 20))}`);
    rmSync(dir, { recursive: true, force: true });
  };
}
