/**
 * Fault suite — PostgreSQL restarted under load (spec 08 §Reliability: "the API survives a PostgreSQL
 * restart (reconnects; requests during the outage get 503, none corrupt state)").
 *
 * A private PostgreSQL cluster (tests/helpers/private-pg.ts; never the shared server) and a real Hakko
 * process on it. Eight clients keep calling: small abort-mode uploads (state changes in one
 * transaction), health, the public profile, the CRL, the officer's certificate list. Meanwhile the
 * cluster is stopped (`pg_ctl stop -m fast`: sessions terminated, as a restart or fail-over does)
 * and started again. What must hold:
 * - every answer is 200 or a 503 whose body is the coded `UNAVAILABLE` error (never a 500, never a
 *   dropped connection, never a stack or SQL text); the process stays up;
 * - there were 503s during the outage and 200s for every kind of call after it (reconnected);
 * - nothing is half-written: every upload answered 200 has all its rows, nothing else exists, the
 *   audit chain verifies;
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import postgres from 'postgres';
import { startPrivateCluster } from '../helpers/private-pg.ts';
import { hakkoEnv, officerOf, proxyHeaders, startHakkoProcess } from '../helpers/hakko-process.ts';
import { uploadBody } from '../helpers/officer.ts';
import { runCli } from '../helpers/server.ts';
import { BENCH_INSTITUTION, issuanceFile } from '../../bench/upload.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Call {
  readonly kind: string;
  readonly phase: 'before' | 'outage' | 'after';
  readonly status: number | string;
  readonly code?: string;
  readonly registered?: number;
}

describe('PostgreSQL restarted under load', () => {
  it('NG outage → coded 503s, no 500 and no corrupt state; after it every call works again', async () => {
    const cluster = await startPrivateCluster();
    cleanups.push(() => cluster.dispose());
    const admin = postgres(cluster.url(), { max: 1, onnotice: () => {} });
    await admin.unsafe('create database hakko');
    await admin.end();
    const url = cluster.url('hakko');
    const env = await hakkoEnv({ databaseUrl: url, env: { TRUSTED_PROXIES: '127.0.0.1' } });
    cleanups.push(() => rmSync(env.HAKKO_DATA_DIR!, { recursive: true, force: true }));
    const p = await startHakkoProcess(env, 'pg-restart');
    cleanups.push(() => p.kill());
    const officer = await officerOf(p, BENCH_INSTITUTION, 'ra@bench.ac.jp');
    const headers = proxyHeaders(officer.certPem);
    const db = postgres(url, { max: 1, onnotice: () => {} });
    cleanups.push(() => db.end());
    const counts = async () => (await db`select (select count(*)::int from uploads) as uploads, (select count(*)::int from requests) as requests`)[0]!;
    const before = await counts(); // the officer's own enrollment request is there already

    let phase: Call['phase'] = 'before';
    let running = true;
    const calls: Call[] = [];
    let seq = 0;
    const call = async (kind: string, input: string, init?: RequestInit): Promise<void> => {
      const at = phase;
      try {
        const r = await fetch(p.httpUrl + input, init);
        const text = await r.text();
        let json: { code?: string; registered?: number } = {};
        try {
          json = JSON.parse(text);
        } catch {
          json = {};
        }
        calls.push({ kind, phase: at === phase ? at : 'outage', status: r.status, code: json.code, registered: json.registered });
      } catch (e) {
        calls.push({ kind, phase: at, status: `connection error: ${(e as Error).message}` });
      }
    };
    const upload = async () => {
      const n = ++seq;
      const body = await uploadBody({ file: { name: `load-${n}.tsv`, bytes: issuanceFile(20, `R${n}X`) }, kind: 'issue', mode: 'abort', reviewed: 'true' });
      await call('upload', '/api/officer/uploads', { method: 'POST', headers: { ...headers, 'content-type': body.contentType }, body: new Uint8Array(body.bytes) });
    };
    const kinds: (() => Promise<void>)[] = [
      upload,
      () => call('health', '/api/health'),
      () => call('profile', `/api/institutions/${BENCH_INSTITUTION.code}/profile`),
      () => call('certificates', '/api/officer/certificates?page=1&size=20', { headers }),
      () => call('crl', '/pki/crl/issuing.crl'),
    ];
    const client = async (i: number) => {
      for (let k = i; running; k++) await kinds[k % kinds.length]!();
    };
    const t = { start: performance.now(), stop: 0, stopped: 0, started: 0, end: 0 };
    const clients = Array.from({ length: 8 }, (_, i) => client(i));
    const count = (ph: Call['phase']) => calls.filter((c) => c.phase === ph).length;
    while (count('before') < 40) await delay(20);

    phase = 'outage';
    t.stop = performance.now();
    await cluster.stop();
    t.stopped = performance.now();
    const outageStart = calls.length;
    while (calls.length - outageStart < 40) await delay(20);
    await cluster.start();
    t.started = performance.now();
    // Recovery: the process reconnects by itself; wait for the first success of each kind.
    const firstOk = Date.now();
    while (!['upload', 'health', 'profile', 'certificates', 'crl'].every((k) => calls.slice(outageStart).some((c) => c.kind === k && c.status === 200))) {
      if (Date.now() - firstOk > 60_000) break;
      await delay(20);
    }
    const recoveredMs = Date.now() - firstOk;
    phase = 'after';
    while (count('after') < 60) await delay(20);
    running = false;
    await Promise.all(clients);
    t.end = performance.now();

    // Every answer 200 or a coded 503 (uploads: 200 or 422 never expected here: unique DNs).
    const bad = calls.filter((c) => !(c.status === 200 || (c.status === 503 && c.code === 'UNAVAILABLE')));
    expect(bad, JSON.stringify(bad.slice(0, 5))).toEqual([]);
    expect(calls.filter((c) => c.phase === 'outage' && c.status === 503).length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.phase === 'before' || c.phase === 'after').every((c) => c.status === 200)).toBe(true);
    expect(p.proc.exitCode).toBeNull();

    // No half-written upload: the database holds exactly the rows of the uploads answered 200.
    const okUploads = calls.filter((c) => c.kind === 'upload' && c.status === 200);
    const c = await counts();
    expect(c.uploads - before.uploads).toBe(okUploads.length);
    expect(c.requests - before.requests).toBe(okUploads.reduce((a, u) => a + (u.registered ?? 0), 0));
    expect(okUploads.every((u) => u.registered === 20)).toBe(true);
    const audit = await runCli(env, ['audit', 'verify']);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    expect(p.log()).not.toMatch(/unhandled error/);

    const by = (ph: Call['phase']) => `${calls.filter((x) => x.phase === ph && x.status === 200).length} ok / ${calls.filter((x) => x.phase === ph && x.status === 503).length} × 503`;
    console.info(`PostgreSQL restart under load: before ${by('before')}; outage ${by('outage')}; after ${by('after')}; all kinds answered again ${recoveredMs} ms after the cluster was started; ${okUploads.length} uploads committed, all complete; phases (s): load ${((t.stop - t.start) / 1000).toFixed(1)}, pg_ctl stop ${((t.stopped - t.stop) / 1000).toFixed(1)}, outage ${((t.started - t.stopped) / 1000).toFixed(1)}, after ${((t.end - t.started) / 1000).toFixed(1)}`);
  });
});
