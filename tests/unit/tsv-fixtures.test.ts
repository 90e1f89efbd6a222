// The sample request files (tests/fixtures/tsv, copied from shared/fixtures) validate as their README says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeTsv, splitTsv } from '../../api/domain/tsv/codec.ts';
import type { TsvKind } from '../../api/domain/tsv/types.ts';
import { validateTsv } from '../../api/domain/tsv/validate.ts';
import { cert, fakeLookup, SAMPLE } from './tsv-builders.ts';

const read = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/tsv/${name}`, import.meta.url)));
const codes = (r: Awaited<ReturnType<typeof validateTsv>>) => r.problems.map((p) => `${p.code}@${p.line}:${p.column}`);

async function validate(name: string, kind: TsvKind, lookup = fakeLookup()) {
  return validateTsv(read(name), { kind, institution: SAMPLE, lookup, today: '2026-11-21', fileName: name });
}

describe('fixtures', () => {
  it('ok issue-p12-individual: same name told apart by OU, ① in an affiliation, a P12 name', async () => {
    const r = await validate('issue-p12-individual.tsv', 'issue');
    expect(codes(r)).toEqual([]);
    expect(r.encoding).toBe('cp932');
    expect(r.lines).toBe(3);
    expect(r.rows.map((x) => x.request?.cnOuKey)).toEqual([
      'CN=SATO TARO,OU=20261234,OU=Graduate School of Engineering',
      'CN=SATO TARO,OU=20269999,OU=Faculty of Letters',
      'CN=ITO MISAKI (Staff),OU=S0042',
    ]);
    expect(r.rows[2]!.parsed!.user.affiliation).toBe('事務局①');
    expect(r.rows[0]!.parsed!.p12FileName).toBe('sato-taro.p12');
    expect(r.rows[1]!.parsed!.p12FileName).toBeNull();
  });

  it('ok issue-p12-bulk: method 2, one row with its own access PIN', async () => {
    const r = await validate('issue-p12-bulk.tsv', 'issue');
    expect(codes(r)).toEqual([]);
    expect(r.rows.map((x) => [x.request?.kind, x.parsed?.method, x.parsed?.pin])).toEqual([
      ['issue', 2, null],
      ['issue', 2, 'OwnPin_2026-abc'],
    ]);
  });

  it('ok issue-browser-smime: method 3, S/MIME CN is the user mail', async () => {
    const r = await validate('issue-browser-smime.tsv', 'issue');
    expect(codes(r)).toEqual([]);
    expect(r.rows[0]!.request).toMatchObject({ kind: 'issue', profile: 7, method: 3, dn: { cn: 'hanako.yamada@sample.ac.jp' } });
  });

  it('NG 223 renew: the made-up serial is unknown', async () => {
    const r = await validate('renew.tsv', 'renew');
    expect(codes(r)).toEqual(['223@1:4']);
  });

  it('ok renew once the certificate exists', async () => {
    const dn = 'CN=SATO TARO,OU=20261234,OU=Graduate School of Engineering,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';
    const r = await validate('renew.tsv', 'renew', fakeLookup({ certificates: { '123456789012345678901234567890': cert({ requestDn: dn }) } }));
    expect(codes(r)).toEqual([]);
    expect(r.rows[0]!.request).toMatchObject({ kind: 'renew', serial: '123456789012345678901234567890', profile: 5 });
  });

  it('W227 revoke: reason 0 with an empty comment is a warning, reason 5 with a comment passes', async () => {
    const certs = {
      '123456789012345678901234567890': cert({ requestDn: 'CN=SATO TARO,OU=20261234,OU=Graduate School of Engineering,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP' }),
      '98765432109876543210': cert({ requestDn: 'CN=ITO MISAKI (Staff),OU=S0042,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP', profile: 14 }),
    };
    const r = await validate('revoke.tsv', 'revoke', fakeLookup({ certificates: certs }));
    expect(codes(r)).toEqual(['W227@1:6']);
    expect(r.ok).toBe(true);
    expect(r.rows.map((x) => x.ok)).toEqual([true, true]);
    expect(r.rows[1]!.request).toMatchObject({ kind: 'revoke', reason: 5, comment: '退職のため' });
  });

  it('NG 305 306 legacy-14-columns: the shape parses, the L=Academe DN fails as a new issuance', async () => {
    const decoded = decodeTsv(read('legacy-14-columns.txt'));
    expect(decoded.ok).toBe(true);
    const split = splitTsv(decoded.ok ? decoded.text : '');
    expect(split.lines.map((l) => [l.seq, l.count, l.columns.length])).toEqual([[1, 14, 15]]);
    const r = await validate('legacy-14-columns.txt', 'issue');
    expect(codes(r)).toEqual(['305@1:1', '306@1:1']);
    expect(r.rows[0]!.parsed!.dn).toEqual({ cn: 'OLD STYLE', ou: ['X1'], o: 'Sample University', l: 'Academe', st: null, c: 'JP' });
  });
});
