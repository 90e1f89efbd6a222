// System rules through the batched lookup port, renewal from outdated DNs, the offline tool's "not checked".
import { describe, expect, it } from 'vitest';
import type { InstitutionProfile } from '../../api/domain/institution.ts';
import { validateRowsOffline, validateTsv, validateTsvText } from '../../api/domain/tsv/validate.ts';
import { cert, check, DN, fakeLookup, person, row, SAMPLE, SERIAL } from './tsv-builders.ts';

const codes = (r: { problems: readonly { code: string; line: number; column: number }[] }) => r.problems.map((p) => `${p.code}@${p.line}:${p.column}`);
const LEGACY_DN = 'CN=OLD STYLE,OU=X1,O=Sample University,L=Academe,C=JP';
const MOVED_DN = 'CN=OLD STYLE,OU=X1,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';

describe('batched lookups', () => {
  it('ok 10,000 issuance rows cost one existingCnOu query', async () => {
    const lookup = fakeLookup();
    const rows = Array.from({ length: 10_000 }, (_, i) => person(i));
    const r = await check('issue', rows, { lookup });
    expect(r.counts).toMatchObject({ rows: 10_000, okRows: 10_000, errors: 0 });
    expect(lookup.calls).toEqual({ existingCnOu: 1, certificates: 0, whois: 0 });
  });

  it('ok WHOIS asked once per registered domain, not per mail subdomain', async () => {
    const lookup = fakeLookup({ whois: { 'sample.ac.jp': { status: 'found', organisations: ['ＳＡＭＰＬＥ  university'] } } });
    const rows = [person(1), person(2, { 14: 'u2@mail.sample.ac.jp' }), person(3, { 14: 'u3@Lab.Sample.ac.jp' })];
    const r = await check('issue', rows, { lookup, institution: { ...SAMPLE, whoisOrg: 'Sample University' } });
    expect(codes(r)).toEqual([]);
    expect(lookup.calls.whois).toBe(1);
  });

  it('NG 304 WHOIS without any organisation in the answer', async () => {
    const lookup = fakeLookup({ whois: { 'sample.ac.jp': { status: 'found', organisations: [] } } });
    const r = await check('issue', [row('issue')], { lookup, institution: { ...SAMPLE, whoisOrg: 'Sample University' } });
    expect(codes(r)).toEqual(['304@1:14']);
  });

  it('ok WHOIS off: not an error, reported as not checked', async () => {
    const r = await check('issue', [row('issue')], { institution: { ...SAMPLE, whoisOrg: 'Sample University' } });
    expect(codes(r)).toEqual([]);
    expect(r.notChecked).toEqual(['303', '304']);
  });

  it('ok revocation of a suspended, expired institution (no institution rules)', async () => {
    const institution = { ...SAMPLE, status: 'suspended' as const, approvalExpires: '2020-01-01', review: 'pending' as const };
    const r = await check('revoke', [row('revoke', { 14: 'x@elsewhere.example' })], { institution, lookup: fakeLookup({ certificates: { [SERIAL]: cert() } }) });
    expect(codes(r)).toEqual([]);
  });

  it('ok revocation of an expired certificate', async () => {
    const r = await check('revoke', [row('revoke')], { lookup: fakeLookup({ certificates: { [SERIAL]: cert() } }) });
    expect(r.ok).toBe(true);
  });
});

describe('renewal from outdated registration values', () => {
  const legacyCert = { [SERIAL]: cert({ requestDn: LEGACY_DN }) };

  it('ok renewal keeping the old request DN (L=Academe, no ST)', async () => {
    const r = await check('renew', [row('renew', { 1: LEGACY_DN, 14: 'old@sample.ac.jp' })], { lookup: fakeLookup({ certificates: legacyCert }) });
    expect(codes(r)).toEqual([]);
  });

  it('ok renewal moving to today\'s L and ST', async () => {
    const r = await check('renew', [row('renew', { 1: MOVED_DN, 14: 'old@sample.ac.jp' })], { lookup: fakeLookup({ certificates: legacyCert }) });
    expect(codes(r)).toEqual([]);
    expect(r.rows[0]!.request?.dnText).toBe(MOVED_DN);
  });

  it('NG 224 305 renewal changing L to neither the old nor the registered value', async () => {
    const dn = MOVED_DN.replace('Bunkyo-ku', 'Minato-ku');
    const r = await check('renew', [row('renew', { 1: dn, 14: 'old@sample.ac.jp' })], { lookup: fakeLookup({ certificates: legacyCert }) });
    expect(codes(r)).toEqual(['224@1:1', '305@1:1']);
  });

  it('NG 224 revocation compares exactly (no registered-value replacement)', async () => {
    const r = await check('revoke', [row('revoke', { 1: MOVED_DN })], { lookup: fakeLookup({ certificates: legacyCert }) });
    expect(codes(r)).toEqual(['224@1:1']);
  });

  it('ok renewal of a retired SHA-1 client certificate (profile 4) to profile 5', async () => {
    const r = await check('renew', [row('renew')], { lookup: fakeLookup({ certificates: { [SERIAL]: cert({ profile: 4 }) } }) });
    expect(codes(r)).toEqual([]);
  });
});

