import { describe, expect, it } from 'vitest';
import { decodeTsv } from './codec.ts';
import { encodeCp932 } from './cp932.ts';
import { base64, INFO_FILE_COLUMNS, infoFileHeader, jstTime, writeInfoFile, type InfoFileCertificate, type InfoFileInput, type InfoFileRow } from './info-file.ts';
import type { RequestState } from '../request-state.ts';

const NOW = new Date('2025-06-01T03:00:00Z');
const INSTITUTION = { ja: '見本大学', en: 'Sample University' };

const request = (over: Partial<InfoFileRow> = {}): InfoFileRow => ({
  requestId: 7, kind: 'issue', state: 'pin-pending', dn: 'CN=Taro,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP', profile: 5, method: 3,
  requestedAt: new Date('2025-03-31T15:00:00Z'), adminName: '管理 花子', adminAffiliation: '情報基盤センター', adminMail: 'admin@sample.ac.jp',
  userName: '利用 太郎', userAffiliation: '工学部', p12FileName: 'taro.p12', userMail: 'taro@sample.ac.jp', renewalOf: null, uploadId: 3,
  pinRetrievedAt: null, pickedUpAt: null, pickupUrlExpiresAt: new Date('2025-04-14T14:59:59Z'), certificate: null, ...over,
});

const certificate = (over: Partial<InfoFileCertificate> = {}): InfoFileCertificate => ({
  serial: '123456789012345678901234567890', der: Uint8Array.from({ length: 1200 }, (_, i) => (i * 37) & 0xff),
  notBefore: new Date('2025-04-01T00:00:00Z'), notAfter: new Date('2026-04-01T00:00:00Z'), issuedAt: new Date('2025-04-01T00:00:05Z'),
  revokedAt: null, revocationReason: null, revocationComment: null, renewedBy: null, ...over,
});

const input = (rows: InfoFileRow[], over: Partial<InfoFileInput> = {}): InfoFileInput => ({ rows, lang: 'ja', institution: INSTITUTION, now: NOW, ...over });

