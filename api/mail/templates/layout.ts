/**
 * Shared layout of every notification (spec 05 §Which mail goes to whom): the subject line, the
 * salutation, the UPKI 【…】 sections that existing parsers read, time formatting and the bilingual
 * frame. Templates only decide wording; the bytes parsers depend on are produced here, once.
 */
import { splitDn } from '../../domain/dn.ts';
import type { InstitutionName, Person } from './types.ts';

/** U+3000 IDEOGRAPHIC SPACE: every line inside a 【…】 section starts with it (UPKI layout). */
export const FW_SPACE = '\u3000';
/** The rule above and below a DN: a full-width space and 45 hyphen-minus characters. */
export const DN_RULE = FW_SPACE + '-'.repeat(45);
/** The line between the Japanese and the English text (spec 05: "English follows."). */
export const ENGLISH_FOLLOWS = 'English follows.';

/** `<prefix> <JA> / <EN>` (spec 05); an empty prefix leaves no leading space. */
export function subjectLine(prefix: string, ja: string, en: string): string {
  const p = prefix.trim();
  return `${p === '' ? '' : p + ' '}${ja} / ${en}`;
}

/**
 * Splits a TSV-form DN into its attributes with the domain's comma rule (spec 02 §Value rules: a
 * comma starts an attribute only before `CN=`, `OU=`, `O=`, `L=`, `ST=`, `C=`), keeping their order.
 */
export function dnAttributes(dn: string): string[] {
  const { unknown, attrs } = splitDn(dn);
  return [...(unknown === null ? [] : [unknown]), ...attrs.map((a) => `${a.attr}=${a.value}`)];
}

/** `【heading】` followed by each value on its own line after a full-width space. */
export function section(heading: string, ...values: readonly string[]): string[] {
  return [`【${heading}】`, ...values.map((v) => FW_SPACE + oneLine(v))];
}

/**
 * Refuses a value with a line break: inside a section it would start a line of its own and could
 * forge a 【…】 heading for the parsers that read these mails.
 */
export function oneLine(v: string): string {
  if (/[\r\n\u2028\u2029]/.test(v)) throw new RangeError('a mail field value must be a single line');
  return v;
}

/** A DN section: heading, rule, one attribute per line, rule (UPKI layout, spec 05). */
export function dnSection(heading: string, dn: string): string[] {
  return [`【${heading}】`, DN_RULE, ...dnAttributes(oneLine(dn)).map((a) => FW_SPACE + a), DN_RULE];
}

/** A serial section: heading and the decimal serial on its own line (spec 05, spec 03 §Serial numbers). */
export function serialSection(heading: string, serial: string): string[] {
  if (!/^[0-9]{1,40}$/.test(serial)) throw new RangeError(`serial must be decimal digits (spec 02): ${serial}`);
  return section(heading, serial);
}

/** Japanese salutation: one `<name>様` line per recipient. */
export function salutationJa(recipients: readonly Person[]): string[] {
  if (recipients.length === 0) throw new RangeError('a mail names at least one recipient');
  return recipients.map((r) => `${oneLine(r.name)}様`);
}

/** English salutation: `Dear <name>, <name>,`. */
export function salutationEn(recipients: readonly Person[]): string[] {
  return [`Dear ${recipients.map((r) => oneLine(r.name)).join(', ')},`];
}

/** `名前 <mail>` as a person is shown inside a section. */
export function personLine(p: Person): string {
  return p.affiliation ? `${p.name}（${p.affiliation}） <${p.email}>` : `${p.name} <${p.email}>`;
}

/** English form of a person: `name (affiliation) <mail>`. */
export function personLineEn(p: Person): string {
  return p.affiliation ? `${p.name} (${p.affiliation}) <${p.email}>` : `${p.name} <${p.email}>`;
}

/** Institution name for the Japanese text: `見本大学（Sample University）`. */
export function institutionJa(i: InstitutionName): string {
  return i.ja === i.en ? i.ja : `${i.ja}（${i.en}）`;
}

const JST_OFFSET_MS = 9 * 3600_000;

function parseTime(iso: string): Date {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not an ISO 8601 time: ${iso}`);
  return d;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Wall-clock parts of `iso` in Japan Standard Time (UTC+9, no DST). */
function jstParts(iso: string): { date: string; time: string } {
  const j = new Date(parseTime(iso).getTime() + JST_OFFSET_MS);
  const date = `${j.getUTCFullYear()}/${pad(j.getUTCMonth() + 1)}/${pad(j.getUTCDate())}`;
  return { date, time: `${pad(j.getUTCHours())}:${pad(j.getUTCMinutes())}` };
}

/** Time for the Japanese text: `2026/12/31 09:00（日本時間）`. */
export function timeJa(iso: string): string {
  const { date, time } = jstParts(iso);
  return `${date} ${time}（日本時間）`;
}

/** Time for the English text: `2026-12-31 09:00 JST (2026-12-31T00:00:00Z)`. */
export function timeEn(iso: string): string {
  const { date, time } = jstParts(iso);
  const utc = parseTime(iso).toISOString().replace(/\.000Z$/, 'Z');
  return `${date.replaceAll('/', '-')} ${time} JST (${utc})`;
}

const FOOTER_JA = [
  '――',
  '本メールは Hakko から自動送信されています。S/MIME の電子署名付きです。',
  '署名を確認できないメールに記載された URL は開かないでください。',
  '本メールにアクセスPIN、秘密鍵、証明書ファイル（P12）が記載・添付されることはありません。',
];

const FOOTER_EN = [
  '--',
  'This mail was sent automatically by Hakko and carries an S/MIME signature.',
  'Do not open links from a mail whose signature cannot be verified.',
  'A Hakko mail never contains an access PIN, a private key or a certificate file (P12).',
];

/**
 * The bilingual frame (spec 05): Japanese first, then the line "English follows." and the English
 * text, each ending with the footer. Paragraphs are arrays of lines, separated by blank lines.
 */
export function bilingual(ja: readonly (readonly string[])[], en: readonly (readonly string[])[]): string {
  const block = (ps: readonly (readonly string[])[]) => ps.filter((p) => p.length > 0).map((p) => p.join('\n')).join('\n\n');
  return `${block([...ja, FOOTER_JA])}\n\n${ENGLISH_FOLLOWS}\n\n${block([...en, FOOTER_EN])}\n`;
}

/** An English `Label: value` line (values checked like section values). */
export function labelled(label: string, value: string): string {
  return `${label}: ${oneLine(value)}`;
}

/** DN, user and mail of each request as 【対象証明書DN】 / 【利用者】 sections (PIN and pickup notices). */
export function requestSectionsJa(requests: readonly { dn: string; user: Person }[]): string[][] {
  return requests.map((r) => [...dnSection('対象証明書DN', r.dn), ...section('利用者', personLine(r.user))]);
}

/** The English counterpart of {@link requestSectionsJa}: one paragraph per request. */
export function requestSectionsEn(requests: readonly { dn: string; user: Person }[]): string[][] {
  return requests.map((r) => [labelled('Subject DN', r.dn), labelled('User', personLineEn(r.user))]);
}
