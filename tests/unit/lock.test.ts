import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { acquireLock, readLock } from '../../api/runtime/lock.ts';
import { tempDir } from '../helpers/db.ts';

describe('PGlite lock', () => {
  it('ok: one holder at a time; released lock can be taken again', () => {
    const dir = tempDir();
    const a = acquireLock(dir, { pid: process.pid, role: 'server', socket: 'x' });
    expect(a.ok).toBe(true);
    const b = acquireLock(dir, { pid: process.pid, role: 'cli' });
    expect(b).toEqual({ ok: false, holder: { pid: process.pid, role: 'server', socket: 'x' } });
    if (a.ok) a.release();
    expect(readLock(dir)).toBeNull();
    const c = acquireLock(dir, { pid: process.pid, role: 'cli' });
    expect(c.ok).toBe(true);
    if (c.ok) c.release();
  });
  it('ok: a stale lock of a dead process is taken over', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'hakko.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, role: 'server' }));
    const l = acquireLock(dir, { pid: process.pid, role: 'cli' });
    expect(l.ok).toBe(true);
  });
});
