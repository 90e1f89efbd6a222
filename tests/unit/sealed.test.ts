/** Sealed links in stored mail data (api/secrets/sealed.ts, spec 04 §Secrets): round trip, no clear text, tamper and wrong key refused. */
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { isSealed, isSealedMail, openMail, resealDeep, seal, sealMail, unsealDeep } from '../../api/secrets/sealed.ts';
import { encryptPin } from '../../api/secrets/pin.ts';

const key = new Uint8Array(randomBytes(32));
const URL = 'http://localhost:8080/pickup/Qx3hD0c8kR1vY2mZ5nT7pW9aB4eF6gH8jK0lM2oP4sU';

describe('sealed strings', () => {
  it('ok round trip inside nested data; other values untouched; the token is not visible', () => {
    const sealed = seal(key, URL);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('Qx3hD0c8kR1v');
    const data = { a: 1, b: [sealed, 'plain'], c: { pickupUrl: sealed, n: null } };
    expect(unsealDeep(key, data)).toEqual({ a: 1, b: [URL, 'plain'], c: { pickupUrl: URL, n: null } });
    expect(data.b[0]).toBe(sealed);
  });
  it('ok every seal uses a fresh nonce', () => {
    const all = new Set(Array.from({ length: 5000 }, () => seal(key, URL)));
    expect(all.size).toBe(5000);
  });
  it('NG a changed byte, another key, or a PIN blob under the sealing prefix is refused', () => {
    const sealed = seal(key, URL);
    const body = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64url');
    body[20]! ^= 1;
    expect(() => unsealDeep(key, 'sealed:v1:' + body.toString('base64url'))).toThrow();
    expect(() => unsealDeep(new Uint8Array(32), sealed)).toThrow();
    // Same key, other additional data (an escrowed PIN): not interchangeable.
    const pinBlob = Buffer.from(encryptPin(key, 'PINPINPINPINPIN2', 'hakko-pin:request:1')).toString('base64url');
    expect(() => unsealDeep(key, 'sealed:v1:' + pinBlob)).toThrow();
  });
});

describe('re-sealing and mailbox bodies (issue 9)', () => {
  it('ok resealDeep moves every sealed string to another key; the old key no longer opens it', () => {
    const other = new Uint8Array(randomBytes(32));
    const data = { pickupUrl: seal(key, URL), list: [seal(key, URL)], plain: 'x' };
    const moved = resealDeep(key, other, data);
    expect(unsealDeep(other, moved)).toEqual({ pickupUrl: URL, list: [URL], plain: 'x' });
    expect(() => unsealDeep(key, moved)).toThrow();
  });
  it('ok a sealed mail body opens with its key and Message-ID only, and shows nothing in clear', () => {
    const raw = Buffer.from(`Subject: x\r\n\r\n${URL}\r\n`);
    const stored = sealMail(key, '<a@localhost>', raw);
    expect(isSealedMail(stored)).toBe(true);
    expect(isSealedMail(raw)).toBe(false);
    expect(Buffer.from(stored).includes('pickup/')).toBe(false);
    expect(Buffer.from(openMail(key, '<a@localhost>', stored))).toEqual(raw);
    expect(() => openMail(key, '<b@localhost>', stored)).toThrow();
    expect(() => openMail(new Uint8Array(32), '<a@localhost>', stored)).toThrow();
    expect(() => openMail(key, '<a@localhost>', raw)).toThrow(/not sealed/);
  });
});
