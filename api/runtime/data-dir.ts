/**
 * Owner-only data directory (spec 08 §Security: secrets in a 0600 file). A directory that already
 * existed may have been made group- or world-readable (umask 022, a copy, a restore): at every start
 * the directory and PGlite's directory are set to 0700 and the secret file to 0600 — with the
 * directory closed, PGlite's own files (written under the process umask) are out of others' reach
 * too. A mode that cannot be changed (another owner) refuses the start: E_DATA_DIR_MODE.
 */
import { chmodSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { StartupError } from './startup-error.ts';

function restrict(file: string, mode: number): void {
  if (!existsSync(file)) return;
  const current = statSync(file).mode & 0o777;
  if ((current & 0o077) === 0) return;
  try {
    chmodSync(file, mode);
  } catch (e) {
    throw new StartupError('E_DATA_DIR_MODE', `${file} can be read by other users (mode ${current.toString(8).padStart(4, '0')}) and its mode cannot be changed (${(e as NodeJS.ErrnoException).code}): run Hakko as the owner of HAKKO_DATA_DIR or fix it with chmod ${mode.toString(8)}`);
  }
}

/** Makes an existing data directory owner-only (see the module comment). */
export function secureDataDir(dataDir: string): void {
  restrict(dataDir, 0o700);
  restrict(path.join(dataDir, 'pglite'), 0o700);
  restrict(path.join(dataDir, 'secret'), 0o600);
}
