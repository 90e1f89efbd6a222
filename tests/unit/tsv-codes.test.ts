// One table case (or more) per problem code of spec 02 §Error messages, run in Japanese and English.
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES, type ProblemCode } from '../../api/domain/errors/catalogue.ts';
import { columnName, type Lang } from '../../api/domain/errors/columns.ts';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { unencodableChars } from '../../api/domain/tsv/cp932.ts';
import type { TsvKind, ValidateOptions } from '../../api/domain/tsv/types.ts';
import { validateTsv } from '../../api/domain/tsv/validate.ts';
import { cert, DN, fakeLookup, person, row, SAMPLE, SERIAL } from './tsv-builders.ts';

type Expected = readonly [code: ProblemCode, line: number, column: number];

interface Case {
  readonly name: string;
  readonly kind: TsvKind;
  readonly rows?: readonly (readonly string[])[];
  /** Raw bytes instead of rows (null: no file). */
  readonly bytes?: Uint8Array | null;
  readonly options?: Partial<ValidateOptions>;
  readonly expected: readonly Expected[];
}

const enc = new TextEncoder();
const smimeDn = 'CN=hanako@sample.ac.jp,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';
const withWhois = { ...SAMPLE, whoisOrg: 'Sample University' };

const CASES: readonly Case[] = [
  { name: 'ok issue', kind: 'issue', rows: [row('issue'), person(2)], expected: [] },
  { name: 'ok renew', kind: 'renew', rows: [row('renew')], expected: [] },
  { name: 'ok revoke', kind: 'revoke', rows: [row('revoke')], expected: [] },
  { name: 'ok admin', kind: 'admin', rows: [row('admin')], expected: [] },
  // file level
  { name: 'NG 208 no file', kind: 'issue', bytes: null, expected: [['208', 0, 0]] },
  { name: 'NG 209 file name not .tsv or .txt', kind: 'issue', rows: [row('issue')], options: { fileName: 'req.csv' }, expected: [['209', 0, 0]] },
  { name: 'NG 213 empty file', kind: 'issue', bytes: new Uint8Array(0), expected: [['213', 0, 0]] },
  { name: 'NG 213 only blank lines', kind: 'issue', bytes: enc.encode('\r\n\t\t\r\n\n'), expected: [['213', 0, 0]] },
  { name: 'NG 214 more lines than the limit', kind: 'issue', rows: [person(1), person(2), person(3)], options: { maxLines: 2 }, expected: [['214', 0, 0]] },
  { name: 'NG 216 larger than the size limit', kind: 'issue', rows: [row('issue')], options: { maxBytes: 100 }, expected: [['216', 0, 0]] },
  { name: 'NG 217 neither CP932 nor UTF-8', kind: 'issue', bytes: Uint8Array.of(0x41, 0x42, 0xff), expected: [['217', 0, 0]] },
  { name: 'NG 218 mixed download methods', kind: 'issue', rows: [person(1), person(2, { 3: '3' })], expected: [['218', 0, 0]] },
  // column rules
  { name: 'NG 201 required value missing', kind: 'issue', rows: [row('issue', { 11: '' })], expected: [['201', 1, 11]] },
  { name: 'NG 201 revocation without reason', kind: 'revoke', rows: [row('revoke', { 5: '' })], expected: [['201', 1, 5]] },
  { name: 'NG 202 name too long', kind: 'issue', rows: [row('issue', { 11: 'あ'.repeat(65) })], expected: [['202', 1, 11]] },
  { name: 'NG 202 DN value too long', kind: 'issue', rows: [row('issue', { 1: DN.replace('SATO TARO', 'A'.repeat(65)) })], expected: [['202', 1, 1]] },
  { name: 'NG 202 serial longer than 40 digits', kind: 'revoke', rows: [row('revoke', { 4: '1'.repeat(41) })], expected: [['202', 1, 4]] },
  { name: 'NG 203 character CP932 cannot encode in a name', kind: 'issue', rows: [row('issue', { 11: 'Müller 😀' })], expected: [['203', 1, 11]] },
  { name: 'NG 203 non-ASCII character in the DN', kind: 'issue', rows: [row('issue', { 1: DN.replace('SATO', 'SATŌ') })], expected: [['203', 1, 1]] },
  { name: 'NG 203 full-width @ in a mail address', kind: 'issue', rows: [row('issue', { 10: 'pki-admin＠sample.ac.jp' })], expected: [['203', 1, 10]] },
  { name: 'NG 204 non-digit profile', kind: 'issue', rows: [row('issue', { 2: '5a' })], expected: [['204', 1, 2]] },
  { name: 'NG 204 serial with a trailing space', kind: 'revoke', rows: [row('revoke', { 4: SERIAL + ' ' })], expected: [['204', 1, 4]] },
  { name: 'NG 205 comment with a control character', kind: 'revoke', rows: [row('revoke', { 6: '退職\u0007' })], expected: [['205', 1, 6]] },
  { name: 'NG 205 comment in the user-defined area', kind: 'revoke', rows: [row('revoke', { 6: '\ue000' })], expected: [['205', 1, 6]] },
  { name: 'NG 206 DN attributes out of order', kind: 'issue', rows: [row('issue', { 1: 'CN=A,O=Sample University,OU=X,L=Bunkyo-ku,ST=Tokyo,C=JP' })], expected: [['206', 1, 1]] },
  { name: 'NG 206 DN without L', kind: 'issue', rows: [row('issue', { 1: 'CN=A,O=Sample University,ST=Tokyo,C=JP' })], expected: [['206', 1, 1]] },
  { name: 'NG 206 malformed mail address', kind: 'issue', rows: [row('issue', { 14: 'taro.sato@' })], expected: [['206', 1, 14]] },
  { name: 'NG 207 wrong column count', kind: 'issue', rows: [row('issue').slice(0, 10)], expected: [['207', 1, 0]] },
  { name: 'NG 210 retired profile 4', kind: 'issue', rows: [row('issue', { 2: '4' })], expected: [['210', 1, 2]] },
  { name: 'NG 210 profile disabled for the institution', kind: 'issue', rows: [row('issue', { 2: '13' })], options: { institution: { ...SAMPLE, profiles: [5] } }, expected: [['210', 1, 2]] },
  { name: 'NG 211 unknown download method', kind: 'issue', rows: [row('issue', { 3: '4' })], expected: [['211', 1, 3]] },
  { name: 'NG 211 method disabled for the institution', kind: 'issue', rows: [row('issue')], options: { institution: { ...SAMPLE, methods: [3] } }, expected: [['211', 1, 3]] },
  { name: 'NG 212 CN and OU already exist', kind: 'issue', rows: [row('issue')], options: { lookup: fakeLookup({ existing: ['CN=SATO TARO,OU=20261234'] }) }, expected: [['212', 1, 1]] },
  { name: 'NG 219 same CN and OU twice in the file', kind: 'issue', rows: [row('issue'), row('issue', { 14: 'other@sample.ac.jp' })], expected: [['219', 2, 1]] },
  { name: 'NG 220 serial in an issuance file', kind: 'issue', rows: [row('issue', { 4: SERIAL })], expected: [['220', 1, 4]] },
  { name: 'NG 220 access PIN in a revocation file', kind: 'revoke', rows: [row('revoke', { 15: 'Abcdefgh12' })], expected: [['220', 1, 15]] },
  { name: 'NG 220 reserved column filled', kind: 'issue', rows: [row('issue', { 7: 'x' })], expected: [['220', 1, 7]] },
  { name: 'NG 221 access PIN with method 1', kind: 'issue', rows: [row('issue', { 15: 'Abcdefgh12' })], expected: [['221', 1, 15]] },
  { name: 'NG 221 access PIN too short', kind: 'issue', rows: [row('issue', { 3: '2', 15: 'Ab1' })], expected: [['221', 1, 15]] },
  { name: 'NG 222 P12 file name with a space', kind: 'issue', rows: [row('issue', { 12: 'sato taro' })], expected: [['222', 1, 12]] },
  { name: 'NG 223 serial not in the institution', kind: 'revoke', rows: [row('revoke', { 4: '999' })], expected: [['223', 1, 4]] },
  { name: 'NG 224 DN differs from the certificate', kind: 'revoke', rows: [row('revoke')], options: { lookup: fakeLookup({ certificates: { [SERIAL]: cert({ requestDn: DN.replace('TARO', 'JIRO') }) } }) }, expected: [['224', 1, 1]] },
  { name: 'NG 225 already revoked', kind: 'revoke', rows: [row('revoke')], options: { lookup: fakeLookup({ certificates: { [SERIAL]: cert({ revoked: true }) } }) }, expected: [['225', 1, 4]] },
  { name: 'NG 226 unknown revocation reason', kind: 'revoke', rows: [row('revoke', { 5: '2' })], expected: [['226', 1, 5]] },
  { name: 'W227 reason 0 without a comment', kind: 'revoke', rows: [row('revoke', { 5: '0' })], expected: [['W227', 1, 6]] },
  { name: 'NG 228 S/MIME CN is not the user mail', kind: 'issue', rows: [row('issue', { 2: '7' })], expected: [['228', 1, 1]] },
  { name: 'NG 228 S/MIME without user mail', kind: 'issue', rows: [row('issue', { 1: smimeDn, 2: '7', 14: '' })], expected: [['228', 1, 1], ['201', 1, 14]] },
  { name: 'NG 229 renewal changes the profile family', kind: 'renew', rows: [row('renew', { 2: '13' })], options: { lookup: fakeLookup({ certificates: { [SERIAL]: cert({ profile: 6 }) } }) }, expected: [['229', 1, 2]] },
  { name: 'NG 230 open renewal exists', kind: 'renew', rows: [row('renew')], options: { lookup: fakeLookup({ certificates: { [SERIAL]: cert({ hasOpenRenewal: true }) } }) }, expected: [['230', 1, 4]] },
  { name: 'NG 231 certificate listed twice', kind: 'revoke', rows: [row('revoke'), row('revoke', { 4: '000' + SERIAL })], expected: [['231', 2, 4]] },
  { name: 'NG 232 C is not JP', kind: 'issue', rows: [row('issue', { 1: DN.replace('C=JP', 'C=US') })], expected: [['232', 1, 1]] },
  // institution
  { name: 'NG 215 institution suspended', kind: 'issue', rows: [row('issue')], options: { institution: { ...SAMPLE, status: 'suspended' } }, expected: [['215', 0, 0]] },
  { name: 'NG 301 mail domain not allowed', kind: 'issue', rows: [row('issue', { 14: 'taro@example.com' })], expected: [['301', 1, 14]] },
  { name: 'NG 301 review not complete', kind: 'renew', rows: [row('renew')], options: { institution: { ...SAMPLE, review: 'pending' }, lookup: fakeLookup({ certificates: { [SERIAL]: cert() } }) }, expected: [['301', 1, 14]] },
  { name: 'NG 302 approval expired', kind: 'issue', rows: [row('issue')], options: { institution: { ...SAMPLE, approvalExpires: '2026-11-20' } }, expected: [['302', 0, 0]] },
  { name: 'NG 303 WHOIS unreachable', kind: 'issue', rows: [row('issue')], options: { institution: withWhois, lookup: fakeLookup({ whois: { 'sample.ac.jp': { status: 'unreachable' } } }) }, expected: [['303', 1, 14]] },
  { name: 'NG 304 WHOIS registrant differs', kind: 'issue', rows: [row('issue')], options: { institution: withWhois, lookup: fakeLookup({ whois: { 'sample.ac.jp': { status: 'found', organisations: ['Other College'] } } }) }, expected: [['304', 1, 14]] },
  { name: 'NG 305 L not registered', kind: 'issue', rows: [row('issue', { 1: DN.replace('Bunkyo-ku', 'Academe') })], expected: [['305', 1, 1]] },
  { name: 'NG 306 ST not registered', kind: 'issue', rows: [row('issue', { 1: DN.replace(',ST=Tokyo', '') })], expected: [['306', 1, 1]] },
  { name: 'NG 307 O not registered', kind: 'issue', rows: [row('issue', { 1: DN.replace('Sample University', 'Sample Univ.') })], expected: [['307', 1, 1]] },
];

