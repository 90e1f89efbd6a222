// What each notification must say beyond the common frame (spec 05 table, spec 01 flows):
// URLs and expiry, serials, reasons, method-2 lists, re-issue marks, the renewal attachment.
import { describe, expect, test } from 'vitest';
import { render as expiryReminder } from '../../api/mail/templates/expiry-reminder.ts';
import { render as officerEnrollment } from '../../api/mail/templates/officer-enrollment.ts';
import { render as pickupCompleted } from '../../api/mail/templates/pickup-completed.ts';
import { render as pickupNotice } from '../../api/mail/templates/pickup-notice.ts';
import { render as pinNotice } from '../../api/mail/templates/pin-notice.ts';
import { render as renewal } from '../../api/mail/templates/renewal-pickup-completed.ts';
import { render as revocation } from '../../api/mail/templates/revocation-completed.ts';
import { render as revokeOld } from '../../api/mail/templates/revoke-old-reminder.ts';
import { render as urlReissued } from '../../api/mail/templates/url-reissued.ts';
import { ADMIN, DN_ITO, DN_TARO, DN_TARO_ACADEME, ITO, OFFICER, SAMPLE_DATA, TARO } from '../helpers/mail-fixtures.ts';
import { headings, parseDnBlocks, sectionValues } from '../helpers/upki-mail-parse.ts';

const cp932 = (b: Uint8Array) => new TextDecoder('shift_jis', { fatal: true }).decode(b);

describe('pin-notice', () => {
  test('ok: PIN URL and its expiry in JST and UTC', () => {
    const m = pinNotice(SAMPLE_DATA['pin-notice']);
    expect(sectionValues(m.text, 'アクセスPIN取得URL')).toEqual(['https://hakko.example.ac.jp/pin/AAAApinTOKEN']);
    expect(sectionValues(m.text, 'アクセスPIN取得URL有効期限')).toEqual(['2026/12/31 09:00（日本時間）']);
    expect(m.text).toContain('Valid until: 2026-12-31 09:00 JST (2026-12-31T00:00:00Z)');
  });

  test('ok: method 2 lists every row and points to the PIN distributor', () => {
    const m = pinNotice({ ...SAMPLE_DATA['pin-notice'], method: 2, recipients: [OFFICER],
      requests: [{ dn: DN_TARO, user: TARO }, { dn: DN_ITO, user: ITO }] });
    expect(parseDnBlocks(m.text, '対象証明書DN')).toEqual([DN_TARO, DN_ITO]);
    expect(m.text).toContain('対象は2件です。');
    expect(m.text).toContain('pins.zip');
    expect(m.text).toContain('access PIN distributor');
  });
});

describe('pickup-notice', () => {
  test('ok: pickup URL, DN, user', () => {
    const m = pickupNotice(SAMPLE_DATA['pickup-notice']);
    expect(sectionValues(m.text, '証明書取得URL')).toEqual(['https://hakko.example.ac.jp/pickup/BBBBpickupTOKEN']);
    expect(parseDnBlocks(m.text, '対象証明書DN')).toEqual([DN_TARO]);
    expect(sectionValues(m.text, '利用者')).toEqual(['佐藤 太郎（工学研究科①） <taro.sato@sample.ac.jp>']);
    expect(m.text).toContain('P12のパスワードはアクセスPINです。');
  });

  test.each([
    [2, 'certs.zip'],
    [3, 'P12のパスワードはご自身で決めます。'],
  ] as const)('ok: method %i tells what to do next', (method, phrase) => {
    expect(pickupNotice({ ...SAMPLE_DATA['pickup-notice'], method }).text).toContain(phrase);
  });
});

describe('url-reissued', () => {
  test('ok: the PIN variant is the PIN notice marked 再発行 / re-issued', () => {
    const m = urlReissued({ variant: 'pin', ...SAMPLE_DATA['pin-notice'] });
    expect(m.subject).toBe('[Hakko] アクセスPIN発行通知（再発行） / Access PIN issued (re-issued)');
    expect(m.text).toContain('アクセスPIN取得URLを再発行しました。');
    expect(m.text).toContain('no longer work');
  });

  test('ok: the pickup variant carries the new URL', () => {
    const m = urlReissued(SAMPLE_DATA['url-reissued']);
    expect(m.subject).toContain('（再発行）');
    expect(m.subject).toContain('(re-issued)');
    expect(sectionValues(m.text, '証明書取得URL')).toEqual(['https://hakko.example.ac.jp/pickup/CCCCnewTOKEN']);
  });
});

describe('pickup-completed', () => {
  test('ok: method 2 lists every row with DN and decimal serial', () => {
    const m = pickupCompleted(SAMPLE_DATA['pickup-completed']);
    expect(parseDnBlocks(m.text, '対象証明書DN')).toEqual([DN_TARO, DN_ITO]);
    expect(sectionValues(m.text, '対象証明書シリアル番号')).toEqual(['123456789012345678901234567890', '98765432109876543210']);
    expect(headings(m.text).slice(0, 4)).toEqual(['対象証明書DN', '対象証明書シリアル番号', '利用者', '有効期限']);
  });

  test('ok: says when saving was never confirmed', () => {
    const m = pickupCompleted({ ...SAMPLE_DATA['pickup-completed'], saveConfirmed: false });
    expect(m.text).toContain('ファイルの保存は確認されないまま');
    expect(m.text).toContain('saving the file was never confirmed');
  });
});

