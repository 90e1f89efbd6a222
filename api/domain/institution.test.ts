import { describe, expect, it } from 'vitest';
import { isInstitutionCode, parseInstitutionProfile, toProfile, type Institution } from './institution.ts';

const INST: Institution = {
  code: 'sample-u', ja: '見本大学', en: 'Sample University', o: 'Sample University', l: 'Bunkyo-ku', st: null,
  domains: ['sample.ac.jp'], review: 'complete', approvalExpires: null, status: 'active', whoisOrg: 'Sample',
  profiles: [5, 7], methods: [1, 3], keyAlgorithm: 'RSA-2048',
};

describe('parseInstitutionProfile', () => {
  it('ok reads what toProfile writes (the API answer and the allowlist download), through JSON', () => {
    const p = toProfile(INST);
    expect(parseInstitutionProfile(JSON.parse(JSON.stringify(p)))).toEqual({ ok: true, profile: p });
  });
  it('ok drops fields it does not know', () => {
    const r = parseInstitutionProfile({ ...toProfile(INST), whoisOrg: 'x', extra: 1 });
    expect(r.ok && Object.keys(r.profile).sort()).toEqual(['code', 'domains', 'en', 'ja', 'l', 'methods', 'o', 'profiles', 'st']);
  });
  it('NG names the first bad field', () => {
    const p = toProfile(INST);
    expect(parseInstitutionProfile(null)).toEqual({ ok: false, field: '(root)' });
    expect(parseInstitutionProfile([p])).toEqual({ ok: false, field: '(root)' });
    expect(parseInstitutionProfile({ ...p, code: 'Bad Code' })).toEqual({ ok: false, field: 'code' });
    expect(parseInstitutionProfile({ ...p, o: '' })).toEqual({ ok: false, field: 'o' });
    expect(parseInstitutionProfile({ ...p, st: 3 })).toEqual({ ok: false, field: 'st' });
    expect(parseInstitutionProfile({ ...p, domains: [] })).toEqual({ ok: false, field: 'domains' });
    expect(parseInstitutionProfile({ ...p, profiles: [4] })).toEqual({ ok: false, field: 'profiles' });
    expect(parseInstitutionProfile({ ...p, methods: ['1'] })).toEqual({ ok: false, field: 'methods' });
  });
  it('ok institution codes', () => {
    expect(['a', 'sample-u', 'x1-2'].every(isInstitutionCode)).toBe(true);
    expect(['', '-a', 'a-', 'A', 'a_b', 'a'.repeat(33)].some(isInstitutionCode)).toBe(false);
  });
});
