import { describe, expect, it } from 'vitest';
import { decodeTsv } from '$domain/tsv/index.ts';
import { exportFileName, prepareExport } from './export.ts';

const ROWS = [['CN=A', '事務局①'], ['CN=B', '～']];

describe('prepareExport', () => {
  it('ok CP932 bytes with CRLF, and the same text for copying', () => {
    const r = prepareExport(ROWS, 0, false);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.text).toBe('CN=A\t事務局①\r\nCN=B\t～\r\n');
    expect(decodeTsv(r.bytes)).toEqual({ ok: true, text: r.text, encoding: 'cp932' });
  });
  it('NG refused with errors or while the check runs, unless exported as a draft', () => {
    expect(prepareExport(ROWS, 2, false)).toEqual({ ok: false, reason: 'errors', errors: 2 });
    expect(prepareExport(ROWS, null, false)).toEqual({ ok: false, reason: 'errors', errors: 0 });
    expect(prepareExport(ROWS, 2, true).ok).toBe(true);
    expect(prepareExport([], 0, false)).toEqual({ ok: false, reason: 'empty' });
  });
  it('NG a character CP932 cannot hold is refused even as a draft, with its place', () => {
    expect(prepareExport([['CN=A', '山田〜花子']], 1, true)).toEqual({ ok: false, reason: 'unencodable', places: [{ row: 1, column: 2, offset: 3, char: '〜' }] });
  });
});

describe('exportFileName', () => {
  it('ok code, kind and local date; -draft for a draft; a neutral name without a profile', () => {
    const d = new Date(2026, 10, 21, 23, 59);
    expect(exportFileName('sample-u', 'issue', d, false)).toBe('sample-u-issue-20261121.tsv');
    expect(exportFileName('sample-u', 'revoke', d, true)).toBe('sample-u-revoke-20261121-draft.tsv');
    expect(exportFileName(null, 'renew', d, false)).toBe('request-renew-20261121.tsv');
  });
});
