/**
 * Benchmark: upload a 10,000-row CP932 issuance TSV in abort mode — validate, persist the upload,
 * requests, PINs, URL tokens, outbox notices and audit records in one transaction — on PostgreSQL
 * and on PGlite, each run on a fresh database. Targets ≤ 3 s / ≤ 6 s (spec 08 §Performance).
 * Run alone: `node bench/upload.ts`. PostgreSQL: HAKKO_BENCH_DATABASE_URL (an admin connection that
 * may create databases; default the local `test` database), left out with a notice when it does not answer.
 *
 * The setup helpers are shared with the crash test (tests/helpers/upload-child.ts).
 */
import { tmpdir } from 'node:os';
import { loadConfig } from '../api/config.ts';
import { silentLogger } from '../api/log.ts';
import type { Clock } from '../api/clock.ts';
import type { Services } from '../api/services.ts';
import type { AuthenticatedOfficer } from '../api/domain/officer.ts';
import { noSignals } from '../api/signals.ts';
import { testServerKeys } from '../tests/helpers/keys.ts';
import { encodeTsv } from '../api/domain/tsv/codec.ts';
import { addInstitution } from '../api/workflows/institutions.ts';
import { uploadTsv, type UploadAnswer } from '../api/workflows/upload-tsv.ts';
import type { Database, Db } from '../db/client.ts';
import { officers } from '../db/schema/index.ts';
import type { BenchResult } from './tsv-validate.ts';
// Fresh databases the way the DB tests make them (one owner of that code).
import { pglite, postgresBackend, postgresReachable } from '../tests/helpers/db.ts';

export const ROWS = 10_000;
const RUNS = 3;
export const ADMIN_URL = process.env.HAKKO_BENCH_DATABASE_URL ?? process.env.HAKKO_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const BENCH_INSTITUTION = {
  code: 'bench-u', ja: '計測大学', en: 'Bench University', o: 'Bench University', l: 'Bunkyo-ku', st: 'Tokyo', domains: ['bench.ac.jp'],
} as const;

/** Valid method-1 rows (two OUs, Japanese names, ① in some affiliations, some P12 names), as UPKI tooling writes them. */
export function issuanceRows(n = ROWS, tag = ''): string[][] {
  return Array.from({ length: n }, (_, i) => [
    `CN=USER${tag} NUMBER ${i},OU=2026${String(i).padStart(5, '0')},OU=Graduate School of Engineering,O=Bench University,L=Bunkyo-ku,ST=Tokyo,C=JP`,
    i % 3 === 0 ? '13' : '5', '1', '', '', '', '',
    '管理 花子', '情報基盤センター', 'pki-admin@bench.ac.jp', `利用者 ${i}号`, i % 2 === 0 ? `user-${i}` : '',
    i % 7 === 0 ? '事務局①' : '工学系研究科', `user${i}@mail.bench.ac.jp`, '',
  ]);
}

/** The CP932, CRLF file of `issuanceRows`. */
export function issuanceFile(n = ROWS, tag = ''): Uint8Array {
  return encodeTsv(issuanceRows(n, tag));
}

/**
 * What the upload workflow needs of the services, without a CA (uploads never sign): config, db,
 * clock, keys. `secret` derives the PIN keys as the server would.
 */
export function uploadServices(database: Database, clock: Clock, secret = 'bench secret'): Services {
  const config = loadConfig({ HAKKO_DATA_DIR: tmpdir() });
  return {
    config, db: database.db, dbKind: database.kind, clock, log: silentLogger, keys: testServerKeys(secret),
    ca: undefined as unknown as Services['ca'], signals: noSignals,
  };
}

/** The bench institution and an active officer of it (as enrollment would leave it). */
export async function prepareUploader(db: Db, clock: Clock): Promise<AuthenticatedOfficer> {
  const inst = await addInstitution({ db, clock }, BENCH_INSTITUTION, 'bench');
  const [o] = await db.insert(officers).values({ institutionId: inst.id, role: 'officer', name: '計測 担当', email: 'ra@bench.ac.jp', status: 'active', createdAt: clock.now() }).returning();
  return {
    officerId: o!.id, role: 'officer', name: o!.name, email: o!.email, institutionId: inst.id,
    institution: { code: inst.code, ja: inst.ja, en: inst.en }, certSerial: '1',
  };
}

const systemClock: Clock = { now: () => new Date() };

/** One timed abort-mode upload of `bytes` on a fresh database; throws unless every row registered. */
async function timedUpload(kind: 'postgres' | 'pglite', bytes: Uint8Array, rows = ROWS): Promise<number> {
  const fresh = await (kind === 'pglite' ? pglite : postgresBackend(ADMIN_URL)).create();
  try {
    const s = uploadServices(fresh.database, systemClock);
    const officer = await prepareUploader(s.db, s.clock);
    const t0 = performance.now();
    const ans: UploadAnswer = await uploadTsv(s, officer, { file: { name: 'bench.tsv', bytes }, kind: 'issue', mode: 'abort', lang: 'ja' });
    const ms = performance.now() - t0;
    if (ans.registered !== rows) throw new Error(`bench upload registered ${ans.registered} of ${rows}: ${JSON.stringify(ans.errors[0] ?? ans.rows.find((r) => !r.ok))}`);
    return ms;
  } finally {
    await fresh.dispose();
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median of 3 abort-mode uploads of 10,000 rows, per database (fresh database each run, after one small warm-up upload), in ms. */
export async function benchUpload(opts: { runs?: number; quick?: boolean } = {}): Promise<BenchResult[]> {
  const runs = opts.runs ?? (opts.quick ? 1 : RUNS);
  const bytes = issuanceFile();
  const out: BenchResult[] = [];
  const targets = { postgres: 3000, pglite: 6000 } as const;
  for (const kind of ['postgres', 'pglite'] as const) {
    if (kind === 'postgres' && !(await postgresReachable(ADMIN_URL))) {
      console.warn(`notice: PostgreSQL at ${ADMIN_URL} does not answer; upload bench on PGlite only`);
      continue;
    }
    // A server uploads with warm code: one small untimed upload first (V8 compiles the path, PGlite
    // tiers up its WASM), as a running server would have done long before.
    await timedUpload(kind, issuanceFile(500, 'WARM'), 500);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await timedUpload(kind, bytes));
    const value = Math.round(median(times));
    out.push({
      name: `upload: 10,000-row CP932 issuance TSV, abort mode (validate + persist + outbox), ${kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}`,
      value, unit: 'ms', target: targets[kind], ratio: Math.round((value / targets[kind]) * 100) / 100, runs: times.map(Math.round), ok: value <= targets[kind],
    });
  }
  return out;
}

if (import.meta.main) {
  console.log(JSON.stringify(await benchUpload(), null, 2));
}
