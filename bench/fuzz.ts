/**
 * Fuzz bench (issue 15; spec 08 §Security: parsers are fuzzed): generated inputs, ≥ 100,000 in all
 * (12,000 with `--quick`), through the two parsers that take bytes from outside —
 *   - the TSV decoder + validator (`validateTsv`: CP932/UTF-8 decoding, splitting, every rule, the
 *     system rules against a lookup that answers from hashes): random bytes, TSV-shaped text in
 *     either encoding, valid rows with columns replaced;
 *   - CSR parsing and checks (`checkCsr`: PEM/DER, PKCS#10 structure, key policy, self-signature):
 *     valid RSA-2048 / P-256 / P-384 CSRs with bytes flipped, cut, inserted or spliced, random
 *     bytes, PEM text around any of them.
 * Figures: inputs/s (report only), crashes (an exception that is not a coded answer, or a
 * validation result that is not well formed: must be 0) and the longest time one input took (hang
 * detection, ≤ 1 s). The fuzzing runs in a worker thread watched by this one: a worker silent for
 * 30 s is stopped and reported as a hang with the input it was on. Seeds are fixed per run and
 * printed, so a finding can be replayed. Run alone: `node bench/fuzz.ts [--quick]`.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import type { BenchResult } from './tsv-validate.ts';

const SELF = import.meta.filename;
const MAX_MS_TARGET = 1000;
const SILENT_MS = 30_000;
/** Inputs per batch: one fast-check sample, one progress message. */
const BATCH = 500;

type Target = 'tsv' | 'csr';

interface Progress {
  readonly type: 'progress';
  readonly target: Target;
  readonly done: number;
  readonly crashes: number;
  readonly maxMs: number;
  /** What the slowest input was (kind and size), for the note. */
  readonly slowest: string;
  /** Coded answers by code (CSR) or ok / refused (TSV). */
  readonly outcomes: Record<string, number>;
  /** The first few crashes, described. */
  readonly findings: readonly string[];
  /** What the worker is on now (seed and batch), for a hang report. */
  readonly current: string;
}
type Message = Progress | { readonly type: 'finished' };

export interface FuzzFigures {
  readonly target: Target;
  readonly inputs: number;
  readonly seconds: number;
  readonly crashes: number;
  readonly maxMs: number;
  readonly hang: string | null;
  readonly outcomes: Record<string, number>;
  readonly findings: readonly string[];
  readonly slowest: string;
}

/** Runs `inputs` generated inputs against `target` in a watched worker. */
export function fuzz(target: Target, inputs: number, seed: number): Promise<FuzzFigures> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const worker = new Worker(SELF, { workerData: { target, inputs, seed } });
    let last: Progress | null = null;
    let watchdog: ReturnType<typeof setTimeout>;
    const finish = (hang: string | null) => {
      clearTimeout(watchdog);
      resolve({
        target, inputs: last?.done ?? 0, seconds: (performance.now() - t0) / 1000, crashes: last?.crashes ?? 0, maxMs: last?.maxMs ?? 0,
        hang, outcomes: last?.outcomes ?? {}, findings: last?.findings ?? [], slowest: last?.slowest ?? '-',
      });
    };
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        void worker.terminate();
        finish(`no progress for ${SILENT_MS / 1000} s on ${last?.current ?? 'the first batch'}`);
      }, SILENT_MS);
    };
    arm();
    worker.on('message', (m: Message) => {
      if (m.type === 'progress') {
        last = m;
        arm();
      } else {
        void worker.terminate();
        finish(null);
      }
    });
    worker.on('error', (e) => {
      clearTimeout(watchdog);
      reject(e);
    });
  });
}

/** A figure as bench/run.ts reads it; the crash count's target is the text "0". */
type Figure = Omit<BenchResult, 'target'> & { readonly target: number | string };

