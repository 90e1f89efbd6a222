import { describe, expect, it } from 'vitest';
import { decryptPin, encryptPin, hashPin, newPin, pinMatches, PIN_ALPHABET } from '../../api/secrets/pin.ts';
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
