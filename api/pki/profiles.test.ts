import { describe, expect, it } from 'vitest';
import { officerSubject, operatorSubject, policyOid, profileRules, type CertProfile } from './profiles.ts';
import { OID } from './oids.ts';
import { PkiError } from './errors.ts';
import type { KeyInfo } from './keys.ts';
import { requestFor, USER_MAIL, CLIENT_DN } from '../../tests/helpers/pki.ts';

const RSA: KeyInfo = { kind: 'rsa', bits: 2048, exponent: 65537n, modulus: 1n };
const EC: KeyInfo = { kind: 'ec', curve: 'P-256' };
const ARC = '2.25.1234';
const NB = new Date('2026-01-31T10:00:00Z');

describe('profile rules (spec 03 §End-entity profiles)', () => {
  it.each([
    [5, RSA, 'client', ['digitalSignature', 'keyEncipherment'], OID.clientAuth, '2030-01-31T10:00:00.000Z'],
    [13, EC, 'client', ['digitalSignature'], OID.clientAuth, '2027-02-28T10:00:00.000Z'],
    [14, RSA, 'client', ['digitalSignature', 'keyEncipherment'], OID.clientAuth, '2028-02-29T10:00:00.000Z'],
    [7, RSA, 'smime', ['digitalSignature', 'keyEncipherment'], OID.emailProtection, '2028-05-03T10:00:00.000Z'],
    [15, EC, 'smime', ['digitalSignature', 'keyAgreement'], OID.emailProtection, '2027-02-28T10:00:00.000Z'],
    [16, RSA, 'smime', ['digitalSignature', 'keyEncipherment'], OID.emailProtection, '2028-02-29T10:00:00.000Z'],
    ['officer', RSA, 'client', ['digitalSignature', 'keyEncipherment'], OID.clientAuth, '2028-02-29T10:00:00.000Z'],
    ['operator', EC, 'client', ['digitalSignature'], OID.clientAuth, '2028-02-29T10:00:00.000Z'],
  ] as [CertProfile, KeyInfo, string, string[], string, string][])('ok profile %s (%o)', (profile, key, family, ku, eku, notAfter) => {
    const r = profileRules(requestFor(profile), key, NB, ARC);
    expect(r.family).toBe(family);
    expect(r.keyUsage).toEqual(ku);
    expect(r.extKeyUsage).toEqual([eku]);
    expect(r.san).toEqual([{ type: 'email', value: USER_MAIL }]);
    expect(r.notAfter.toISOString()).toBe(notAfter);
    expect(r.policy).toBe(policyOid(ARC, profile));
    if (family === 'smime') expect(r.subject).toEqual([{ type: 'CN', value: USER_MAIL }]);
    else expect(r.subject).toEqual(requestFor(profile).subject);
  });
  it('ok: policy OIDs <arc>.1.<profile>, officers <arc>.2.1, operators <arc>.2.2', () => {
    expect(policyOid(ARC, 5)).toBe('2.25.1234.1.5');
    expect(policyOid(ARC, 16)).toBe('2.25.1234.1.16');
    expect(policyOid(ARC, 'officer')).toBe('2.25.1234.2.1');
    expect(policyOid(ARC, 'operator')).toBe('2.25.1234.2.2');
  });
  it('ok: officer and operator DNs', () => {
    expect(officerSubject('o@example.ac.jp', { o: 'Example University', l: 'Academe', st: null })).toEqual([
      { type: 'CN', value: 'o@example.ac.jp' }, { type: 'OU', value: 'Registration Officer' }, { type: 'O', value: 'Example University' }, { type: 'L', value: 'Academe' }, { type: 'C', value: 'JP' },
    ]);
    expect(operatorSubject('op@ca.example', { organisation: 'Hakko CA' })).toEqual([
      { type: 'CN', value: 'op@ca.example' }, { type: 'OU', value: 'Operator' }, { type: 'O', value: 'Hakko CA' }, { type: 'C', value: 'JP' },
    ]);
  });
  it.each([
    ['NG S/MIME with a CN other than the mail', { profile: 7, mail: USER_MAIL, subject: CLIENT_DN }],
    ['NG officer without the officer OU', { profile: 'officer', mail: USER_MAIL, subject: [{ type: 'CN', value: USER_MAIL }, { type: 'OU', value: 'Operator' }, { type: 'C', value: 'JP' }] }],
    ['NG bad mail', { profile: 5, mail: 'no at sign', subject: CLIENT_DN }],
    ['NG DN out of order', { profile: 5, mail: USER_MAIL, subject: [{ type: 'O', value: 'x' }, { type: 'CN', value: 'y' }] }],
    ['NG unknown profile', { profile: 4, mail: USER_MAIL, subject: CLIENT_DN }],
  ] as [string, never][])('%s → BAD_INPUT', (_n, req) => {
    expect(() => profileRules(req, RSA, NB, ARC)).toThrow(PkiError);
  });
});
