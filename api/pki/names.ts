/**
 * Distinguished names: the request DN (most specific first, as the TSV writes it, spec 02 §Value
 * rules) ⇄ the X.501 `Name` in a certificate (X.500 order C, ST, L, O, OUs, CN; spec 03 §Names).
 */
import { DerError, TAG, decodeOid, decodeString, inside, oid, printable, seq, set, utf8, type Bytes, type Tlv } from './der.ts';
import { OID } from './oids.ts';

export type DnType = 'CN' | 'OU' | 'O' | 'L' | 'ST' | 'C';

/** One attribute of a request DN. Lists of these are most specific first (`CN=…,OU=…,O=…,…,C=JP`). */
export interface DnAttribute {
  readonly type: DnType;
  readonly value: string;
}

const TYPE_OID: Readonly<Record<DnType, string>> = { CN: OID.cn, OU: OID.ou, O: OID.o, L: OID.l, ST: OID.st, C: OID.c };
const OID_TYPE = new Map<string, string>([
  ...Object.entries(TYPE_OID).map(([k, v]) => [v, k] as [string, string]),
  [OID.emailAddress, 'emailAddress'],
]);

/** The order of attribute types in a request DN (spec 02: CN, OU…, O, L, ST, C). */
const RANK: Readonly<Record<DnType, number>> = { CN: 0, OU: 1, O: 2, L: 3, ST: 4, C: 5 };

/**
 * Checks that a request DN is well formed for a certificate subject: one CN first, then OUs, then at
 * most one each of O, L, ST, C in this order; values 1–64 characters (RFC 5280 upper bounds); C two
 * letters. The TSV rules (spec 02) are stricter; this is the signer's own last line of defence.
 * Returns a problem description or null.
 */
export function subjectProblem(attrs: readonly DnAttribute[]): string | null {
  if (attrs.length === 0 || attrs[0]!.type !== 'CN') return 'the DN must start with CN';
  let last = -1;
  for (const a of attrs) {
    const rank = RANK[a.type];
    if (rank === undefined) return `unknown attribute type ${String(a.type)}`;
    if (rank < last || (rank === last && a.type !== 'OU')) return `attribute ${a.type} out of order or repeated`;
    last = rank;
    if (a.value.length < 1 || a.value.length > 64) return `${a.type} must be 1–64 characters`;
    if (a.type === 'C' && !/^[A-Z]{2}$/.test(a.value)) return 'C must be two capital letters';
  }
  return null;
}

/**
 * Encodes a request DN as a certificate `Name`: reversed into X.500 order, one attribute per RDN,
 * C as PrintableString and every other value as UTF8String (spec 03 §Names, RFC 5280 §4.1.2.4).
 */
export function encodeName(attrs: readonly DnAttribute[]): Bytes {
  const rdns: Bytes[] = [];
  for (let i = attrs.length - 1; i >= 0; i--) {
    const a = attrs[i]!;
    const value = a.type === 'C' ? printable(a.value) : utf8(a.value);
    rdns.push(set(seq(oid(TYPE_OID[a.type]), value)));
  }
  return seq(...rdns);
}

/** A decoded attribute: its short name (or dotted OID), value and the ASN.1 string tag used. */
export interface DecodedAttribute {
  readonly type: string;
  readonly value: string;
  readonly tag: number;
}

/** Decodes a `Name` TLV into attributes, most specific first (the reverse of the encoding order). */
export function decodeName(name: Tlv): DecodedAttribute[] {
  if (name.tag !== TAG.SEQUENCE) throw new DerError('Name: not a SEQUENCE');
  const out: DecodedAttribute[] = [];
  const rdns = inside(name);
  while (!rdns.done) {
    const atvs = inside(rdns.expect(TAG.SET, 'RDN'));
    while (!atvs.done) {
      const atv = inside(atvs.expect(TAG.SEQUENCE, 'AttributeTypeAndValue'));
      const typeOid = decodeOid(atv.expect(TAG.OID));
      const v = atv.next();
      atv.end('AttributeTypeAndValue');
      out.push({ type: OID_TYPE.get(typeOid) ?? typeOid, value: decodeString(v), tag: v.tag });
    }
  }
  return out.reverse();
}

/**
 * RFC 4514 string, most specific first (`CN=…,OU=…,O=…,C=JP`), escaping `, + " \ < > ;` and leading
 * `#`/space and a trailing space; matches `openssl x509 -nameopt RFC2253`.
 */
export function formatDn(attrs: readonly { type: string; value: string }[]): string {
  return attrs.map((a) => `${a.type}=${escapeValue(a.value)}`).join(',');
}

function escapeValue(v: string): string {
  let s = v.replace(/[,+"\\<>;]/g, (c) => '\\' + c);
  if (s.startsWith('#') || s.startsWith(' ')) s = '\\' + s;
  if (s.endsWith(' ') && s.length > 1) s = s.slice(0, -1) + '\\ ';
  return s;
}
