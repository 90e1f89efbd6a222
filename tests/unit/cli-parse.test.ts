import { describe, expect, it } from 'vitest';
import { parseCommand, UsageError } from '../../api/cli/parse.ts';

describe('hakko command line', () => {
  it('ok: institution add with repeated --domain and lists', () => {
    const c = parseCommand(['institution', 'add', '--code', 'test-u', '--name-ja', 'テスト大学', '--name-en', 'Test University', '--o', 'Test University', '--l', 'Academe', '--st', 'Tokyo', '--domain', 'a.ac.jp', '--domain', 'b.ac.jp', '--profiles', '5,7', '--methods', '1,3']);
    expect(c).toEqual({ kind: 'institution.add', opts: expect.objectContaining({ code: 'test-u', domains: ['a.ac.jp', 'b.ac.jp'], profiles: [5, 7], methods: [1, 3], st: 'Tokyo' }) });
  });
  it.each([
    [['institution', 'add', '--bogus', 'x'], /bogus/],
    [['institution', 'show'], /missing argument/],
    [['officer', 'enroll', '--name', 'A', '--email', 'a@b.jp'], /--institution CODE or --operator/],
    [['officer', 'enroll', '--institution', 'x', '--operator', '--name', 'A', '--email', 'a@b.jp'], /exactly one/],
    [['tsv', 'check', 'f.tsv'], /--institution is required/],
    [['tsv', 'check', 'f.tsv', '--institution', 'x', '--kind', 'delete'], /--kind/],
    [['nonsense', 'cmd'], /unknown command/],
    [['institution', 'add', '--profiles', '5,x'], /--profiles/],
    [['institution', 'update', 'x', '--code', 'y'], /cannot be changed/],
  ])('NG usage %j', (argv, msg) => {
    expect(() => parseCommand(argv as string[])).toThrow(UsageError);
    expect(() => parseCommand(argv as string[])).toThrow(msg);
  });
  it('ok: tsv check defaults', () => {
    expect(parseCommand(['tsv', 'check', 'a.tsv', '--institution', 'x'])).toEqual({ kind: 'tsv.check', file: 'a.tsv', institution: 'x', tsvKind: 'issue', lang: 'ja', json: false });
  });
});