/** CP932 like real files; UTF-8 when a case holds characters CP932 cannot encode (they would become `?`). */
function fileBytes(rows: readonly (readonly string[])[]): Uint8Array {
  const text = rows.map((r) => r.join('\t') + '\r\n').join('');
  return unencodableChars(text).length > 0 ? enc.encode(text) : encodeTsv(rows);
}

/** Sample institution, a system that knows certificate SERIAL, today 2026-11-21. */
async function run(c: Case, lang: Lang) {
  const bytes = c.bytes !== undefined ? c.bytes : fileBytes(c.rows ?? []);
  const lookup = fakeLookup({ certificates: { [SERIAL]: cert() } });
  return validateTsv(bytes, { kind: c.kind, institution: SAMPLE, lookup, today: '2026-11-21', fileName: 'req.tsv', lang, ...c.options });
}

describe('spec 02 problem codes', () => {
  for (const lang of ['ja', 'en'] as const) {
    describe(lang, () => {
      for (const c of CASES) {
        it(c.name, async () => {
          const result = await run(c, lang);
          expect(result.problems.map((p) => [p.code, p.line, p.column])).toEqual(c.expected);
          for (const p of result.problems) {
            expect(p.message.startsWith(`${p.code}:${p.column},${columnName(p.column as 0, lang)},`)).toBe(true);
            expect(p.message).not.toMatch(/\{\w+\}/);
            expect(p.level).toBe(p.code === 'W227' ? 'warning' : 'error');
          }
          expect(result.ok).toBe(c.expected.every(([code]) => code === 'W227'));
        });
      }
    });
  }

  it('covers every code of the catalogue', () => {
    const covered = new Set(CASES.flatMap((c) => c.expected.map(([code]) => code)));
    expect(PROBLEM_CODES.filter((code) => !covered.has(code))).toEqual([]);
  });
});

