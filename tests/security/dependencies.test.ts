/**
 * The patched dependency is the one installed (patches/, applied by `patch-package` on `npm ci`):
 * postgres.js 3.4.9 throws outside any promise — and so ends the process — when a transaction's
 * ROLLBACK is written to a connection PostgreSQL just closed (porsager/postgres#1208; found by
 * tests/faults/postgres-restart.test.ts). When a release carries the fix, drop the patch and this test.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/server.ts';

describe('patched dependencies', () => {
  it.each(['src/connection.js', 'cjs/src/connection.js'])('ok postgres/%s guards nextWrite against a closed socket', (file) => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/postgres/package.json'), 'utf8')) as { version: string };
    const text = readFileSync(path.join(ROOT, 'node_modules/postgres', file), 'utf8');
    expect(pkg.version).toBe('3.4.9'); // the patch file is for this version
    expect(text).toMatch(/function nextWrite\(fn\) \{\n\s+\/\/ Hakko patch[\s\S]{0,400}if \(!socket\) \{/);
  });
});
