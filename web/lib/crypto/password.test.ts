/** P12 password rules (spec 04 §Pickup page 4) and the strength shown beside the field. */
import { describe, expect, it } from 'vitest';
import { isPrintableAscii, passwordProblems, passwordStrength, usableP12Password } from './password.ts';

describe('passwordProblems', () => {
  it.each([
    ['ok 8 printable ASCII, repeated', 'abcd1234', 'abcd1234', []],
    ['ok spaces and symbols', 'a b!~@#$', 'a b!~@#$', []],
    ['NG empty', '', '', ['empty']],
    ['NG 7 characters', 'abc1234', 'abc1234', ['tooShort']],
    ['NG non-ASCII', 'パスワードabcd', 'パスワードabcd', ['notAscii']],
    ['NG full-width digits look ASCII but are not', '１２３４５６７８', '１２３４５６７８', ['notAscii']],
    ['NG tab', 'abcd\t1234', 'abcd\t1234', ['notAscii']],
    ['NG too long', 'a'.repeat(129), 'a'.repeat(129), ['tooLong']],
    ['NG repetition differs', 'abcd1234', 'abcd1235', ['mismatch']],
    ['NG short and non-ASCII: both, no mismatch noise', 'あい', 'x', ['notAscii', 'tooShort']],
  ])('%s', (_name, pw, repeated, expected) => {
    expect(passwordProblems(pw, repeated)).toEqual(expected);
  });

  it('ok: the access PIN alphabet is printable ASCII', () => {
    expect(isPrintableAscii('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789')).toBe(true);
    expect(usableP12Password('Kq7mZp3rXw9tBn2H')).toBe(true);
    expect(usableP12Password('')).toBe(false);
  });
});

describe('passwordStrength', () => {
  it.each([
    ['very weak: common password', 'password', 0],
    ['very weak: common password with digits', 'Password123', 0],
    ['very weak: one repeated character', 'aaaaaaaaaaaa', 0],
    ['very weak: a run of digits', '12345678', 0],
    ['weak: 8 lowercase letters', 'hsbtkqwe', 1],
    ['fair: 8 mixed characters', 'hK3#tq9W', 2],
    ['good: 12 letters and digits', 'hK3tq9WmZ2rP', 3],
    ['strong: the 16-character access PIN', 'Kq7mZp3rXw9tBn2H', 4],
  ])('%s', (_name, pw, score) => {
    expect(passwordStrength(pw).score).toBe(score);
  });

  it('ok: longer is never weaker for random-looking passwords', () => {
    let previous = 0;
    for (const pw of ['hK3', 'hK3tq9', 'hK3tq9Wm', 'hK3tq9WmZ2rP', 'hK3tq9WmZ2rPx7Lc']) {
      const bits = passwordStrength(pw).bits;
      expect(bits).toBeGreaterThanOrEqual(previous);
      previous = bits;
    }
  });
});