/** The file decoded with the project's decoder, as lines (CRLF asserted) of columns. */
function lines(bytes: Uint8Array): string[][] {
  const d = decodeTsv(bytes);
  if (!d.ok) throw new Error(`undecodable at ${d.offset}`);
  expect(d.text.endsWith('\r\n')).toBe(true);
  expect(d.text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  return d.text.slice(0, -2).split('\r\n').map((l) => l.split('\t'));
}
const rowOf = (r: InfoFileRow, over: Partial<InfoFileInput> = {}) => lines(writeInfoFile(input([r], over)))[1]!;
/** 1-based column, as the spec numbers them. */
const col = (line: string[], n: number) => line[n - 1];

const JA_HEADER = '申請ID, 機関名, 処理内容, 主体者DN, 証明書プロファイルID, 発行・更新申請-日時, ダウンロード方法, 利用管理者氏名, 利用管理者所属, '
  + '利用管理者メールアドレス, 利用者氏名, 状態, 利用者所属, P12ダウンロードファイル名, 利用者メールアドレス, 失効日時, 失効理由, 失効理由コメント, '
  + '更新元シリアル番号, 更新先シリアル番号, アップロードID, 有効期間開始, 発行日時, 発行・更新申請-シリアル番号, 証明書取得日時, アクセスPIN取得日時, '
  + '有効期限, 証明書取得URL有効期限, 証明書, 状態名';

describe('certificate information file (spec 02 §E)', () => {
  it('ok the Japanese header is the spec line, column by column', () => {
    expect(infoFileHeader('ja').join(', ')).toBe(JA_HEADER);
    expect(lines(writeInfoFile(input([])))).toEqual([JA_HEADER.split(', ')]);
  });

  it('ok the English header', () => {
    expect(infoFileHeader('en')).toEqual([
      'Request ID', 'Institution', 'Kind', 'Subject DN', 'Profile ID', 'Requested at', 'Download method', 'User administrator name',
      'User administrator affiliation', 'User administrator mail', 'User name', 'State', 'User affiliation', 'P12 file name', 'User mail',
      'Revoked at', 'Revocation reason', 'Revocation comment', 'Renewal of (serial number)', 'Renewed by (serial number)', 'Upload ID',
      'Not before', 'Issued at', 'Serial number', 'Picked up at', 'PIN retrieved at', 'Not after', 'Pickup URL expires at', 'Certificate',
      'State name',
    ]);
  });

  it('ok CP932 bytes, CRLF, 30 columns on every line', () => {
    const rows = [request(), request({ requestId: 8, state: 'completed', certificate: certificate() }), request({ requestId: 9, kind: 'renew', renewalOf: '42' })];
    const bytes = writeInfoFile(input(rows));
    expect(INFO_FILE_COLUMNS).toBe(30);
    expect(decodeTsv(bytes)).toMatchObject({ ok: true, encoding: 'cp932' });
    // Every LF is preceded by CR (no bare LF), and there are exactly header + rows line ends.
    const lf = [...bytes.keys()].filter((i) => bytes[i] === 0x0a);
    expect(lf).toHaveLength(4);
    for (const i of lf) expect(bytes[i - 1]).toBe(0x0d);
    for (const line of lines(bytes)) expect(line).toHaveLength(30);
  });

  it('ok a request without certificate: its facts, certificate columns empty', () => {
    const line = rowOf(request());
    expect(line).toEqual([
      '7', '見本大学', '発行', 'CN=Taro,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP', '5', '2025/04/01 00:00:00', '3', '管理 花子', '情報基盤センター',
      'admin@sample.ac.jp', '利用 太郎', '2', '工学部', 'taro.p12', 'taro@sample.ac.jp', '', '', '', '', '', '3', '', '', '', '', '', '',
      '2025/04/14 23:59:59', '', 'PIN未取得',
    ]);
  });

  it('ok a certificate row: certificate facts with the request facts', () => {
    const c = certificate({ revokedAt: new Date('2025-05-01T14:59:59Z'), revocationReason: 1, revocationComment: '鍵の紛失', renewedBy: '999' });
    const line = rowOf(request({ kind: 'renew', renewalOf: '42', state: 'completed', pinRetrievedAt: new Date('2025-03-31T23:00:00Z'), pickedUpAt: new Date('2025-04-01T00:01:00Z'), certificate: c }));
    expect(col(line, 3)).toBe('更新');
    expect(col(line, 12)).toBe('7');
    expect([16, 17, 18, 19, 20].map((n) => col(line, n))).toEqual(['2025/05/01 23:59:59', '1', '鍵の紛失', '42', '999']);
    expect([22, 23, 24, 25, 26, 27].map((n) => col(line, n))).toEqual([
      '2025/04/01 09:00:00', '2025/04/01 09:00:05', '123456789012345678901234567890', '2025/04/01 09:01:00', '2025/04/01 08:00:00', '2026/04/01 09:00:00',
    ]);
    expect(col(line, 29)).toBe(Buffer.from(c.der).toString('base64'));
    expect(col(line, 30)).toBe('失効済み');
  });

  it('ok English: institution, kind and state text in English, codes unchanged', () => {
    const line = rowOf(request({ kind: 'renew', state: 'locked' }), { lang: 'en' });
    expect([2, 3, 12, 30].map((n) => col(line, n))).toEqual(['Sample University', 'renew', '4', 'locked']);
  });

  it('ok JST times across midnight UTC', () => {
    expect(jstTime(new Date('2025-03-31T14:59:59Z'))).toBe('2025/03/31 23:59:59');
    expect(jstTime(new Date('2025-03-31T15:00:00Z'))).toBe('2025/04/01 00:00:00');
    expect(jstTime(new Date('2025-12-31T15:00:00.999Z'))).toBe('2026/01/01 00:00:00');
    expect(jstTime(new Date('2024-02-28T23:30:07Z'))).toBe('2024/02/29 08:30:07');
    expect(jstTime(null)).toBe('');
  });

  const STATES: [string, Partial<InfoFileRow>, string, string, string][] = [
    ['pin-pending', { state: 'pin-pending' }, '2', 'PIN未取得', 'PIN not retrieved'],
    ['issuing (reported as ready)', { state: 'issuing' }, '4', '取得待ち', 'awaiting pickup'],
    ['ready', { state: 'ready' }, '4', '取得待ち', 'awaiting pickup'],
    ['locked', { state: 'locked' }, '4', 'ロック中', 'locked'],
    ['pickup URL expired', { state: 'expired' }, '9', '取得URL期限切れ', 'pickup URL expired'],
    ['cancelled', { state: 'cancelled' }, '9', '取消済み', 'cancelled'],
    ['issued, not confirmed', { state: 'issued', certificate: certificate() }, '5', '発行済み', 'issued'],
    ['completed', { state: 'completed', certificate: certificate() }, '5', '発行済み', 'issued'],
    ['valid until exactly now', { state: 'completed', certificate: certificate({ notAfter: NOW }) }, '5', '発行済み', 'issued'],
    ['renewed (awaiting revocation)', { state: 'completed', certificate: certificate({ renewedBy: '999' }) }, '6', '更新済み', 'renewed'],
    ['revoked', { state: 'completed', certificate: certificate({ revokedAt: NOW, revocationReason: 4 }) }, '7', '失効済み', 'revoked'],
    ['revoked and past notAfter', { state: 'completed', certificate: certificate({ revokedAt: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2025-02-01T00:00:00Z') }) }, '7', '失効済み', 'revoked'],
    ['expired', { state: 'completed', certificate: certificate({ notAfter: new Date(NOW.getTime() - 1000) }) }, '8', '有効期限切れ', 'expired'],
    ['renewed and expired', { state: 'completed', certificate: certificate({ renewedBy: '999', notAfter: new Date(NOW.getTime() - 1000) }) }, '8', '有効期限切れ', 'expired'],
  ];
  it.each(STATES)('ok state %s', (_name, over, code, ja, en) => {
    const j = rowOf(request(over));
    const e = rowOf(request(over), { lang: 'en' });
    expect([col(j, 12), col(j, 30), col(e, 12), col(e, 30)]).toEqual([code, ja, code, en]);
  });

  it('ok every request state has a code and a text', () => {
    const all: RequestState[] = ['pin-pending', 'issuing', 'ready', 'locked', 'issued', 'completed', 'expired', 'cancelled'];
    for (const state of all) {
      const line = rowOf(request({ state }));
      expect(col(line, 12)).toMatch(/^[2459]$/);
      expect(col(line, 30)).not.toBe('');
    }
  });

  it('ok base64 on one line, equal to the standard encoding for every padding', () => {
    for (let n = 0; n <= 6; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => 0xfb - i * 41);
      expect(base64(b)).toBe(Buffer.from(b).toString('base64'));
    }
    const der = Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) & 0xff);
    const line = rowOf(request({ state: 'completed', certificate: certificate({ der }) }));
    expect(col(line, 29)).toBe(Buffer.from(der).toString('base64'));
    expect(col(line, 29)).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('ok TAB, CR and LF inside a value become spaces; the line keeps 30 columns', () => {
    const line = rowOf(request({ userName: 'a\tb', userAffiliation: 'c\r\nd', adminName: 'e\nf', state: 'completed', certificate: certificate({ revocationComment: 'g\rh', revokedAt: NOW }) }), { institution: { ja: '見本\t大学', en: 'x' } });
    expect(line).toHaveLength(30);
    expect([2, 8, 11, 13, 18].map((n) => col(line, n))).toEqual(['見本 大学', 'e f', 'a b', 'c  d', 'g h']);
  });

  it('ok byte-faithful CP932 for valid values (IBM extensions in Windows rows, NEC specials)', () => {
    const bytes = writeInfoFile(input([request({ userName: '髙橋 ①', userAffiliation: '～' })]));
    const hex = Buffer.from(bytes).toString('hex');
    expect(hex).toContain(Buffer.from(encodeCp932('髙橋 ①')).toString('hex'));
    expect(hex).toContain('fbfc'); // 髙 in the IBM row, as Windows writes it
    expect([11, 13].map((n) => col(lines(bytes)[1]!, n))).toEqual(['髙橋 ①', '～']);
  });

  it('ok a character CP932 cannot encode becomes one ? (the codec rule), the format holds', () => {
    const line = rowOf(request({ userName: '𠮷野 ü' }));
    expect(line).toHaveLength(30);
    expect(col(line, 11)).toBe('?野 ?');
  });
});
