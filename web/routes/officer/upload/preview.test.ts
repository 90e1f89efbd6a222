/**
 * The upload preview is the shared validator's result (no copied rule): the same codes the server
 * reports, reduced to what the table shows; the JST day for 302.
 */
import { describe, expect, it } from 'vitest';
import { encodeTsv, validateTsv } from '$domain/tsv/index.ts';
import { jstToday, toPreview } from './preview.ts';

const inst = { code: 'sample-u', ja: '見本大学', en: 'Sample University', o: 'Sample University', l: 'Bunkyo-ku', st: 'Tokyo', domains: ['sample.ac.jp'], profiles: [5, 7, 13, 14, 15, 16], methods: [1, 2, 3] } as const;
const row = (cn: string, mail: string) => [`CN=${cn},O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP`, '13', '3', '', '', '', '', '管理 花子', '情報基盤センター', 'admin@sample.ac.jp', '利用者', '', '工学部', mail, ''];

describe('toPreview', () => {
  it('ok rows with person, DN and problems; counts; server-only codes listed as not checked', async () => {
    const v = await validateTsv(encodeTsv([row('A ONE', 'a@sample.ac.jp'), row('B TWO', 'b@elsewhere.example')]), { kind: 'issue', lang: 'en', fileName: 'x.tsv', institution: inst, lookup: null });
    const p = toPreview(v);
    expect(p.counts).toMatchObject({ rows: 2, okRows: 1, errorRows: 1 });
    expect(p.encoding).toBe('cp932');
    expect(p.rows[0]).toMatchObject({ seq: 1, ok: true, name: '利用者', affiliation: '工学部', mail: 'a@sample.ac.jp', problems: [] });
    expect(p.rows[1]!.problems.map((x) => [x.code, x.column])).toEqual([['301', 14]]);
    expect(p.notChecked).toContain('212');
  });

  it('ok an administrator-change file shows the new administrator', async () => {
    const d = ['CN=A ONE,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP', '', '', '123', '', '', '', '新 管理', '事務', 'new@sample.ac.jp', '', '', '', '', ''];
    const p = toPreview(await validateTsv(encodeTsv([d]), { kind: 'admin', lang: 'ja', institution: inst, lookup: null }));
    expect(p.rows[0]).toMatchObject({ name: '新 管理', affiliation: '事務', mail: 'new@sample.ac.jp', serial: '123' });
  });

  it('ok a file-level problem (217) is reported without rows', async () => {
    const p = toPreview(await validateTsv(new Uint8Array([0x82, 0xff, 0x0a]), { kind: 'issue', lang: 'ja', institution: inst, lookup: null }));
    expect(p.fileProblems.map((x) => x.code)).toEqual(['217']);
    expect(p.rows).toEqual([]);
  });
});

describe('jstToday', () => {
  it('ok the calendar day in Japan (UTC+9)', () => {
    expect(jstToday(new Date('2026-03-31T14:59:59Z'))).toBe('2026-03-31');
    expect(jstToday(new Date('2026-03-31T15:00:00Z'))).toBe('2026-04-01');
  });
});
