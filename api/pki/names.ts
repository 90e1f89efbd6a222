/**
 * Distinguished names: the request DN (most specific first, as the TSV writes it, spec 02 §Value
 * rules) ⇄ the X.501 `Name` in a certificate (X.500 order C, ST, L, O, OUs, CN; spec 03 §Names).
 *
 * Built with asn1js directly: pkijs' RelativeDistinguishedNames puts every attribute into one SET
 * (a single multi-valued RDN), which is not the one-attribute-per-RDN form certificates use.
 */
import * as asn1js from 'asn1js';
import { NAME_ATTRIBUTE_OIDS, nameStringType, x500Order } from '../domain/dn-encoding.ts';
import { Asn1Error, encoded, itemsOf, toDer, type Bytes } from './asn1.ts';
import { OID } from './oids.ts';

export type DnType = 'CN' | 'OU' | 'O' | 'L' | 'ST' | 'C';

/** One attribute of a request DN. Lists of these are most specific first (`CN=…,OU=…,O=…,…,C=JP`). */
export interface DnAttribute {
  readonly type: DnType;
  readonly value: string;
}

const TYPE_OID: Readonly<Record<DnType, string>> = NAME_ATTRIBUTE_OIDS;
const OID_TYPE = new Map<string, string>([...Object.entries(TYPE_OID).map(([k, v]) => [v, k] as [string, string]), [OID.emailAddress, 'emailAddress']]);

/** The order of attribute types in a request DN (spec 02: CN, OU…, O, L, ST, C). */
const RANK: Readonly<Record<DnType, number>> = { CN: 0, OU: 1, O: 2, L: 3, ST: 4, C: 5 };

/**
 * Checks that a request DN is well formed for a certificate subject: one CN first, then OUs, then at
 * most one each of O, L, ST, C in this order; values 1–64 characters (RFC 5280 upper bounds), no
 * control characters; C two capital letters. The TSV rules (spec 02) are stricter; this is the
 * signer's own last line of defence. Returns a problem description or null.
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
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(a.value)) return `${a.type} contains a control character`;
    if (a.type === 'C' && !/^[A-Z]{2}$/.test(a.value)) return 'C must be two capital letters';
  }
  return null;
}

/**
 * The certificate `Name` of a request DN as an asn1js node: reversed into X.500 order, one attribute
 * per RDN, C as PrintableString and every other value as UTF8String (spec 03 §Names, RFC 5280 §4.1.2.4).
 */
export function nameNode(attrs: readonly DnAttribute[]): asn1js.Sequence {
  return new asn1js.Sequence({ value: x500Order(attrs).map((a) => encoded(rdn(a))) });
}

/**
 * One RDN `SET { SEQUENCE { type, value } }`, cached: O, L, ST and C repeat across an institution's
 * certificates. The cache is bounded (cleared when full).
 */
function rdn(a: DnAttribute): Bytes {
  const k = a.type + '\u0000' + a.value;
  let d = rdnCache.get(k);
  if (!d) {
    const value = nameStringType(a.type) === 'printable' ? new asn1js.PrintableString({ value: a.value }) : new asn1js.Utf8String({ value: a.value });
    d = toDer(new asn1js.Set({ value: [new asn1js.Sequence({ value: [encoded(typeOid(a.type)), value] })] }));
    if (rdnCache.size >= 10_000) rdnCache.clear();
    rdnCache.set(k, d);
  }
  return d;
}
const rdnCache = new Map<string, Bytes>();
const typeOids = new Map<DnType, Bytes>();
function typeOid(t: DnType): Bytes {
  let d = typeOids.get(t);
  if (!d) typeOids.set(t, (d = toDer(new asn1js.ObjectIdentifier({ value: TYPE_OID[t] }))));
  return d;
}

/** DER of `nameNode`. */
export function encodeName(attrs: readonly DnAttribute[]): Bytes {
  return toDer(nameNode(attrs));
}

/** A decoded attribute: short name (or dotted OID), value, and whether it was a UTF8String. */
export interface DecodedAttribute {
  readonly type: string;
  readonly value: string;
  readonly utf8: boolean;
}

/** Decodes a parsed `Name` into attributes, most specific first (the reverse of the encoding). */
export function decodeName(name: asn1js.AsnType): DecodedAttribute[] {
  const out: DecodedAttribute[] = [];
  for (const rdn of itemsOf(name, asn1js.Sequence, 0, 'Name')) {
    for (const atv of itemsOf(rdn, asn1js.Set, 1, 'RDN')) {
      const [type, value] = itemsOf(atv, asn1js.Sequence, 2, 'AttributeTypeAndValue');
      if (!(type instanceof asn1js.ObjectIdentifier)) throw new Asn1Error('AttributeTypeAndValue: type');
      const oid = type.getValue();
      out.push({ type: OID_TYPE.get(oid) ?? oid, value: stringValue(value), utf8: value instanceof asn1js.Utf8String });
    }
  }
  return out.reverse();
}

function stringValue(v: unknown): string {
  if (
    v instanceof asn1js.Utf8String || v instanceof asn1js.PrintableString || v instanceof asn1js.IA5String ||
    v instanceof asn1js.TeletexString || v instanceof asn1js.BmpString || v instanceof asn1js.UniversalString
  ) {
    return v.getValue();
  }
  throw new Asn1Error('attribute value is not a string');
}

/**
 * RFC 4514 string, most specific first (`CN=…,OU=…,O=…,C=JP`), escaping `, + " \ < > ;`, a leading
 * `#` or space and a trailing space, as `openssl x509 -nameopt RFC2253` prints.
 */
export function formatDn(attrs: readonly { type: string; value: string }[]): string {
  return attrs.map((a) => `${a.type}=${escapeRfc4514(a.value)}`).join(',');
}

export function escapeRfc4514(v: string): string {
  let s = v.replace(/[,+"\\<>;]/g, (c) => '\\' + c);
  if (s.startsWith('#') || s.startsWith(' ')) s = '\\' + s;
  if (s.length > 1 && s.endsWith(' ') && !s.endsWith('\\ ')) s = s.slice(0, -1) + '\\ ';
  return s;
}
