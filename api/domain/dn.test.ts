import { describe, expect, it } from 'vitest';
import { cnOuKey, dnFields, dnFromFields, formatDn, parseDn, splitDn, withRegisteredValues } from './dn.ts';

const DN = 'CN=SATO TARO,OU=20261234,OU=Graduate School of Engineering,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';
const codes = (text: string, plus?: string) =>
  parseDn(text, { plusAllowedIfCnIs: plus }).problems.map((p) => [p.code, p.params.attr ?? p.params.detail ?? '']);

describe('parseDn', () => {
  it('ok full DN, OU order kept', () => {
    expect(parseDn(DN)).toEqual({
      dn: { cn: 'SATO TARO', ou: ['20261234', 'Graduate School of Engineering'], o: 'Sample University', l: 'Bunkyo-ku', st: 'Tokyo', c: 'JP' },
      problems: [],
    });
  });

  it('ok comma not followed by an attribute name belongs to the value', () => {
    const r = parseDn('CN=ITO, MISAKI,OU=A,B,O=Foo, Inc.,L=Bunkyo-ku,C=JP');
    expect(r.problems).toEqual([]);
    expect(r.dn).toMatchObject({ cn: 'ITO, MISAKI', ou: ['A,B'], o: 'Foo, Inc.', st: null });
  });

  it('ok no ST (pre-2018 DN)', () => {
    expect(parseDn('CN=OLD STYLE,OU=X1,O=Sample University,L=Academe,C=JP').dn?.st).toBeNull();
  });

  it('ok CN characters, = and : included; no backslash escaping', () => {
    expect(codes("CN=O'Neil (Dr.) a/b:c=d@e_f-g,O=X,L=Y,C=JP")).toEqual([]);
    expect(codes('CN=A\\,B,O=X,L=Y,C=JP')).toEqual([['203', 'CN']]);
  });

  it('NG 206 each structural problem', () => {
    expect(codes('')).toEqual([['206', 'dn.empty']]);
    expect(codes('E=x@y,CN=A,O=X,L=Y,C=JP')).toEqual([['206', 'dn.unknownAttribute']]);
    expect(codes('cn=A,O=X,L=Y,C=JP')).toEqual([['206', 'dn.unknownAttribute']]);
    expect(codes('CN=A,CN=B,O=X,L=Y,C=JP')).toEqual([['206', 'dn.duplicate']]);
    expect(codes('CN=A,O=X,OU=Z,L=Y,C=JP')).toEqual([['206', 'dn.order']]);
    expect(codes('CN=A,O=X,ST=Tokyo,L=Y,C=JP')).toEqual([['206', 'dn.order']]);
    expect(codes('CN=A,OU=,O=X,L=Y,C=JP')).toEqual([['206', 'dn.emptyValue']]);
    expect(codes('CN=A,O=X,C=JP')).toEqual([['206', 'dn.missing']]);
    expect(parseDn('CN=A,O=X,C=JP').problems[0]!.params.value).toBe('L');
    expect(codes('OU=A,O=X,L=Y,C=JP')).toEqual([['206', 'dn.missing']]);
    expect(parseDn('CN=A,O=X,C=JP').dn).toBeNull();
  });

  it('NG 203 disallowed characters per attribute', () => {
    expect(codes('CN=A+B,O=X,L=Y,C=JP')).toEqual([['203', 'CN']]);
    expect(codes('CN=A,OU=a@b,O=X,L=Y,C=JP')).toEqual([['203', 'OU']]);
    expect(codes('CN=A,O=X,L=Bunkyo_ku,ST=To(kyo),C=JP')).toEqual([['203', 'L'], ['203', 'ST']]);
    expect(codes('CN=佐藤,O=X,L=Y,C=JP')).toEqual([['203', 'CN']]);
    expect(parseDn('CN=佐藤😀佐藤,O=X,L=Y,C=JP').problems[0]!.params.chars).toEqual(['佐', '藤', '😀']);
  });

  it('ok + in the CN only when the CN is the S/MIME user mail', () => {
    const dn = 'CN=a+b@x.jp,O=X,L=Y,C=JP';
    expect(codes(dn, 'a+b@x.jp')).toEqual([]);
    expect(codes(dn, 'other@x.jp')).toEqual([['203', 'CN']]);
  });

  it('NG 203 leading or trailing spaces are not trimmed silently', () => {
    expect(codes(' CN=A,O=X,L=Y,C=JP')).toEqual([['203', 'space.edge']]);
    expect(codes('CN=A ,O=X,L=Y,C=JP')).toEqual([['203', 'CN']]);
    expect(codes('CN=A,O=X,L=Y,C=JP ')).toEqual([['203', 'C']]);
  });

  it('NG 202 lengths: 64 per value, 250 in all', () => {
    expect(codes(`CN=${'A'.repeat(64)},O=X,L=Y,C=JP`)).toEqual([]);
    expect(codes(`CN=${'A'.repeat(65)},O=X,L=Y,C=JP`)).toEqual([['202', 'CN']]);
    const ous = Array.from({ length: 5 }, () => 'OU=' + 'B'.repeat(50)).join(',');
    expect(codes(`CN=A,${ous},O=X,L=Y,C=JP`)).toEqual([['202', '']]);
  });

  it('NG 232 C is not JP', () => {
    expect(codes('CN=A,O=X,L=Y,C=jp')).toEqual([['232', 'C']]);
  });
});

