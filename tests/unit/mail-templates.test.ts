// Every notification template (spec 05 §Which mail goes to whom): subject, both languages,
// recipients, the UPKI 【…】 sections read back as a parser would, and no secrets.
import { describe, expect, test } from 'vitest';
import { ENGLISH_FOLLOWS } from '../../api/mail/templates/layout.ts';
import type { MailKind } from '../../api/mail/templates/index.ts';
import { isMailKind, MAIL_KINDS, renderMail } from '../../api/mail/templates/index.ts';
import type { RenderedMail } from '../../api/mail/templates/types.ts';
import { recipientsOf, SAMPLE_DATA, SECRET_PIN } from '../helpers/mail-fixtures.ts';
import { parseDnBlocks } from '../helpers/upki-mail-parse.ts';

/** Subjects of the spec 05 table (JA / EN). */
const SUBJECTS: Record<MailKind, string> = {
  'pin-notice': 'アクセスPIN発行通知 / Access PIN issued',
  'pickup-notice': 'クライアント証明書発行受付通知 / Client certificate issue acceptance notice',
  'pickup-completed': 'クライアント証明書取得通知 / Client certificate pickup completed',
  'renewal-pickup-completed': 'クライアント証明書取得通知 / Client certificate pickup completed',
  'revocation-completed': 'クライアント証明書失効完了通知 / Client certificate revocation completed',
  'url-reissued': 'クライアント証明書発行受付通知（再発行） / Client certificate issue acceptance notice (re-issued)',
  'revoke-old-reminder': '旧証明書失効のお願い / Please revoke the replaced certificate',
  'expiry-reminder': '有効期限のお知らせ / Certificate expiry reminder',
  'officer-enrollment': '登録担当者証明書のご案内 / Registration officer certificate',
};

const render = (kind: MailKind): RenderedMail => renderMail(kind, SAMPLE_DATA[kind] as never);
const japanesePart = (m: RenderedMail) => m.text.slice(0, m.text.indexOf(`\n${ENGLISH_FOLLOWS}\n`));
const englishPart = (m: RenderedMail) => m.text.slice(m.text.indexOf(`\n${ENGLISH_FOLLOWS}\n`));

describe.each(MAIL_KINDS)('%s', (kind) => {
  test('ok: subject is "<prefix> <JA> / <EN>"', () => {
    expect(render(kind).subject).toBe(`[Hakko] ${SUBJECTS[kind]}`);
    expect(renderMail(kind, SAMPLE_DATA[kind] as never, { subjectPrefix: '[UPKI]' }).subject).toBe(`[UPKI] ${SUBJECTS[kind]}`);
  });

  test('ok: Japanese first, "English follows.", then English', () => {
    const m = render(kind);
    expect(m.text.split('\n').filter((l) => l === ENGLISH_FOLLOWS)).toHaveLength(1);
    expect(japanesePart(m)).toMatch(/[\u3040-\u30ff]/);
    expect(japanesePart(m)).toContain('見本大学');
    expect(englishPart(m)).toContain('Sample University');
    expect(englishPart(m)).toMatch(/^\nEnglish follows\.\n\nDear /);
  });

  test('ok: names every recipient in both languages', () => {
    const m = render(kind);
    for (const r of recipientsOf(kind)) {
      expect(japanesePart(m).split('\n')).toContain(`${r.name}様`);
      expect(englishPart(m)).toContain(r.name);
    }
  });

  test('ok: every DN section parses back to a DN of the data', () => {
    const m = render(kind);
    const json = JSON.stringify(SAMPLE_DATA[kind]);
    const dns = ['対象証明書DN', '失効証明書DN'].flatMap((h) => parseDnBlocks(m.text, h));
    expect(dns.length).toBeGreaterThan(0);
    for (const dn of dns) expect(json).toContain(JSON.stringify(dn).slice(1, -1));
  });

  test('ok: never a PIN, a private key or a P12', () => {
    const m = render(kind);
    const all = [m.subject, m.text, ...(m.attachments ?? []).map((a) => new TextDecoder('shift_jis').decode(a.content))].join('\n');
    expect(all).not.toContain(SECRET_PIN);
    expect(all).not.toMatch(/-----BEGIN|PRIVATE KEY/);
    for (const a of m.attachments ?? []) {
      expect(a.filename).not.toMatch(/\.(p12|pfx|key|pem)$/i);
      expect(a.contentType).not.toMatch(/pkcs12|x-pkcs/i);
    }
  });

  test('ok: rendering the JSON the outbox stores gives the same mail', () => {
    const fromJson = renderMail(kind, JSON.parse(JSON.stringify(SAMPLE_DATA[kind])) as never);
    expect(fromJson.subject).toBe(render(kind).subject);
    expect(fromJson.text).toBe(render(kind).text);
  });
});

test('ok: the kind list is the spec 05 table', () => {
  expect(MAIL_KINDS).toHaveLength(9);
  expect(isMailKind('pin-notice')).toBe(true);
  expect(isMailKind('toString')).toBe(false);
});