export async function benchFuzz(opts: { quick?: boolean; inputs?: number } = {}): Promise<Figure[]> {
  const perTarget = opts.inputs ?? (opts.quick ? 6_000 : 60_000);
  const seed = Number(process.env.BENCH_FUZZ_SEED ?? Date.now() % 2 ** 31);
  process.stderr.write(`bench: fuzz seed ${seed} (BENCH_FUZZ_SEED=${seed} replays it)\n`);
  // One after the other: each worker gets a core to itself as far as the machine allows.
  const runs = [await fuzz('tsv', perTarget, seed), await fuzz('csr', perTarget, seed + 1)];
  const total = runs.reduce((n, r) => n + r.inputs, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  const crashes = runs.reduce((n, r) => n + r.crashes, 0) + runs.filter((r) => r.hang).length;
  const maxMs = Math.max(...runs.map((r) => r.maxMs));
  const describe = (r: FuzzFigures) => `${r.target}: ${r.inputs} inputs in ${r.seconds.toFixed(1)} s, outcomes ${JSON.stringify(r.outcomes)}, slowest ${r.maxMs.toFixed(1)} ms (${r.slowest})${r.hang ? `, HANG ${r.hang}` : ''}${r.findings.length ? `, findings: ${r.findings.join(' | ')}` : ''}`;
  const round = (x: number) => Math.round(x * 10) / 10;
  return [
    {
      name: `fuzz: generated inputs, TSV decoder + validator and CSR checks (seed ${seed})`, value: total, unit: 'inputs',
      target: Number.NaN, runs: runs.map((r) => r.inputs), ok: total >= (opts.quick ? 0 : 100_000),
      note: `${round(total / seconds)} inputs/s over both; ${runs.map(describe).join('; ')}`,
    },
    { name: 'fuzz: crashes and hangs (uncoded exception, malformed result, silent worker)', value: crashes, unit: 'crashes', target: '0', runs: [crashes], ok: crashes === 0 },
    { name: 'fuzz: longest time for one input (hang detection)', value: round(maxMs), unit: 'ms', target: MAX_MS_TARGET, runs: runs.map((r) => round(r.maxMs)), ok: maxMs <= MAX_MS_TARGET },
  ];
}

// ——— the worker ——————————————————————————————————————————————————————————————————————————————

async function runWorker(target: Target, inputs: number, seed: number): Promise<void> {
  const gen = (target === 'tsv' ? await tsvFuzzer() : await csrFuzzer()) as unknown as Fuzzer<unknown>;
  const outcomes: Record<string, number> = {};
  const findings: string[] = [];
  let crashes = 0;
  let maxMs = 0;
  let slowest = '-';
  for (let done = 0, batch = 0; done < inputs; batch++) {
    const n = Math.min(BATCH, inputs - done);
    const current = `seed ${seed}, batch ${batch}`;
    const cases = fc.sample(gen.arbitrary, { numRuns: n, seed: seed + batch });
    for (const c of cases) {
      const t0 = performance.now();
      let outcome: string;
      try {
        outcome = await gen.run(c);
      } catch (e) {
        outcome = 'crash';
        if (findings.length < 5) findings.push(`${gen.describe(c)}: ${(e as Error).stack?.split('\n').slice(0, 2).join(' ') ?? String(e)}`);
      }
      const ms = performance.now() - t0;
      if (ms > maxMs) {
        maxMs = ms;
        slowest = gen.describe(c);
      }
      if (outcome === 'crash') crashes++;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    done += n;
    parentPort!.postMessage({ type: 'progress', target, done, crashes, maxMs, slowest, outcomes, findings, current } satisfies Progress);
  }
  parentPort!.postMessage({ type: 'finished' } satisfies Message);
}

interface Fuzzer<T> {
  readonly arbitrary: fc.Arbitrary<T>;
  /** The outcome's name; throws (or returns 'crash') for anything that is not a coded answer. */
  run(input: T): Promise<string>;
  describe(input: T): string;
}

async function tsvFuzzer(): Promise<Fuzzer<{ bytes: Uint8Array; kind: string; setup: number }>> {
  const { validateTsv } = await import('../api/domain/tsv/validate.ts');
  const { joinTsv } = await import('../api/domain/tsv/codec.ts');
  const { encodeCp932 } = await import('../api/domain/tsv/cp932.ts');
  const { isProblemCode } = await import('../api/domain/errors/catalogue.ts');
  const { DN, row, SAMPLE } = await import('../tests/unit/tsv-builders.ts');
  type Kind = 'issue' | 'renew' | 'revoke' | 'admin';
  const KINDS: readonly Kind[] = ['issue', 'renew', 'revoke', 'admin'];
  const CELLS = [
    '', DN, 'CN=A,O=Sample University,L=Bunkyo-ku,C=JP', 'CN=a@sample.ac.jp,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP',
    '5', '7', '13', '4', '99', '0', '1', '2', '3', '05', ' 5', '１', '123456789', '0000', '9'.repeat(41),
    'taro@sample.ac.jp', 'a@b', '@', 'x@example.com', '管理 花子', '事務局①', '\u0000', '\ue000', '😀', 'Abcdefgh12', 'pin',
    'a'.repeat(300), 'file.p12', 'a b', '"', '"a\tb"', '〜', '=cmd|x', '+1', '-1', '@SUM(A1)', '\u202e', '\ufeff', 'CN=a,CN=b', 'O=\\,x',
  ];
  const cell = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...CELLS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  );
  const line = fc.oneof(fc.array(cell, { minLength: 15, maxLength: 15 }), fc.array(cell, { maxLength: 18 })).map((cs) => cs.join('\t'));
  const text = fc.tuple(fc.array(line, { maxLength: 6 }), fc.constantFrom('\n', '\r\n', '\r')).map(([ls, eol]) => ls.join(eol));
  const institutions = [null, SAMPLE, { ...SAMPLE, whoisOrg: 'Sample University', st: null, status: 'suspended' as const }] as const;
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 400 }),
    fc.tuple(text, fc.boolean()).map(([t, cp]) => {
      try {
        return cp ? encodeCp932(t) : new TextEncoder().encode(t);
      } catch {
        return new TextEncoder().encode(t); // not encodable in CP932: the UTF-8 file then
      }
    }),
    fc.tuple(fc.constantFrom(...KINDS), fc.array(fc.tuple(fc.integer({ min: 1, max: 16 }), cell), { minLength: 1, maxLength: 3 }), fc.nat(3))
      .map(([kind, changes, copies]) => new TextEncoder().encode(joinTsv(Array.from({ length: copies + 1 }, () => row(kind, Object.fromEntries(changes)))))),
  );
  const lookup = (seed: number) => {
    const h = (s: string) => [...s].reduce((a, c) => (a * 31 + c.charCodeAt(0) + seed) >>> 0, 7);
    return {
      existingCnOu: async (keys: readonly string[]) => new Set(keys.filter((k) => h(k) % 2 === 0)),
      certificates: async (serials: readonly string[]) => new Map(serials.filter((s) => h(s) % 3 !== 0).map((s) => [s, {
        requestDn: [DN, 'CN=SATO TARO,OU=20261234,O=Sample University,L=Academe,C=JP', 'garbage'][h(s) % 3]!,
        profile: [4, 5, 6, 7, 13, 99][h(s) % 6]!, revoked: h(s) % 2 === 0, hasOpenRenewal: h(s) % 5 === 0,
      }])),
      whois: async (d: string) => [{ status: 'off' as const }, { status: 'unreachable' as const }, { status: 'found' as const, organisations: ['Sample University'] }][h(d) % 3]!,
    };
  };
  return {
    arbitrary: fc.record({ bytes, kind: fc.constantFrom(...KINDS), setup: fc.nat(1000) }),
    async run({ bytes: b, kind, setup }) {
      const r = await validateTsv(b, {
        kind: kind as Kind, lang: setup % 2 ? 'ja' : 'en', institution: institutions[setup % 3]!, lookup: setup % 4 === 0 ? null : lookup(setup),
        today: '2026-11-21', fileName: 'f.tsv', maxLines: 6, w227IsError: setup % 5 === 0,
      } as Parameters<typeof validateTsv>[1]);
      const errors = r.problems.filter((p) => p.level === 'error').length;
      const formed = r.ok === (errors === 0)
        && r.problems.every((p) => isProblemCode(p.code) && p.message.startsWith(`${p.code}:${p.column},`) && p.line >= 0 && p.line <= r.lines && p.column >= 0 && p.column <= 15)
        && r.rows.every((x) => x.ok === (x.request !== null));
      if (!formed) throw new Error(`malformed validation result: ${JSON.stringify(r.problems.slice(0, 2))}`);
      return r.ok ? 'accepted' : 'refused with codes';
    },
    describe: ({ bytes: b, kind }) => `TSV ${kind}, ${b.length} bytes`,
  };
}

