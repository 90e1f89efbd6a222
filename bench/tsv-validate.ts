/**
 * Benchmark: validate a 10,000-row CP932 issuance TSV — decode, parse and every rule, with the system
 * lookups answered from in-memory maps (no DB). Target ≤ 1 s on the 2-core machine (spec 08 §Performance).
 * Run alone: `node bench/tsv-validate.ts`.
 */
import type { Institution } from '../api/domain/institution.ts';
import { encodeTsv } from '../api/domain/tsv/codec.ts';
import type { SystemLookup } from '../api/domain/tsv/types.ts';
import { validateTsv } from '../api/domain/tsv/validate.ts';

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target: number;
  /** Same-run reference: decoding the file alone (TextDecoder), to read the figure as a ratio. */
  readonly baseline?: number;
  readonly ratio?: number;
  readonly runs: readonly number[];
  readonly ok: boolean;
  readonly note?: string;
}

const ROWS = 10_000;
const RUNS = 7;

const INSTITUTION: Institution = {
  code: 'bench-u', ja: '計測大学', en: 'Bench University', o: 'Bench University', l: 'Bunkyo-ku', st: 'Tokyo',
  domains: ['bench.ac.jp'], review: 'complete', approvalExpires: '2099-12-31', status: 'active', whoisOrg: 'Bench University',
  profiles: [5, 7, 13, 14, 15, 16], methods: [1, 2, 3], keyAlgorithm: 'RSA-2048',
};

/**
 * 10,000 valid method-1 rows of the institution with O `o` and mail domain `domain`: two OUs each,
 * Japanese names (one in seven with ①), some with P12 names. Shared with bench/tool-browser.ts.
 */
export function issuanceRows(o = 'Bench University', domain = 'bench.ac.jp'): string[][] {
  return Array.from({ length: ROWS }, (_, i) => [
    `CN=USER NUMBER ${i},OU=2026${String(i).padStart(5, '0')},OU=Graduate School of Engineering,O=${o},L=Bunkyo-ku,ST=Tokyo,C=JP`,
    i % 3 === 0 ? '13' : '5', '1', '', '', '', '',
    '管理 花子', '情報基盤センター', `pki-admin@${domain}`, `利用者 ${i}号`, i % 2 === 0 ? `user-${i}` : '',
    i % 7 === 0 ? '事務局①' : '工学系研究科', `user${i}@mail.${domain}`, '',
  ]);
}

/** Answers from in-memory maps, as fast as a lookup can be: what remains is the validator's own cost. */
function memoryLookup(): SystemLookup {
  const existing = new Set(['CN=SOMEONE ELSE']);
  return {
    existingCnOu: async (keys) => new Set(keys.filter((k) => existing.has(k))),
    certificates: async () => new Map(),
    whois: async () => ({ status: 'found', organisations: ['Bench University'] }),
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time of validating the 10,000-row file, in milliseconds. */
export async function benchTsvValidate(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const bytes = encodeTsv(issuanceRows());
  const options = { kind: 'issue', institution: INSTITUTION, lookup: memoryLookup(), today: '2026-11-21', fileName: 'bench.tsv' } as const;
  const warm = await validateTsv(bytes, options);
  if (!warm.ok || warm.counts.okRows !== ROWS) throw new Error(`bench file does not validate: ${warm.problems[0]?.message}`);
  const runs: number[] = [];
  const decodeRuns: number[] = [];
  for (let i = 0; i < (opts.quick ? 2 : RUNS); i++) {
    const t0 = performance.now();
    await validateTsv(bytes, options);
    runs.push(performance.now() - t0);
    const t1 = performance.now();
    new TextDecoder('shift_jis', { fatal: true }).decode(bytes);
    decodeRuns.push(performance.now() - t1);
  }
  const value = Math.round(median(runs) * 10) / 10;
  const baseline = Math.round(median(decodeRuns) * 10) / 10;
  return {
    name: 'tsv-validate: 10,000-row CP932 issuance file (decode + parse + all rules, in-memory lookup)',
    value, unit: 'ms', target: 1000, baseline, ratio: Math.round((value / baseline) * 10) / 10, runs, ok: value <= 1000,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchTsvValidate();
  console.log(JSON.stringify(r, null, 2));
}
