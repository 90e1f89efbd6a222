import { describe, expect, it } from 'vitest';
import { benchModules, missingFigures, parseArgs, rowsOf, SPEC_FIGURES } from '../../bench/run.ts';

// `npm run bench` shows every module's figures in one table whatever shape the module returns.
describe('bench runner rows', () => {
  it('a time with a numeric target: "≤", ratio value/target, pass from ok', () => {
    const [r] = rowsOf({ name: 'upload', value: 2400, unit: 'ms', target: 3000, ok: true, runs: [2400, 2500.04] });
    expect(r).toMatchObject({ figure: 'upload', value: '2400 ms', target: '≤ 3000 ms', ratio: '0.8', pass: true });
    expect(r!.note).toContain('runs 2400, 2500');
  });
  it('a rate with a numeric target (bench/ocsp.ts): "≥"; a missed one fails', () => {
    const rows = rowsOf([{ name: 'OCSP', value: 1500, unit: '/s', target: 2000, pass: false }]);
    expect(rows).toEqual([expect.objectContaining({ value: '1500 /s', target: '≥ 2000 /s', ratio: '0.75', pass: false })]);
  });
  it('a report-only figure (target NaN) has no pass', () => {
    expect(rowsOf({ name: 'info', value: 7067.4, unit: 'ms', target: Number.NaN })[0]).toMatchObject({ target: '- (report only)', pass: null });
  });
  it('bench/signing.ts figures: per-CPU-second ratio to openssl speed, speed-up over the shell loop, two cores', () => {
    const rows = rowsOf({
      opensslSpeedSignPerSec: 2800, oneCore: { sequential: { perSec: 850, perCpuSec: 860 }, pipelined: { perSec: 870, perCpuSec: 880 }, concurrency: 4 },
      twoCores: { inProcessPerSec: 900, twoWorkersPerSec: 1700 }, ratioOneCore: 880 / 2800, x509Loop: { perSec: 35 }, speedupVsX509Loop: 870 / 35,
      targets: { ratio: 0.5, speedup: 10, ratioMet: false, speedupMet: true }, pinned: true,
    });
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ value: '880 certs/CPU-s', ratio: '0.31', pass: false });
    expect(rows[0]!.target).toContain('2800 sign/s');
    expect(rows[1]).toMatchObject({ value: '870 certs/s', ratio: '24.9×', pass: true });
    expect(rows[2]).toMatchObject({ value: '900 certs/s', pass: null });
  });
  it('an unknown shape is shown as JSON, never dropped', () => {
    expect(rowsOf({ something: 1 })[0]).toMatchObject({ figure: '?', value: '{"something":1}', pass: null });
  });
  it('finds the bench modules and leaves the runner and scratch files out', () => {
    const all = benchModules();
    expect(all).toEqual(expect.arrayContaining(['mail-latency', 'ocsp', 'signing', 'tsv-validate', 'upload']));
    expect(all).not.toContain('run');
    expect(all.some((m) => m.startsWith('_'))).toBe(false);
    expect(benchModules(['ocsp'])).toEqual(['ocsp']);
  });
});

describe('bench runner options (issue 15)', () => {
  it('--quick and --json are options, the rest module names; an unknown option is refused', () => {
    expect(parseArgs([])).toEqual({ modules: [], json: false, quick: false });
    expect(parseArgs(['--quick', 'upload', '--json', 'signing'])).toEqual({ modules: ['upload', 'signing'], json: true, quick: true });
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option --fast/);
  });
  it('every spec figure names a module, and a full run lists one whose module is missing as "not measured"', () => {
    const present = benchModules();
    expect(present).toEqual(expect.arrayContaining(['mail-throughput', 'load', 'fuzz']));
    const rows = missingFigures(present);
    // Only the figures whose module does not exist; each with the reason.
    expect(rows.map((r) => r.figure)).toEqual(SPEC_FIGURES.filter((f) => !present.includes(f.module)).map((f) => f.figure));
    for (const r of rows) expect(r).toMatchObject({ value: 'not measured', pass: null, note: expect.stringMatching(/^no bench\/.+\.ts/) });
    expect(missingFigures(SPEC_FIGURES.map((f) => f.module))).toEqual([]);
    expect(missingFigures([]).length).toBe(SPEC_FIGURES.length);
  });
  it('a throughput in mails/s is an "at least" target', () => {
    const [r] = rowsOf({ name: 'mail throughput', value: 450, unit: 'mails/s', target: 300, baseline: 1100, ok: true, runs: [450] });
    expect(r).toMatchObject({ value: '450 mails/s', target: '≥ 300 mails/s', ratio: '1.5', pass: true });
    expect(r!.note).toContain('same-run baseline 1100 mails/s');
  });
});
