/**
 * Formula neutralisation of the upload report (issue 9 defect 11, spec 08 §Security): cells a
 * spreadsheet would evaluate — = + - @, their full-width forms, also after leading spaces, tabs, CRs
 * or ideographic spaces — get a leading apostrophe; other cells stay as they are.
 */
import { describe, expect, it } from 'vitest';
import { neutralise } from '../../api/workflows/upload-report.ts';

describe('neutralise', () => {
  it.each([
    '=1+1', '+81-3', '-5', '@SUM(A1)', '＝１＋１', '＋81', '－5', '＠SUM(A1)',
    ' =1+1', '  @x', '\t=1', '\r=1', '\t\r +1', '\u3000＝HYPERLINK("x")', ' －1', '\tplain', '\rplain',
  ])('NG %j is neutralised', (cell) => {
    expect(neutralise(cell)).toBe(`'${cell}`);
  });
  it.each(['', 'plain', '山田 太郎', 'a=b', 'x@example.ac.jp', ' plain', '\u3000氏名', '1-2', "'=already"])('ok %j stays', (cell) => {
    expect(neutralise(cell)).toBe(cell);
  });
});
