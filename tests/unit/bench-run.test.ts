import { describe, expect, it } from 'vitest';
import { benchModules, rowsOf } from '../../bench/run.ts';

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
