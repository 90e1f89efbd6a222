// Composing the unsigned message (spec 05): headers, RFC 2047 subject, stable Message-ID, 7-bit CRLF.
import { describe, expect, test } from 'vitest';
import type { ComposeOptions } from '../../api/mail/mime.ts';
import { composeMail, makeMessageId } from '../../api/mail/mime.ts';
import { decodeEncodedWords, headerValue, splitMessage, toCrlf } from '../../api/mail/mime-headers.ts';
import { SAMPLE_DATA } from '../helpers/mail-fixtures.ts';
import { leafParts, subjectOf } from '../helpers/smime-parse.ts';

const OPTIONS: ComposeOptions = {
  from: { name: 'Hakko', address: 'hakko@example.ac.jp' },
  to: [{ name: '管理 花子', address: 'pki-admin@sample.ac.jp' }],
  cc: ['ra-officer@sample.ac.jp'],
  messageId: '<outbox-42.Q2xR7@example.ac.jp>',
  date: new Date('2026-12-01T00:00:00Z'),
};

describe('composeMail', () => {
  test('ok: top-level headers', async () => {
    const m = await composeMail('expiry-reminder', SAMPLE_DATA['expiry-reminder'], OPTIONS);
    const { fields } = splitMessage(m.raw);
    expect(headerValue(fields, 'from')).toBe('Hakko <hakko@example.ac.jp>');
    expect(decodeEncodedWords(headerValue(fields, 'to')!)).toBe('管理 花子 <pki-admin@sample.ac.jp>');
    expect(headerValue(fields, 'cc')).toBe('ra-officer@sample.ac.jp');
    expect(headerValue(fields, 'message-id')).toBe('<outbox-42.Q2xR7@example.ac.jp>');
    expect(headerValue(fields, 'date')).toBe('Tue, 01 Dec 2026 00:00:00 +0000');
    expect(headerValue(fields, 'mime-version')).toBe('1.0');
    expect(headerValue(fields, 'auto-submitted')).toBe('auto-generated');
    expect(headerValue(fields, 'subject')).toMatch(/^=\?UTF-8\?B\?/);
    expect(subjectOf(m.raw)).toBe('[Hakko] 有効期限のお知らせ / Certificate expiry reminder');
    expect(m.subject).toBe(subjectOf(m.raw));
  });

  test('ok: envelope has To and Cc, From without display name', async () => {
    const m = await composeMail('expiry-reminder', SAMPLE_DATA['expiry-reminder'], OPTIONS);
    expect(m.envelope).toEqual({ from: 'hakko@example.ac.jp', to: ['pki-admin@sample.ac.jp', 'ra-officer@sample.ac.jp'] });
    expect(m.messageId).toBe(OPTIONS.messageId);
  });

  test('ok: subject prefix from the setting', async () => {
    const m = await composeMail('expiry-reminder', SAMPLE_DATA['expiry-reminder'], { ...OPTIONS, subjectPrefix: '[UPKI]' });
    expect(m.subject).toBe('[UPKI] 有効期限のお知らせ / Certificate expiry reminder');
  });

  test('ok: 7-bit, CRLF only; text/plain UTF-8 base64 with CRLF lines', async () => {
    const m = await composeMail('pin-notice', SAMPLE_DATA['pin-notice'], OPTIONS);
    expect(m.raw.every((b) => b < 0x80)).toBe(true);
    expect(Buffer.from(toCrlf(m.raw)).equals(m.raw)).toBe(true);
    const { fields } = splitMessage(m.raw);
    expect(headerValue(fields, 'content-type')).toBe('text/plain; charset=utf-8');
    expect(headerValue(fields, 'content-transfer-encoding')).toBe('base64');
    const [part] = leafParts(m.raw);
    const text = part!.body.toString('utf8');
    expect(text).toContain('【対象証明書DN】\r\n\u3000-----');
    expect(text.replaceAll('\r\n', '')).not.toContain('\n');
  });

  test('ok: an attachment makes it multipart/mixed with the TSV base64', async () => {
    const m = await composeMail('renewal-pickup-completed', SAMPLE_DATA['renewal-pickup-completed'], OPTIONS);
    expect(headerValue(splitMessage(m.raw).fields, 'content-type')).toMatch(/^multipart\/mixed;/);
    const parts = leafParts(m.raw);
    expect(parts).toHaveLength(2);
    const tsv = parts[1]!;
    expect(headerValue(tsv.fields, 'content-type')).toMatch(/^text\/tab-separated-values; charset=Shift_JIS;/);
    expect(headerValue(tsv.fields, 'content-disposition')).toBe('attachment; filename=revoke-123456789012345678901234567890.tsv');
    expect(new TextDecoder('shift_jis', { fatal: true }).decode(tsv.body).split('\t')).toHaveLength(15);
  });

  test('ok: same row, same bytes (a retry sends the same mail)', async () => {
    const a = await composeMail('renewal-pickup-completed', SAMPLE_DATA['renewal-pickup-completed'], OPTIONS);
    const b = await composeMail('renewal-pickup-completed', SAMPLE_DATA['renewal-pickup-completed'], OPTIONS);
    expect(a.raw.equals(b.raw)).toBe(true);
  });

  test('NG no recipient', async () => {
    await expect(composeMail('expiry-reminder', SAMPLE_DATA['expiry-reminder'], { ...OPTIONS, to: [] })).rejects.toThrow(RangeError);
  });

  test.each(['outbox-1@host', '<a b@host>', '<nohost>', '<x@host>\r\nBcc: evil@example.com'])('NG Message-ID %j', async (messageId) => {
    await expect(composeMail('expiry-reminder', SAMPLE_DATA['expiry-reminder'], { ...OPTIONS, messageId })).rejects.toThrow(RangeError);
  });
});

describe('makeMessageId', () => {
  test('ok: outbox id based', () => {
    expect(makeMessageId(123, 'Zx9_k-2', 'hakko.example.ac.jp')).toBe('<outbox-123.Zx9_k-2@hakko.example.ac.jp>');
    expect(makeMessageId(12n, 'a', '127.0.0.1')).toBe('<outbox-12.a@127.0.0.1>');
  });

  test('NG a nonce that breaks the header', () => {
    expect(() => makeMessageId(1, 'a>b', 'host')).toThrow(RangeError);
    expect(() => makeMessageId(1, 'a b', 'host')).toThrow(RangeError);
  });
});

describe('mime headers', () => {
  test('ok: CRLF canonical form from LF and CR', () => {
    expect(Buffer.from(toCrlf(Buffer.from('a\nb\r\nc\rd'))).toString()).toBe('a\r\nb\r\nc\r\nd');
  });

  test('ok: RFC 2047 B and Q words, adjacent words joined', () => {
    expect(decodeEncodedWords('=?UTF-8?B?5pyJ5Yq5?= =?UTF-8?Q?=E6=9C=9F=E9=99=90_x?= tail')).toBe('有効期限 x tail');
  });
});
