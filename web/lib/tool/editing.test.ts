import { describe, expect, it } from 'vitest';
import { backupJson, makeDraft, readBackup, backupFileName } from './drafts.ts';
import { RowHistory } from './history.ts';
import { fifteen, newRow, usedColumns } from './rows.ts';
import { partlyChecked, summarise } from './validation.ts';
import { rowWindow, scrollToShow } from './virtual.ts';
import { mostCommon, stateCounts, viewRows } from './view.ts';

const PROFILE = { code: 'sample-u', ja: '見本大学', en: 'Sample University', o: 'Sample University', l: 'Bunkyo-ku', st: 'Tokyo', domains: ['sample.ac.jp'], profiles: [5, 7], methods: [1, 3] } as const;

describe('rows', () => {
  it('ok a new row: O, L, ST, C from the profile; profile, method and administrator from the row above', () => {
    const above = fifteen(['CN=X,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP', '7', '3', '', '', '', '', 'a', 'b', 'c@sample.ac.jp', 'u']);
    expect(newRow('issue', PROFILE, above)).toEqual(['CN=,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP', '7', '3', '', '', '', '', 'a', 'b', 'c@sample.ac.jp', '', '', '', '', '']);
    expect(newRow('revoke', null, above)).toEqual(fifteen([]));
  });
  it('ok the columns each kind uses', () => {
    expect(usedColumns('admin')).toEqual([1, 4, 8, 9, 10]);
    expect(usedColumns('revoke')).toEqual([1, 4, 5, 6, 8, 9, 10, 11, 13, 14]);
  });
});

describe('summarise (the worker\'s check)', () => {
  it('ok the shared rules: findings per row, counts, and what is not checked here', () => {
    const row = newRow('issue', PROFILE, null);
    const s = summarise([row], 'issue', PROFILE);
    expect(s.rowFindings[0]!.map((f) => `${f.code}:${f.column}`)).toEqual(['206:1', '201:2', '201:3', '201:8', '201:9', '201:10', '201:11', '201:14']);
    expect([s.errors, s.warnings, s.errorRows]).toEqual([8, 0, 1]);
    expect(s.notChecked).toEqual(['212', '215', '302', '303', '304']);
    expect(summarise([row], 'issue', null).notChecked).toEqual(expect.arrayContaining(['210', '211', '301', '305', '306', '307']));
    expect(partlyChecked(s)).toBe(false);
    expect(partlyChecked(summarise([row], 'issue', null))).toBe(true);
    expect(partlyChecked(summarise([row], 'revoke', null))).toBe(false);
    // A renewal with a profile: an O that is not today's depends on the old certificate — checked at upload.
    const renewal = summarise([[row[0]!.replace('CN=,O=Sample University', 'CN=A,O=Old Name'), '5', '1', '123', ...row.slice(4)]], 'renew', PROFILE);
    expect([renewal.atUpload, renewal.needsProfile]).toEqual([['215', '223', '224', '229', '230', '302', '303', '304', '307'], []]);
  });
});

describe('RowHistory', () => {
  it('ok undo and redo; keystrokes in one field merge into one step until sealed', () => {
    const h = new RowHistory();
    const a = [['a']];
    const b = [['ab']];
    const c = [['abc']];
    h.record(a, '0:1');
    h.record(b, '0:1');
    expect(h.undo(c)).toBe(a);
    expect(h.redo(a)).toBe(c);
    h.seal();
    h.record(c, '0:1');
    expect(h.undo([['abcd']])).toBe(c);
    expect(h.canUndo).toBe(true);
  });
  it('ok a new edit clears redo; the limit drops the oldest', () => {
    const h = new RowHistory(2);
    h.record([['1']]);
    h.record([['2']]);
    h.record([['3']]);
    expect(h.undo([['4']])).toEqual([['3']]);
    h.record([['x']]);
    expect(h.canRedo).toBe(false);
    expect(h.undo([['y']])).toEqual([['x']]);
    expect(h.undo([['z']])).toEqual([['2']]);
    expect(h.undo([['w']])).toBeNull();
  });
});

describe('virtual table', () => {
  it('ok the rows in view with overscan, and the space around them', () => {
    expect(rowWindow(10_000, 40, 4000, 400, 5)).toEqual({ start: 95, end: 115, before: 3800, after: (10_000 - 115) * 40 });
    expect(rowWindow(3, 40, 0, 400)).toEqual({ start: 0, end: 3, before: 0, after: 0 });
    expect(rowWindow(0, 40, 0, 400)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });
  it('ok scrolling a row into view', () => {
    expect(scrollToShow(5, 40, 400, 400)).toBe(200);
    expect(scrollToShow(15, 40, 0, 400)).toBe(240);
    expect(scrollToShow(3, 40, 0, 400)).toBeNull();
  });
});

describe('viewer', () => {
  const rows = [['10', 'b', '5'], ['9', 'A', '7'], ['100', 'c', '5']];
  const state = (i: number) => rows[i]![2]!;
  it('ok filter by keyword (any value, case-insensitive) and state; numeric and text sort', () => {
    expect(viewRows(rows, { keyword: 'a', states: [], sortColumn: null, descending: false }, state)).toEqual([1]);
    expect(viewRows(rows, { keyword: '', states: ['5'], sortColumn: null, descending: false }, state)).toEqual([0, 2]);
    expect(viewRows(rows, { keyword: '', states: [], sortColumn: 0, descending: false }, state)).toEqual([1, 0, 2]);
    expect(viewRows(rows, { keyword: '', states: [], sortColumn: 1, descending: true }, state)).toEqual([2, 0, 1]);
    expect(viewRows(rows, { keyword: '', states: [], sortColumn: null, descending: false }, state, (i) => i > 0)).toEqual([1, 2]);
  });
  it('ok counts per state and the most common value', () => {
    expect([...stateCounts(3, state)]).toEqual([['5', 2], ['7', 1]]);
    expect(mostCommon(['3', '1', '3'])).toBe('3');
    expect(mostCommon([])).toBeNull();
  });
});

describe('draft backups', () => {
  it('ok a backup holds the rows exactly and reads back; anything else is refused', () => {
    const d = makeDraft('発行申請 2026-11-21', 'issue', new Date('2026-11-21T00:00:00Z'), { rows: [['CN=A', '山田〜花子']] });
    expect(readBackup(backupJson(d))).toEqual({ name: d.name, kind: 'issue', rows: [['CN=A', '山田〜花子']] });
    expect(readBackup('{"format":"other"}')).toBeNull();
    expect(readBackup('not json')).toBeNull();
    expect(backupFileName('発行 2026/11/21')).toBe('発行_2026_11_21.hakko-draft.json');
  });
});
