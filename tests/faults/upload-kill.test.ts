/**
 * Fault suite — the server killed during a 10,000-row abort-mode upload (spec 08 §Reliability: "an
 * upload is one transaction … all rows or none, also when the process is killed half-way").
 *
 * Unlike tests/integration/upload-crash.test.ts (which kills a child running the upload workflow),
 * this kills the real server process (`node api/main.ts`) with SIGKILL while it serves
 * `POST /api/officer/uploads` over HTTP (proxy mode: the officer certificate in X-SSL-Client-Cert
 * from 127.0.0.1), then starts a new process on the same database and checks with SQL what is there.
 *
 * - PostgreSQL: 10 tries, each killed at another point of the transaction, seen from outside in
 *   pg_stat_activity (the process's application_name): as soon as it has written (a transaction id),
 *   or once it is sending the url_tokens / requests / audit_log / outbox inserts. Every try must leave
 *   nothing; afterwards the very same file uploads completely and the audit chain verifies.
 * - PGlite: nobody outside the process can look into its transaction, so the kill points are times
 *   after the request went out (0.3–3 s, across validation and the inserts). Each try must leave all
 *   or nothing (what happened is printed); the data directory must reopen (crash recovery on start),
 *   and the server must accept the upload afterwards. docs/OPERATIONS.md ("PGlite after a crash")
 *   describes the recovery path and what we saw.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { setTimeout as delay } from 'node:timers/promises';
import { rmSync } from 'node:fs';
import postgres from 'postgres';
import { backends, createPgDatabase, tempDir } from '../helpers/db.ts';
import { hakkoEnv, officerOf, proxyHeaders, startHakkoProcess, type HakkoProcess } from '../helpers/hakko-process.ts';
import { uploadBody } from '../helpers/officer.ts';
import { runCli } from '../helpers/server.ts';
import { BENCH_INSTITUTION, issuanceFile } from '../../bench/upload.ts';
import { openDatabase } from '../../db/client.ts';
import { sql } from 'drizzle-orm';

const ROWS = 10_000;
const names = (await backends()).map((b) => b.name);
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const INSTITUTION = { ...BENCH_INSTITUTION, st: BENCH_INSTITUTION.st } as const;
type Counts = { uploads: number; requests: number; url_tokens: number; outbox: number; audit: number };
const COUNT_SQL = `select
  (select count(*)::int from uploads) as uploads, (select count(*)::int from requests) as requests,
  (select count(*)::int from url_tokens) as url_tokens,
  (select count(*)::int from outbox) as outbox,
  (select count(*)::int from audit_log where action in ('upload', 'request.created')) as audit`;

const minus = (a: Counts, b: Counts): Counts => ({ uploads: a.uploads - b.uploads, requests: a.requests - b.requests, url_tokens: a.url_tokens - b.url_tokens, outbox: a.outbox - b.outbox, audit: a.audit - b.audit });
const NOTHING: Counts = { uploads: 0, requests: 0, url_tokens: 0, outbox: 0, audit: 0 };

/** Sends the upload; resolves with the status, or with the connection error when the server died. */
function sendUpload(p: HakkoProcess, certPem: string, body: { bytes: Uint8Array; contentType: string }): Promise<number | string> {
  return fetch(`${p.httpUrl}/api/officer/uploads`, { method: 'POST', headers: { ...proxyHeaders(certPem), 'content-type': body.contentType }, body: new Uint8Array(body.bytes) })
    .then(async (r) => (await r.arrayBuffer(), r.status))
    .catch((e: Error) => `connection lost (${(e.cause as Error | undefined)?.message ?? e.message})`);
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}