describe('DN helpers', () => {
  it('ok formatDn inverts parseDn', () => {
    const dn = parseDn(DN).dn!;
    expect(formatDn(dn)).toBe(DN);
    expect(formatDn(parseDn('CN=A,O=Foo, Inc.,L=Academe,C=JP').dn!)).toBe('CN=A,O=Foo, Inc.,L=Academe,C=JP');
  });

  it('ok cnOuKey: exact, case-sensitive, OU order kept', () => {
    const a = parseDn(DN).dn!;
    const b = parseDn(DN.replace('OU=20261234,OU=Graduate School of Engineering', 'OU=Graduate School of Engineering,OU=20261234')).dn!;
    expect(cnOuKey(a)).toBe('CN=SATO TARO,OU=20261234,OU=Graduate School of Engineering');
    expect(cnOuKey(a)).not.toBe(cnOuKey(b));
    expect(cnOuKey({ cn: 'sato taro', ou: a.ou })).not.toBe(cnOuKey(a));
  });

  it('ok withRegisteredValues moves L=Academe without ST to today\'s values', () => {
    const old = parseDn('CN=OLD STYLE,OU=X1,O=Old Name,L=Academe,C=JP').dn!;
    expect(formatDn(withRegisteredValues(old, { o: 'Sample University', l: 'Bunkyo-ku', st: 'Tokyo' }))).toBe(
      'CN=OLD STYLE,OU=X1,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP',
    );
    expect(withRegisteredValues(parseDn(DN).dn!, { o: 'S', l: 'L', st: null }).st).toBeNull();
  });

  it('ok splitDn keeps an unknown leading segment', () => {
    expect(splitDn('E=x,CN=A')).toEqual({ unknown: 'E=x', attrs: [{ attr: 'CN', value: 'A' }] });
    expect(splitDn('CN=a,CN')).toEqual({ unknown: null, attrs: [{ attr: 'CN', value: 'a,CN' }] });
  });
});

describe('dnFields / dnFromFields (the TSV tool form)', () => {
  it('ok fields of a DN and back, OU order kept, ST optional', () => {
    const f = dnFields(DN);
    expect(f).toEqual({ cn: 'SATO TARO', ou: ['20261234', 'Graduate School of Engineering'], o: 'Sample University', l: 'Bunkyo-ku', st: 'Tokyo', c: 'JP' });
    expect(dnFromFields(f!)).toBe(DN);
    const old = 'CN=OLD STYLE,OU=X1,O=Sample University,L=Academe,C=JP';
    expect(dnFromFields(dnFields(old)!)).toBe(old);
  });
  it('ok faulty values are kept as written (the rules report them)', () => {
    expect(dnFields('CN= A〜,O=X,L=Y,C=US')).toMatchObject({ cn: ' A〜', c: 'US', st: '' });
    expect(dnFields('')).toEqual({ cn: '', ou: [], o: '', l: '', st: '', c: '' });
  });
  it('NG null where fields would lose something: unknown attribute, duplicate, order', () => {
    expect(dnFields('E=a@b,CN=A,O=X,L=Y,C=JP')).toBeNull();
    expect(dnFields('CN=A,CN=B,O=X,L=Y,C=JP')).toBeNull();
    expect(dnFields('CN=A,O=X,OU=B,L=Y,C=JP')).toBeNull();
  });
});