describe('exact messages', () => {
  const message = async (c: Case, lang: Lang) => (await run(c, lang)).problems.map((p) => p.message);
  const byName = (name: string) => CASES.find((c) => c.name === name)!;

  it('NG 212 in UPKI words', async () => {
    expect(await message(byName('NG 212 CN and OU already exist'), 'ja')).toEqual(['212:1,主体者DN,指定したDNはすでに存在しています。']);
  });
  it('NG 201 names the column', async () => {
    const c = byName('NG 201 required value missing');
    expect(await message(c, 'ja')).toEqual(['201:11,利用者氏名,利用者氏名は入力必須項目です。']);
    expect(await message(c, 'en')).toEqual(['201:11,User name,User name is required.']);
  });
  it('NG 202 names the DN attribute', async () => {
    const c = byName('NG 202 DN value too long');
    expect(await message(c, 'ja')).toEqual(['202:1,主体者DN,主体者DNのCNは64桁以内で入力してください。']);
    expect(await message(c, 'en')).toEqual(['202:1,Subject DN,CN of Subject DN must be at most 64 characters long.']);
  });
  it('NG 203 names the character', async () => {
    const c = byName('NG 203 character CP932 cannot encode in a name');
    expect(await message(c, 'ja')).toEqual(['203:11,利用者氏名,利用者氏名に使用できない文字「ü」(U+00FC)、「😀」(U+1F600)が含まれています。']);
    expect(await message(c, 'en')).toEqual(['203:11,User name,User name contains a character that is not allowed: "ü" (U+00FC), "😀" (U+1F600).']);
  });
  it('NG 206 says what is wrong with the DN', async () => {
    const c = byName('NG 206 DN attributes out of order');
    expect(await message(c, 'ja')).toEqual(['206:1,主体者DN,主体者DNの形式が正しくありません（属性はCN、OU、O、L、ST、Cの順に指定してください）。']);
    expect(await message(c, 'en')).toEqual(['206:1,Subject DN,Subject DN is malformed (attributes must come in the order CN, OU, O, L, ST, C).']);
  });
  it('NG 217 gives the byte offset', async () => {
    expect(await message(byName('NG 217 neither CP932 nor UTF-8'), 'en')).toEqual(['217:0,-,The file is neither CP932 (Shift_JIS) nor UTF-8 (byte offset 2).']);
  });
  it('NG 301 in UPKI words', async () => {
    expect(await message(byName('NG 301 mail domain not allowed'), 'ja')).toEqual([
      '301:14,利用者メールアドレス,対象のドメインは許可されていないため発行できません。サービス窓口にお問い合わせください。',
    ]);
  });
  it('NG 302, 305, 306 in UPKI words', async () => {
    expect(await message(byName('NG 302 approval expired'), 'ja')).toEqual(['302:0,-,機関の証明書発行有効期限が切れています。サービス窓口にお問い合わせください。']);
    expect(await message(byName('NG 305 L not registered'), 'ja')).toEqual(['305:1,主体者DN,主体者DNのLが登録された値と一致しません。']);
    expect(await message(byName('NG 306 ST not registered'), 'ja')).toEqual(['306:1,主体者DN,主体者DNのSTが登録された値と一致しません。']);
  });
  it('W227 is an error when the operator says so', async () => {
    const result = await run({ ...byName('W227 reason 0 without a comment'), options: { w227IsError: true } }, 'ja');
    expect(result.problems).toEqual([
      { code: 'W227', level: 'error', line: 1, column: 6, message: 'W227:6,失効理由コメント,失効理由が0（その他）の場合は失効理由コメントを入力してください。' },
    ]);
    expect(result.ok).toBe(false);
  });
});
