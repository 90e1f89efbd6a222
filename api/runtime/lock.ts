/**
 * The PGlite lock (spec README §Process): one process opens the embedded database. The lock file
 * holds the owner's pid and role; a stale lock (dead pid) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface LockInfo {
  readonly pid: number;
  readonly role: 'server' | 'cli';
  readonly socket?: string;
}

export type LockResult = { readonly ok: true; release(): void } | { readonly ok: false; readonly holder: LockInfo };

export function lockPath(dataDir: string): string {
  return path.join(dataDir, 'hakko.lock');
}

export function socketPath(dataDir: string): string {
  return path.join(dataDir, 'hakko.sock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
    return alive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/** Tries to take the lock; returns the live holder when another process has it. */
export function acquireLock(dataDir: string, info: LockInfo): LockResult {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = lockPath(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          try {
            const cur = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
            if (cur.pid === info.pid) rmSync(file, { force: true });
          } catch {
            /* already gone */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(dataDir);
      if (holder) return { ok: false, holder };
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
