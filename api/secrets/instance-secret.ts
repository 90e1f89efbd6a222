/**
 * The instance secret HAKKO_CA_PASSPHRASE (spec 03 §Hierarchy): from the environment, else from
 * `<dataDir>/secret` (mode 0600), generated on first start with a warning.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.ts';

export function loadInstanceSecret(configured: string | null, dataDir: string, log: Logger): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'secret');
  // Its mode is made 0600 at start (runtime/data-dir.ts).
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  log.warn(`HAKKO_CA_PASSPHRASE is not set: generated a new instance secret in ${file} (mode 0600). Back it up with the data directory; every process sharing the database needs the same secret.`);
  return secret;
}