async function csrFuzzer(): Promise<Fuzzer<{ data: Uint8Array | string; how: string }>> {
  const { checkCsr } = await import('../api/pki/csr.ts');
  const { HakkoError } = await import('../api/errors.ts');
  const { keyAndCsr } = await import('../tests/helpers/pickup-client.ts');
  const bases = await Promise.all([
    keyAndCsr('CN=FUZZ RSA,O=Sample University,C=JP'),
    keyAndCsr('CN=FUZZ P256,O=Sample University,C=JP', { name: 'ECDSA', namedCurve: 'P-256' }),
    keyAndCsr('CN=FUZZ P384,O=Sample University,C=JP', { name: 'ECDSA', namedCurve: 'P-384' }),
  ]);
  const ders = bases.map((b) => Uint8Array.from(Buffer.from(b.csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64')));
  const CODES = new Set(['CSR_MALFORMED', 'KEY_UNSUPPORTED', 'CSR_SIGNATURE']);
  const base = fc.nat(ders.length - 1).map((i) => ders[i]!);
  const byte = fc.integer({ min: 0, max: 255 });
  const pem = (der: Uint8Array, label = 'CERTIFICATE REQUEST') => `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
  const mutated = fc.oneof(
    fc.tuple(base, fc.array(fc.tuple(fc.nat(2000), byte), { minLength: 1, maxLength: 8 })).map(([d, flips]) => {
      const out = Uint8Array.from(d);
      for (const [at, v] of flips) out[at % out.length] = v;
      return { data: out, how: `${flips.length} bytes changed` };
    }),
    fc.tuple(base, fc.nat(2000)).map(([d, n]) => ({ data: d.slice(0, n % d.length), how: 'cut short' })),
    fc.tuple(base, fc.nat(2000), fc.uint8Array({ minLength: 1, maxLength: 40 })).map(([d, at, ins]) => {
      const i = at % d.length;
      return { data: Uint8Array.from([...d.subarray(0, i), ...ins, ...d.subarray(i)]), how: `${ins.length} bytes inserted` };
    }),
    fc.tuple(base, base, fc.nat(2000), fc.nat(2000)).map(([a, b, i, j]) => ({ data: Uint8Array.from([...a.subarray(0, i % a.length), ...b.subarray(j % b.length)]), how: 'two CSRs spliced' })),
    fc.tuple(base, fc.nat(2000), fc.integer({ min: 0x80, max: 0x84 }), fc.uint8Array({ minLength: 0, maxLength: 4 })).map(([d, at, len, rest]) => {
      // A length field made long-form / huge: the classic ASN.1 parser trap.
      const out = Uint8Array.from(d);
      const i = at % (out.length - 1);
      out[i + 1] = len;
      for (let k = 0; k < rest.length && i + 2 + k < out.length; k++) out[i + 2 + k] = rest[k]!;
      return { data: out, how: 'length field rewritten' };
    }),
    fc.uint8Array({ maxLength: 600 }).map((d) => ({ data: d, how: 'random bytes' })),
    base.map((d) => ({ data: Uint8Array.from(d), how: 'valid CSR' })),
  );
  const arbitrary = fc.oneof(
    { weight: 4, arbitrary: mutated },
    { weight: 1, arbitrary: fc.tuple(mutated, fc.constantFrom('CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST', 'CERTIFICATE', 'PRIVATE KEY')).map(([m, label]) => ({ data: pem(m.data as Uint8Array, label), how: `${m.how}, PEM ${label}` })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 300 }).map((s) => ({ data: s, how: 'random text' })) },
    { weight: 1, arbitrary: fc.tuple(base, fc.string({ maxLength: 20 }), fc.nat(3000)).map(([d, junk, at]) => {
      const p = pem(d);
      const i = at % p.length;
      return { data: p.slice(0, i) + junk + p.slice(i), how: 'PEM with text inserted' };
    }) },
  );
  return {
    arbitrary,
    async run({ data }) {
      try {
        const c = checkCsr(data);
        void c.subject; // decoded on demand: exercise the DN decoder too
        return 'accepted';
      } catch (e) {
        if (e instanceof HakkoError && CODES.has(e.code)) return e.code;
        throw e;
      }
    },
    describe: ({ data, how }) => `CSR ${how}, ${typeof data === 'string' ? `${data.length} characters` : `${data.length} bytes`}`,
  };
}

if (!isMainThread && workerData) {
  const { target, inputs, seed } = workerData as { target: Target; inputs: number; seed: number };
  await runWorker(target, inputs, seed);
} else if (import.meta.main) {
  const r = await benchFuzz({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(r, (_k, v) => (typeof v === 'number' && Number.isNaN(v) ? null : v), 2));
  process.exit(r.every((x) => x.ok) ? 0 : 1);
}