describe('renewal-pickup-completed', () => {
  const data = SAMPLE_DATA['renewal-pickup-completed'];

  test('ok: old still valid → revoke-<oldserial>.tsv attached and mentioned', () => {
    const m = renewal(data);
    expect(m.attachments).toHaveLength(1);
    const a = m.attachments![0]!;
    expect(a.filename).toBe('revoke-123456789012345678901234567890.tsv');
    expect(a.contentType).toBe('text/tab-separated-values; charset=Shift_JIS');
    expect(m.text).toContain(`（${a.filename}）を添付しました。`);
    expect(m.text).toContain(`The attached TSV file (${a.filename})`);
    expect(sectionValues(m.text, '新証明書シリアル番号')).toEqual(['170141183460469231731687303715884105727']);
    expect(sectionValues(m.text, '旧証明書のシリアル番号')).toEqual(['123456789012345678901234567890']);
  });

  test('ok: the attachment is a format-C line, CP932, CRLF, 15 columns', () => {
    const bytes = renewal(data).attachments![0]!.content;
    const text = cp932(bytes);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const cols = text.slice(0, -2).split('\t');
    expect(cols).toEqual([
      DN_TARO_ACADEME, '', '', '123456789012345678901234567890', '4', '', '',
      ADMIN.name, ADMIN.affiliation, ADMIN.email, TARO.name, '', TARO.affiliation, TARO.email, '',
    ]);
    // ① (NEC special) in the affiliation is CP932 0x87 0x40.
    expect(Buffer.from(bytes).includes(Buffer.from([0x87, 0x40]))).toBe(true);
  });

  test('ok: old expired or revoked → no attachment, body says nothing to revoke', () => {
    const m = renewal({ ...data, certificates: data.certificates.map((c) => ({ ...c, oldStillValid: false })) });
    expect(m.attachments).toBeUndefined();
    expect(m.text).toContain('失効の手続きは不要です。');
    expect(m.text).toContain('nothing needs to be revoked');
  });

  test('ok: method 2 → one file with every still-valid old certificate', () => {
    const c = data.certificates[0]!;
    const rows = [c, { ...c, oldSerial: '42', oldStillValid: false }, { ...c, oldSerial: '43' }];
    const m = renewal({ ...data, method: 2, certificates: rows });
    const a = m.attachments![0]!;
    expect(a.filename).toBe('revoke-123456789012345678901234567890-and-1-more.tsv');
    const lines = cp932(a.content).split('\r\n');
    expect(lines.map((l) => l.split('\t')[3])).toEqual(['123456789012345678901234567890', '43', undefined]);
  });
});

describe('revocation-completed', () => {
  test('ok: 【失効証明書DN】, 【失効証明書シリアル番号】, 【失効理由】', () => {
    const m = revocation(SAMPLE_DATA['revocation-completed']);
    expect(parseDnBlocks(m.text, '失効証明書DN')).toEqual([DN_TARO]);
    expect(sectionValues(m.text, '失効証明書シリアル番号')).toEqual(['123456789012345678901234567890']);
    expect(sectionValues(m.text, '失効理由')).toEqual(['4 証明書の置き換え']);
    expect(m.text).toContain('Reason: 4 Superseded (superseded)');
    expect(headings(m.text)).not.toContain('失効理由コメント');
  });

  test('ok: reason 0 with its comment', () => {
    const m = revocation({ ...SAMPLE_DATA['revocation-completed'], reason: 0, comment: '退職のため' });
    expect(sectionValues(m.text, '失効理由')).toEqual(['0 その他']);
    expect(sectionValues(m.text, '失効理由コメント')).toEqual(['退職のため']);
  });
});

describe('revoke-old-reminder', () => {
  test('ok: old DN, old and new serial, dashboard link', () => {
    const m = revokeOld(SAMPLE_DATA['revoke-old-reminder']);
    expect(parseDnBlocks(m.text, '対象証明書DN')).toEqual([DN_TARO_ACADEME]);
    expect(sectionValues(m.text, '旧証明書のシリアル番号')).toEqual(['123456789012345678901234567890']);
    expect(sectionValues(m.text, '新証明書シリアル番号')).toEqual(['170141183460469231731687303715884105727']);
    expect(sectionValues(m.text, 'ダッシュボード')).toEqual(['https://hakko.example.ac.jp:8443/officer']);
  });
});

describe('expiry-reminder', () => {
  test('ok: days left and expiry', () => {
    const m = expiryReminder({ ...SAMPLE_DATA['expiry-reminder'], daysLeft: 7 });
    expect(m.text).toContain('あと7日で有効期限を迎えます。');
    expect(sectionValues(m.text, '有効期限')).toEqual(['2026/12/31 23:59（日本時間）']);
    expect(sectionValues(m.text, '対象証明書シリアル番号')).toEqual(['123456789012345678901234567890']);
  });

  test.each([-1, 1.5, Number.NaN])('NG daysLeft %d', (daysLeft) => {
    expect(() => expiryReminder({ ...SAMPLE_DATA['expiry-reminder'], daysLeft })).toThrow(RangeError);
  });
});

describe('officer-enrollment', () => {
  test('ok: enrollment URL, DN, says the PIN comes another way', () => {
    const m = officerEnrollment(SAMPLE_DATA['officer-enrollment']);
    expect(sectionValues(m.text, '証明書取得URL')).toEqual(['https://hakko.example.ac.jp/pickup/DDDDenrollTOKEN']);
    expect(parseDnBlocks(m.text, '対象証明書DN')[0]).toMatch(/^CN=ra-officer@sample\.ac\.jp,OU=Registration Officer,/);
    expect(m.text).toContain('別の方法でお知らせします');
  });

  test('ok: an operator has no institution', () => {
    const m = officerEnrollment({ ...SAMPLE_DATA['officer-enrollment'], institution: null, role: 'operator' });
    expect(m.text).toContain('運用者として登録されました。');
    expect(m.text).toContain('enrolled as an operator.');
  });
});
