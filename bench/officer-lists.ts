/**
 * Benchmark: the officer's certificate list with 100,000 certificates in one institution (spec 08
 * §Performance: "officer certificate list, search … with 100,000 certificates in the institution
 * ≤ 300 ms each"), on PostgreSQL and on PGlite. The certificates are seeded by bulk SQL (one
 * `generate_series` insert, ≈ 1.2 KB of DER each, every 10th revoked, every 50th renewed), not by
 * signing. Timed through the workflow the route calls (`officerCertificates`: the page and its count):
 * the first page, a search by part of a CN, a search by serial, filters by state, the last page; the median of
 * 5 after one warm-up. The same-run baseline is `select 1` on the same database.
 * Run alone: `node bench/officer-lists.ts`.
 */
import { sql } from 'drizzle-orm';
import type { Clock } from '../api/clock.ts';
import { officerCertificates } from '../api/workflows/officer-certificates.ts';
import type { CertificateQueryInput } from '../api/domain/api/officer.ts';
import type { Database } from '../db/client.ts';
import type { BenchResult } from './tsv-validate.ts';
import { ADMIN_URL, prepareUploader, uploadServices } from './upload.ts';
import { pglite, postgresBackend, postgresReachable } from '../tests/helpers/db.ts';

export const CERTIFICATES = 100_000;
const RUNS = 5;
const TARGET_MS = 300;
const clock: Clock = { now: () => new Date() };

/** 100,000 subscriber certificates of the institution in one statement (serials from 10^20, unique SPKI hashes). */
async function seed(database: Database, institutionId: number): Promise<void> {
  await database.db.execute(sql`
    insert into certificates (ca, serial, state, kind, institution_id, profile, request_dn, cn_ou_key, user_mail, spki_sha256, der, csr_der,
                              not_before, not_after, issued_at, revoked_at, revocation_reason, renewed_by)
    select 'issuing', 100000000000000000000::numeric + i, 'issued', 'subscriber', ${institutionId}, 13,
           'CN=USER NUMBER ' || i || ',OU=2026' || lpad(i::text, 6, '0') || ',O=Bench University,L=Bunkyo-ku,ST=Tokyo,C=JP',
           'USER NUMBER ' || i || '|2026' || lpad(i::text, 6, '0'), 'user' || i || '@bench.ac.jp', md5(i::text) || md5((i + 1)::text),
           decode(repeat('30820480', 300), 'hex'), decode(repeat('3082', 400), 'hex'),
           now() - interval '100 days', now() + ((i % 1000) - 50) * interval '1 day', now() - interval '100 days',
           case when i % 10 = 0 then now() - interval '1 day' end, case when i % 10 = 0 then 3 end,
           case when i % 50 = 1 then 200000000000000000000::numeric + i end
    from generate_series(1, ${CERTIFICATES}) as i`);
  // PostgreSQL: what autovacuum would have done by the time an institution holds 100,000
  // certificates. PGlite runs no autovacuum: statistics only, the visibility map left unset.
  await database.db.execute(database.kind === 'postgres' ? sql`vacuum analyze certificates` : sql`analyze certificates`);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(f: () => Promise<unknown>, runs = RUNS): Promise<number[]> {
  await f();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    out.push(performance.now() - t0);
  }
  return out;
}

const QUERIES: readonly [string, Partial<CertificateQueryInput>][] = [
  ['certificate list, first page', {}],
  ['search by part of a CN ("number 4711")', { q: 'number 4711' }],
  ['search by serial', { q: String(100000000000000000000n + 73_301n) }],
  ['filter: revoked', { state: 'revoked' }],
  ['filter: valid (90 % of them)', { state: 'valid' }],
  ['last page (2,000 of 50)', { page: 2000 }],
];

async function benchOn(kind: 'postgres' | 'pglite', runs = RUNS): Promise<BenchResult[]> {
  const fresh = await (kind === 'pglite' ? pglite : postgresBackend(ADMIN_URL)).create();
  try {
    const s = uploadServices(fresh.database, clock);
    const officer = await prepareUploader(s.db, s.clock);
    await seed(fresh.database, officer.institutionId!);
    const baseline = median(await timed(() => s.db.execute(sql`select 1`)));
    const out: BenchResult[] = [];
    for (const [what, q] of QUERIES) {
      let found = 0;
      const times = await timed(async () => {
        found = (await officerCertificates(s, officer, { page: 1, size: 50, ...q })).total;
      }, runs);
      if (found === 0) throw new Error(`${what}: nothing found`);
      const value = Math.round(median(times) * 10) / 10;
      out.push({
        name: `officer ${what}, 100,000 certificates, ${kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}`, value, unit: 'ms', target: TARGET_MS,
        baseline: Math.round(baseline * 100) / 100, ratio: Math.round((value / TARGET_MS) * 100) / 100, runs: times.map((r) => Math.round(r * 10) / 10), ok: value <= TARGET_MS,
        note: `${found} match`,
      });
    }
    return out;
  } finally {
    await fresh.dispose();
  }
}

/** Every query on both databases (PostgreSQL left out, with a notice, when it does not answer). */
export async function benchOfficerLists(opts: { quick?: boolean } = {}): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const kind of ['postgres', 'pglite'] as const) {
    if (kind === 'postgres' && !(await postgresReachable(ADMIN_URL))) {
      console.warn(`notice: PostgreSQL at ${ADMIN_URL} does not answer; officer list bench on PGlite only`);
      continue;
    }
    out.push(...(await benchOn(kind, opts.quick ? 1 : RUNS)));
  }
  return out;
}

if (import.meta.main) {
  console.log(JSON.stringify(await benchOfficerLists(), null, 2));
}
