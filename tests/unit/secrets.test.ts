import { describe, expect, it } from 'vitest';
import { decryptPin, encryptPin, hashPin, newPin, pinMatches, PIN_ALPHABET, wrapLegacyPinHash } from '../../api/secrets/pin.ts';
import { deriveMasterKey, KDF_COST, legacyKeys, longEnough, newKdfParams, serverKeys } from '../../api/secrets/keys.ts';
import { scryptSync } from 'node:crypto';
import { loggedPath } from '../../api/http/error-handler.ts';
import { hashUrlToken, isTokenShape, newUrlToken } from '../../api/secrets/tokens.ts';
import { testServerKeys as deriveServerKeys } from '../helpers/keys.ts';

describe('secrets', () => {
  const keys = deriveServerKeys('correct horse battery staple');
  it('ok: PINs are 16 characters of the unambiguous alphabet', () => {
    for (let i = 0; i < 200; i++) {
      const p = newPin();
      expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16}$/);
    }
    expect(PIN_ALPHABET).not.toMatch(/[0O1lI]/);
    expect(16 * Math.log2(PIN_ALPHABET.length)).toBeGreaterThanOrEqual(80);
  });
  it('ok: keyed hash verifies the right PIN only', () => {
    const h = hashPin(keys.pinHash, 'ABCDEFGHJKLMNPQR');
    expect(pinMatches(keys, 'ABCDEFGHJKLMNPQR', h)).toBe(true);
    expect(pinMatches(keys, 'ABCDEFGHJKLMNPQS', h)).toBe(false);
    expect(pinMatches(deriveServerKeys('other'), 'ABCDEFGHJKLMNPQR', h)).toBe(false);
  });
  it('ok: escrowed PIN decrypts only with its key and binding', () => {
    const blob = encryptPin(keys.pinEnc, 'pin-123_abc', 'request:7');
    expect(decryptPin(keys.pinEnc, blob, 'request:7')).toBe('pin-123_abc');
    expect(() => decryptPin(keys.pinEnc, blob, 'request:8')).toThrow();
    expect(Buffer.from(blob).includes(Buffer.from('pin-123_abc'))).toBe(false);
  });
  it('ok: URL tokens are 256-bit base64url and stored as SHA-256', () => {
    const t = newUrlToken();
    expect(isTokenShape(t.token)).toBe(true);
    expect(Buffer.from(t.token, 'base64url')).toHaveLength(32);
    expect(Buffer.from(hashUrlToken(t.token))).toEqual(Buffer.from(t.hash));
  });
  it('ok: derived keys differ per label and the check value per secret', () => {
    expect(Buffer.from(keys.pinHash).equals(Buffer.from(keys.pinEnc))).toBe(false);
    expect(deriveServerKeys('a').checkValue).not.toBe(deriveServerKeys('b').checkValue);
    expect(deriveServerKeys('a').checkValue).toBe(deriveServerKeys('a').checkValue);
  });
});

