/**
 * Benchmark: the officer's statistics with 100,000 certificates in the institution (spec 08
 * §Performance: "officer certificate list, search and statistics with 100,000 certificates in the
 * institution ≤ 300 ms each"), on PostgreSQL and on PGlite. Seeded by one bulk SQL insert (not the
 * issuance path): issued over 36 months, six profiles, every 10th revoked, a third expired, ≈ 1.2 KB
 * of DER each. Timed through the workflow the route calls (`officerStatistics`): the default 12
 * months, and the whole 36; the median of 5 after one warm-up. Baseline: `select 1` on the same
 * database. Run alone: `node bench/statistics.ts`.
 */
import { sql } from 'drizzle-orm';
import type { Clock } from '../api/clock.ts';
import { jstMonth, jstMonthStart, officerStatistics } from '../api/workflows/insights.ts';
import type { Database } from '../db/client.ts';
import type { BenchResult } from './tsv-validate.ts';
import { ADMIN_URL, prepareUploader, uploadServices } from './upload.ts';
import { pglite, postgresBackend, postgresReachable } from '../tests/helpers/db.ts';

export const CERTIFICATES = 100_000;
const MONTHS = 36;
const RUNS = 5;
const TARGET_MS = 300;
const clock: Clock = { now: () => new Date() };

export async function seed(database: Database, institutionId: number): Promise<void> {
  await database.db.execute(sql`
    insert into certificates (ca, serial, state, kind, institution_id, profile, request_dn, cn_ou_key, user_mail, spki_sha256, der,
                              not_before, not_after, issued_at, revoked_at, revocation_reason)
    select 'issuing', 300000000000000000000::numeric + i, 'issued', 'subscriber', ${institutionId}, (array[5, 7, 13, 14, 15, 16])[1 + i % 6],
           'CN=STAT USER ' || i || ',O=Bench University,L=Bunkyo-ku,ST=Tokyo,C=JP', 'STAT USER ' || i, 'stat' || i || '@bench.ac.jp',
           md5('s' || i) || md5('t' || i), decode(repeat('30820480', 300), 'hex'),
           now() - (i % ${MONTHS * 30}) * interval '1 day', now() - (i % ${MONTHS * 30}) * interval '1 day' + ((i % 3) * 400 - 100) * interval '1 day',
           now() - (i % ${MONTHS * 30}) * interval '1 day',
           case when i % 10 = 0 then now() - interval '1 hour' end, case when i % 10 = 0 then 3 end
    from generate_series(1, ${CERTIFICATES}) as i`);
  await database.db.execute(database.kind === 'postgres' ? sql`vacuum analyze certificates` : sql`analyze certificates`);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(f: () => Promise<unknown>): Promise<number[]> {
  await f();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await f();
    out.push(performance.now() - t0);
  }
  return out;
}

async function benchOn(kind: 'postgres' | 'pglite'): Promise<BenchResult[]> {
  const fresh = await (kind === 'pglite' ? pglite : postgresBackend(ADMIN_URL)).create();
  try {
    const s = uploadServices(fresh.database, clock);
    const officer = await prepareUploader(s.db, s.clock);
    await seed(fresh.database, officer.institutionId!);
    const baseline = median(await timed(() => s.db.execute(sql`select 1`)));
    const to = jstMonth(new Date());
    const ranges: [string, { from?: string; to?: string }][] = [
      ['last 12 months (default)', {}],
      [`all ${MONTHS + 1} months`, { from: jstMonth(jstMonthStart(to, -MONTHS)), to }],
    ];
    const out: BenchResult[] = [];
    for (const [what, q] of ranges) {
      let issued = 0;
      const runs = await timed(async () => {
        issued = (await officerStatistics(s, officer, q)).total.issued;
      });
      if (issued === 0) throw new Error(`${what}: nothing counted`);
      const value = Math.round(median(runs) * 10) / 10;
      out.push({
        name: `officer statistics, ${what}, 100,000 certificates, ${kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}`, value, unit: 'ms', target: TARGET_MS,
        baseline: Math.round(baseline * 100) / 100, ratio: Math.round((value / TARGET_MS) * 100) / 100, runs: runs.map((r) => Math.round(r * 10) / 10), ok: value <= TARGET_MS,
        note: `${issued} counted`,
      });
    }
    return out;
  } finally {
    await fresh.dispose();
  }
}

export async function benchStatistics(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const kind of ['postgres', 'pglite'] as const) {
    if (kind === 'postgres' && !(await postgresReachable(ADMIN_URL))) {
      console.warn(`notice: PostgreSQL at ${ADMIN_URL} does not answer; statistics bench on PGlite only`);
      continue;
    }
    out.push(...(await benchOn(kind)));
  }
  return out;
}

if (import.meta.main) {
  console.log(JSON.stringify(await benchStatistics(), null, 2));
}
