/** Download names (spec 04 §Pickup page 4, spec 02 column 12) and `-2`, `-3` for repeats in a ZIP. */
import { describe, expect, it } from 'vitest';
import { uniqueNames } from '$domain/zip-names.ts';
import { cnOf, FALLBACK_P12_NAME, p12FileName } from './file-name.ts';

const DN = (cn: string) => `CN=${cn},OU=S1234567,O=Example University,L=Academe,ST=Tokyo,C=JP`;

describe('p12FileName', () => {
  it.each([
    ['column 12 as given', { p12FileName: 'yamada.p12', dn: DN('Yamada Taro') }, 'yamada.p12'],
    ['column 12 without .p12 gets it', { p12FileName: 'yamada', dn: DN('Yamada Taro') }, 'yamada.p12'],
    ['column 12 with .P12 keeps it', { p12FileName: 'Yamada.P12', dn: DN('Yamada Taro') }, 'Yamada.P12'],
    ['no column 12: the CN reduced to letters, digits, . _ -', { p12FileName: null, dn: DN('Yamada Taro') }, 'YamadaTaro.p12'],
    ['empty column 12 counts as none', { p12FileName: '', dn: DN("O'Neil (Jr.), Sean") }, 'ONeilJr.Sean.p12'],
    ['S/MIME CN = mail address', { p12FileName: null, dn: 'CN=taro.yamada@example.ac.jp,O=Example University,L=Academe,C=JP' }, 'taro.yamadaexample.ac.jp.p12'],
    ['a CN with a comma that belongs to the value (spec 02 comma rule)', { p12FileName: null, dn: 'CN=Foo, Inc. Robot,O=Example University,C=JP' }, 'FooInc.Robot.p12'],
    ['a CN that reduces to nothing', { p12FileName: null, dn: DN('() ()') }, FALLBACK_P12_NAME],
    ['a CN that reduces to dots only', { p12FileName: null, dn: DN('. .') }, FALLBACK_P12_NAME],
  ])('%s', (_name, row, expected) => {
    expect(p12FileName(row)).toBe(expected);
  });

  it('ok: cnOf reads the first CN', () => {
    expect(cnOf(DN('Sato Hanako'))).toBe('Sato Hanako');
    expect(cnOf('O=Nobody,C=JP')).toBe('');
  });
});

describe('uniqueNames', () => {
  it('ok: repeats get -2, -3 in order', () => {
    expect(uniqueNames(['a.p12', 'b.p12', 'a.p12', 'a.p12', 'b.p12'])).toEqual(['a.p12', 'b.p12', 'a-2.p12', 'a-3.p12', 'b-2.p12']);
  });
  it('ok: names differing in case only are repeats (Windows and macOS ignore case)', () => {
    expect(uniqueNames(['A.p12', 'a.p12'])).toEqual(['A.p12', 'a-2.p12']);
  });
  it('ok: a suffix that is itself taken is skipped', () => {
    expect(uniqueNames(['a.p12', 'a-2.p12', 'a.p12'])).toEqual(['a.p12', 'a-2.p12', 'a-3.p12']);
  });
  it('ok: unique names are untouched', () => {
    expect(uniqueNames(['x.p12', 'y.p12'])).toEqual(['x.p12', 'y.p12']);
  });
});
