/**
 * Backup and restore, each tried once as docs/OPERATIONS.md describes it (spec 08 §Reliability):
 * - PGlite: stop the server (SIGTERM), copy the whole data directory, start a server on the copy;
 * - PostgreSQL: `pg_dump -Fc` of the live database (processes running), `pg_restore` into a new
 *   database, start a server on it with the same HAKKO_CA_PASSPHRASE.
 * The restored instance must be the same instance: the same root (health's rootSha256), the same
 * requests and certificates, the officer still logs in (the same certificate), and the
 * audit chain verifies.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { createPgDatabase, tempDir } from '../helpers/db.ts';
import { hakkoEnv, officerOf, proxyHeaders, startHakkoProcess, type HakkoProcess } from '../helpers/hakko-process.ts';
import { uploadBody } from '../helpers/officer.ts';
import { runCli } from '../helpers/server.ts';
import { BENCH_INSTITUTION, issuanceFile } from '../../bench/upload.ts';

const exec = promisify(execFile);
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Snapshot {
  readonly root: string;
  readonly certificates: number;
  readonly requests: number;
}

/** What the instance looks like from outside, with the officer's certificate. */
async function snapshot(p: HakkoProcess, certPem: string): Promise<Snapshot> {
  const health = await (await fetch(`${p.httpUrl}/api/health`)).json();
  const certs = await fetch(`${p.httpUrl}/api/officer/certificates?page=1&size=10`, { headers: proxyHeaders(certPem) });
  expect(certs.status).toBe(200);
  const reqs = await fetch(`${p.httpUrl}/api/officer/requests?page=1&size=10`, { headers: proxyHeaders(certPem) });
  const requests = reqs.status === 200 ? ((await reqs.json()) as { total: number }).total : -1;
  return { root: health.rootSha256, certificates: ((await certs.json()) as { total: number }).total, requests };
}

async function prepare(p: HakkoProcess): Promise<{ officer: { certPem: string }; before: Snapshot }> {
  const officer = await officerOf(p, BENCH_INSTITUTION, 'ra@bench.ac.jp');
  const body = await uploadBody({ file: { name: 'backup.tsv', bytes: issuanceFile(30, 'BACKUP') }, kind: 'issue', mode: 'abort', reviewed: 'true' });
  const r = await fetch(`${p.httpUrl}/api/officer/uploads`, { method: 'POST', headers: { ...proxyHeaders(officer.certPem), 'content-type': body.contentType }, body: new Uint8Array(body.bytes) });
  expect(r.status).toBe(200);
  return { officer, before: await snapshot(p, officer.certPem) };
}

describe('backup and restore', () => {
  it('ok PGlite: SIGTERM, copy the data directory, start on the copy → the same instance', async () => {
    const dataDir = tempDir('hakko-backup-');
    const copy = tempDir('hakko-restored-');
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }), () => rmSync(copy, { recursive: true, force: true }));
    const env = await hakkoEnv({ dataDir, env: { TRUSTED_PROXIES: '127.0.0.1' } });
    const p = await startHakkoProcess(env, 'backup-pglite');
    cleanups.push(() => p.kill());
    const { officer, before } = await prepare(p);
    expect(await p.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    cpSync(dataDir, copy, { recursive: true, preserveTimestamps: true });
    const restoredEnv = { ...env, HAKKO_DATA_DIR: copy };
    const restored = await startHakkoProcess(restoredEnv, 'restored-pglite');
    cleanups.push(() => restored.kill());
    expect(await snapshot(restored, officer.certPem)).toEqual(before);
    const audit = await runCli(restoredEnv, ['audit', 'verify']);
    expect(audit.code, audit.stderr).toBe(0);
    await restored.kill('SIGTERM');
  });

  it('ok PostgreSQL: pg_dump -Fc while running, pg_restore into a new database, start on it → the same instance', async () => {
    const source = await createPgDatabase();
    const target = await createPgDatabase();
    cleanups.push(() => source.dispose(), () => target.dispose());
    const env = await hakkoEnv({ databaseUrl: source.url, env: { TRUSTED_PROXIES: '127.0.0.1' } });
    cleanups.push(() => rmSync(env.HAKKO_DATA_DIR!, { recursive: true, force: true }));
    const p = await startHakkoProcess(env, 'backup-pg');
    cleanups.push(() => p.kill());
    const { officer, before } = await prepare(p);
    const dump = path.join(env.HAKKO_DATA_DIR!, 'hakko.dump');
    await exec('pg_dump', ['-Fc', '-f', dump, '-d', source.url]);
    await p.kill('SIGTERM');
    await exec('pg_restore', ['--no-owner', '-d', target.url, dump]);
    const restoredEnv = await hakkoEnv({ databaseUrl: target.url, env: { TRUSTED_PROXIES: '127.0.0.1' } });
    cleanups.push(() => rmSync(restoredEnv.HAKKO_DATA_DIR!, { recursive: true, force: true }));
    const restored = await startHakkoProcess(restoredEnv, 'restored-pg');
    cleanups.push(() => restored.kill());
    expect(await snapshot(restored, officer.certPem)).toEqual(before);
    const audit = await runCli(restoredEnv, ['audit', 'verify']);
    expect(audit.code, audit.stderr).toBe(0);
    // A different secret refuses to start on the restored database, naming the variable.
    const wrong = await hakkoEnv({ databaseUrl: target.url, passphrase: 'not the passphrase of this instance' });
    await expect(startHakkoProcess(wrong, 'restored-wrong-secret')).rejects.toThrow(/HAKKO_CA_PASSPHRASE/);
    const db = postgres(target.url, { max: 1, onnotice: () => {} });
    try {
      expect((await db`select count(*)::int as n from requests`)[0]!.n).toBeGreaterThanOrEqual(30);
    } finally {
      await db.end();
    }
    await restored.kill('SIGTERM');
  });
});