describe('offline tool', () => {
  const profile: InstitutionProfile = { code: 'sample-u', ja: '見本大学', en: 'Sample University', o: 'Sample University', l: 'Bunkyo-ku', st: 'Tokyo', domains: ['sample.ac.jp'], profiles: [5, 7], methods: [1, 2, 3] };

  it('ok without lookup: system checks not checked, no errors', async () => {
    const r = await validateTsvText([row('issue'), person(2)].map((x) => x.join('\t')).join('\n'), { kind: 'issue', institution: profile });
    expect(codes(r)).toEqual([]);
    expect(r.encoding).toBeNull();
    expect(r.notChecked).toEqual(['212', '215', '302', '303', '304']);
  });

  it('ok without institution: institution rules not checked', () => {
    const r = validateRowsOffline([row('issue', { 1: DN.replace('Tokyo', 'Osaka'), 14: 'a@example.com' })], { kind: 'issue' });
    expect(codes(r)).toEqual([]);
    expect(r.notChecked).toEqual(['210', '211', '212', '215', '301', '302', '303', '304', '305', '306', '307']);
  });

  it('NG 210 profile not in the loaded profile', () => {
    const r = validateRowsOffline([row('issue', { 2: '13' })], { kind: 'issue', institution: profile, lang: 'en' });
    expect(r.problems.map((p) => p.message)).toEqual(['210:2,Profile ID,Profile ID "13" cannot be used (not enabled for this institution).']);
  });

  it('ok offline renewal with outdated L: 305 and 306 not checked rather than reported', () => {
    const r = validateRowsOffline([row('renew', { 1: LEGACY_DN, 14: 'old@sample.ac.jp' })], { kind: 'renew', institution: profile });
    expect(codes(r)).toEqual([]);
    expect(r.notChecked).toEqual(expect.arrayContaining(['223', '224', '305', '306']));
    expect(r.notChecked).not.toContain('307');
  });

  it('NG 207 and 219 across rows, 14 columns accepted', () => {
    const r = validateRowsOffline([row('issue').slice(0, 14), row('issue').slice(0, 13), row('issue')], { kind: 'issue', institution: profile });
    expect(codes(r)).toEqual(['207@2:0', '219@3:1']);
    expect(r.rows[1]!.parsed).toBeNull();
  });
});

describe('institutions and encodings', () => {
  it('ok institution without ST: DN without ST passes, DN with ST is 306', async () => {
    const institution = { ...SAMPLE, st: null };
    const noSt = DN.replace(',ST=Tokyo', '');
    expect(codes(await check('issue', [row('issue', { 1: noSt })], { institution }))).toEqual([]);
    expect(codes(await check('issue', [row('issue')], { institution }))).toEqual(['306@1:1']);
  });

  it('ok UTF-8 file with BOM and LF', async () => {
    const text = '\ufeff' + [row('issue'), person(2, { 13: '事務局①' })].map((r) => r.join('\t')).join('\n');
    const r = await validateTsv(new TextEncoder().encode(text), { kind: 'issue', institution: SAMPLE, lookup: fakeLookup(), fileName: 'a.TXT' });
    expect(codes(r)).toEqual([]);
    expect(r.encoding).toBe('utf-8');
    expect(r.rows[0]!.parsed!.dnText).toBe(DN);
  });

  it('NG 203 wave dash U+301C from a UTF-8 file (CP932 has only ～ U+FF5E)', async () => {
    const text = row('issue', { 13: '工学部〜' }).join('\t');
    const r = await validateTsv(new TextEncoder().encode(text), { kind: 'issue', institution: SAMPLE, lang: 'en' });
    expect(r.problems.map((p) => p.message)).toEqual(['203:13,User affiliation,User affiliation contains a character that is not allowed: "〜" (U+301C).']);
  });
});

describe('result shape', () => {
  it('all problems of all rows, warnings do not block, typed requests only for ok rows', async () => {
    const rows = [row('revoke', { 5: '0' }), row('revoke', { 4: 'x', 5: '9', 15: 'pin' }), row('revoke', { 4: '55' })];
    const r = await check('revoke', rows, { lookup: fakeLookup({ certificates: { [SERIAL]: cert(), '55': cert() } }) });
    expect(codes(r)).toEqual(['W227@1:6', '204@2:4', '226@2:5', '220@2:15']);
    expect(r.counts).toEqual({ rows: 3, okRows: 2, errorRows: 1, errors: 3, warnings: 1 });
    expect(r.rows.map((x) => x.request?.kind ?? null)).toEqual(['revoke', null, 'revoke']);
    expect(r.lines).toBe(3);
  });

  it('SEQ counts blank lines', async () => {
    const text = ['', row('issue', { 11: '' }).join('\t'), '', '\t\t', person(2, { 2: '99' }).join('\t'), ''].join('\r\n');
    const r = await validateTsvText(text, { kind: 'issue', institution: SAMPLE });
    expect(codes(r)).toEqual(['201@2:11', '210@5:2']);
    expect(r.lines).toBe(5);
  });
});