if (names.includes('postgres')) describe('kill -9 of the server during a 10,000-row upload, PostgreSQL', () => {
  it('NG 10 kills at 5 points of the transaction → never a partial upload; then the same file uploads completely', async () => {
    const created = await createPgDatabase();
    cleanups.push(() => created.dispose());
    const observer = postgres(created.url, { max: 1, onnotice: () => {} });
    cleanups.push(() => observer.end());
    const base = await hakkoEnv({ databaseUrl: created.url, env: { TRUSTED_PROXIES: '127.0.0.1' } });
    cleanups.push(() => rmSync(base.HAKKO_DATA_DIR!, { recursive: true, force: true }));
    const first = await startHakkoProcess(base, 'kill-pg-setup');
    cleanups.push(() => first.kill());
    const officer = await officerOf(first, INSTITUTION, 'ra@bench.ac.jp');
    await first.kill('SIGTERM');
    const body = await uploadBody({ file: { name: 'kill.tsv', bytes: issuanceFile(ROWS, 'KILL') }, kind: 'issue', mode: 'abort', reviewed: 'true' });
    const counts = async () => (await observer.unsafe(COUNT_SQL))[0] as unknown as Counts;
    const before = await counts();

    // The point of the transaction a try kills at: 0 = it has written (a transaction id), then the statement it runs.
    const STAGES = ['a transaction id', 'insert into "url_tokens"', 'insert into "requests"', 'insert into "audit_log"', 'insert into "outbox"'];
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const app = `hakko-kill-${i}-${process.pid}`;
      const p = await startHakkoProcess({ ...base, PGAPPNAME: app }, `kill-pg-${i}`);
      cleanups.push(() => p.kill());
      const target = i % STAGES.length;
      const answer = sendUpload(p, officer.certPem, body);
      let reached = '';
      await until(`try ${i}: the upload to reach "${STAGES[target]}"`, async () => {
        const rows = await observer<{ query: string; xid: string | null }[]>`select query, backend_xid::text as xid from pg_stat_activity where application_name = ${app} and backend_xid is not null`;
        const stage = rows.map((r) => (STAGES.findIndex((s, k) => k > 0 && r.query.includes(s)) + 1 || 1) - 1).reduce((a, b) => Math.max(a, b), -1);
        if (stage >= target) reached = STAGES[stage]!;
        return stage >= target;
      });
      const exit = await p.kill('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      expect(await answer).toMatch(/^connection lost/); // the server never answered: it was killed before the commit
      await until('PostgreSQL to drop the dead backend', async () => (await observer`select count(*)::int as n from pg_stat_activity where application_name = ${app}`)[0]!.n === 0);
      expect(minus(await counts(), before)).toEqual(NOTHING);
      seen.push(`${i}:${reached}`);
    }
    console.info(`PostgreSQL, 10 kills during the upload transaction (try:stage): ${seen.join(' | ')} — nothing of the upload remained after any`);

    // Recovery: a new process, the same file, every row registered; the audit chain intact.
    const again = await startHakkoProcess(base, 'kill-pg-after');
    cleanups.push(() => again.kill());
    const r = await fetch(`${again.httpUrl}/api/officer/uploads`, { method: 'POST', headers: { ...proxyHeaders(officer.certPem), 'content-type': body.contentType }, body: new Uint8Array(body.bytes) });
    expect(r.status).toBe(200);
    expect((await r.json()).registered).toBe(ROWS);
    expect(minus(await counts(), before)).toEqual({ uploads: 1, requests: ROWS, url_tokens: 2 * ROWS, outbox: 2 * ROWS, audit: ROWS + 1 });
    const audit = await runCli(base, ['audit', 'verify']);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    await again.kill('SIGTERM');
  });
});

if (names.includes('pglite')) describe('kill -9 of the server during a 10,000-row upload, PGlite', () => {
  it('NG kills at 0.3–3 s into the upload → the data directory reopens, all or nothing each time, and the server works after', async () => {
    const dataDir = tempDir('hakko-kill-pglite-');
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const base = await hakkoEnv({ dataDir, env: { TRUSTED_PROXIES: '127.0.0.1' } });
    let p = await startHakkoProcess(base, 'kill-pglite-setup');
    cleanups.push(() => p.kill());
    const officer = await officerOf(p, INSTITUTION, 'ra@bench.ac.jp');
    await p.kill('SIGTERM');
    const counts = async (): Promise<Counts> => {
      const d = await openDatabase({ databaseUrl: null, dataDir });
      try {
        const r = await d.db.execute(sql.raw(COUNT_SQL));
        return ((r as unknown as { rows: Counts[] }).rows)[0]!;
      } finally {
        await d.close();
      }
    };
    const outcomes: string[] = [];
    let committed = 0;
    for (const [i, afterMs] of [300, 1000, 2000, 3000].entries()) {
      const before = await counts();
      p = await startHakkoProcess(base, `kill-pglite-${i}`);
      cleanups.push(() => p.kill());
      const body = await uploadBody({ file: { name: 'kill.tsv', bytes: issuanceFile(ROWS, `KILL${i}`) }, kind: 'issue', mode: 'abort', reviewed: 'true' });
      const answer = sendUpload(p, officer.certPem, body);
      // The kill point itself is the fault injected (not a wait for a condition).
      await Promise.race([delay(afterMs), answer]);
      await p.kill('SIGKILL');
      const status = await answer;
      const t0 = performance.now();
      const left = minus(await counts(), before);
      const reopenMs = Math.round(performance.now() - t0);
      const all = { uploads: 1, requests: ROWS, url_tokens: 2 * ROWS, outbox: 2 * ROWS, audit: ROWS + 1 };
      expect([NOTHING, all]).toContainEqual(left);
      if (left.requests === ROWS) committed++;
      if (typeof status === 'number') expect(left).toEqual(status === 200 ? all : NOTHING); // an answer tells the truth
      outcomes.push(`${afterMs} ms: ${left.requests === ROWS ? 'committed' : 'nothing'} (${typeof status === 'number' ? `answered ${status}` : 'no answer'}), reopened in ${reopenMs} ms`);
    }
    console.info(`PGlite, SIGKILL during a 10,000-row upload: ${outcomes.join(' | ')}`);

    // Recovery path: start the server again on the same directory; it serves, uploads, verifies its audit chain.
    p = await startHakkoProcess(base, 'kill-pglite-after');
    const body = await uploadBody({ file: { name: 'after.tsv', bytes: issuanceFile(500, 'AFTER') }, kind: 'issue', mode: 'abort', reviewed: 'true' });
    const r = await fetch(`${p.httpUrl}/api/officer/uploads`, { method: 'POST', headers: { ...proxyHeaders(officer.certPem), 'content-type': body.contentType }, body: new Uint8Array(body.bytes) });
    expect(r.status).toBe(200);
    expect((await r.json()).registered).toBe(500);
    const audit = await runCli(base, ['audit', 'verify']);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    await p.kill('SIGTERM');
    expect(committed).toBeLessThan(4); // at least one kill landed inside the upload
  });
});