describe('master key and legacy keys (issue 9 defect 4)', () => {
  it('ok the legacy derivation is the one instances made before the master key used (known answer computed with main\'s api/secrets/keys.ts)', () => {
    const old = legacyKeys('correct horse battery staple');
    expect(Buffer.from(old.pinHash).toString('hex')).toBe('da4a2e7b76900624904c3b66cc999f08506636f3db107c12f4d7feb9d102b6ba');
    expect(Buffer.from(old.pinEnc).toString('hex')).toBe('1092ead170c4c76a8ef0eed7ea20ddc0cc14c3aba3f0ef003280f486e76ed227');
    expect(old.checkValue).toBe('aca46d635f627d40d31b8931ab0f2ee6');
    expect(old.privateKeyPassphrase).toBe('correct horse battery staple');
  });
  it('ok production cost is scrypt N=2^17, r=8, p=1; the master key depends on passphrase and salt', async () => {
    expect(KDF_COST).toEqual({ N: 131072, r: 8, p: 1 });
    const params = newKdfParams({ N: 1024, r: 8, p: 1 });
    expect(Buffer.from(params.salt, 'base64url')).toHaveLength(16);
    const a = await deriveMasterKey('passphrase one, long enough', params);
    expect(Buffer.from(a)).toEqual(Buffer.from(scryptSync('passphrase one, long enough', Buffer.from(params.salt, 'base64url'), 32, { N: 1024, r: 8, p: 1 })));
    expect(Buffer.from(await deriveMasterKey('passphrase two, long enough', params))).not.toEqual(Buffer.from(a));
    expect(Buffer.from(await deriveMasterKey('passphrase one, long enough', newKdfParams({ N: 1024, r: 8, p: 1 })))).not.toEqual(Buffer.from(a));
    await expect(deriveMasterKey('x'.repeat(20), { ...params, N: 1000 })).rejects.toThrow(/parameters/);
  });
  it('ok every server key differs from the legacy ones and from each other; the private-key passphrase carries 256 bits', () => {
    const k = serverKeys(new Uint8Array(32).fill(7), 'correct horse battery staple');
    const old = legacyKeys('correct horse battery staple');
    const hex = [k.pinHash, k.pinEnc, k.mailbox, old.pinHash, old.pinEnc].map((b) => Buffer.from(b).toString('hex'));
    expect(new Set(hex).size).toBe(5);
    expect(k.checkValue).not.toBe(old.checkValue);
    expect(Buffer.from(k.privateKeyPassphrase, 'base64url')).toHaveLength(32);
    expect(Buffer.from(k.legacyPinHash)).toEqual(Buffer.from(old.pinHash));
  });
  it('ok a wrapped legacy PIN hash verifies the right PIN only and is not the legacy hash', () => {
    const k = serverKeys(new Uint8Array(32).fill(9), 'correct horse battery staple');
    const legacyHash = hashPin(k.legacyPinHash, 'ABCDEFGHJKLMNPQR');
    const wrapped = wrapLegacyPinHash(k.pinHash, legacyHash);
    expect(wrapped).toHaveLength(33);
    expect(Buffer.from(wrapped).includes(Buffer.from(legacyHash))).toBe(false);
    expect(pinMatches(k, 'ABCDEFGHJKLMNPQR', wrapped)).toBe(true);
    expect(pinMatches(k, 'ABCDEFGHJKLMNPQS', wrapped)).toBe(false);
    expect(pinMatches(k, 'ABCDEFGHJKLMNPQR', legacyHash)).toBe(false);
  });
  it('ok passphrases under 16 characters are not long enough (counted in characters)', () => {
    expect(longEnough('x'.repeat(15))).toBe(false);
    expect(longEnough('x'.repeat(16))).toBe(true);
    expect(longEnough('秘密の合言葉は十六文字以上必要です')).toBe(true);
    expect(longEnough('🔑'.repeat(15))).toBe(false);
  });
});

describe('request paths in the log (issue 9 defect 3)', () => {
  it.each([
    ['/api/pin/Qx3hD0c8kR1vY2mZ5nT7pW9aB4eF6gH8jK0lM2oP4sU/retrieve', '/api/pin/:token/retrieve'],
    ['/api/pickup/Qx3hD0c8kR1vY2mZ5nT7pW9aB4eF6gH8jK0lM2oP4sU', '/api/pickup/:token'],
    ['/api/pickup/short-or-odd/csr', '/api/pickup/:token/csr'],
    ['/pickup/Qx3hD0c8kR1vY2mZ5nT7pW9aB4eF6gH8jK0lM2oP4sU', '/pickup/:token'],
    ['/api/other/Qx3hD0c8kR1vY2mZ5nT7pW9aB4eF6gH8jK0lM2oP4sU', '/api/other/<redacted>'],
    ['/api/officer/uploads', '/api/officer/uploads'],
  ])('%s → %s', (p, logged) => {
    expect(loggedPath(p)).toBe(logged);
  });
});
