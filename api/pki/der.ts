// >>> MESSAGE FROM THE LEAD ENGINEER (read this, then remove this block) <<<
// The project rules forbid hand-rolled ASN.1/DER ("never hand-roll crypto, ASN.1, ZIP, SMTP or charset
// tables" — developers' guide). Do not build or parse DER by hand in api/pki: use asn1js + pkijs and/or
// @peculiar/asn1-schema, @peculiar/asn1-x509, @peculiar/asn1-csr, @peculiar/asn1-ocsp-like packages
// (the @peculiar/asn1-* packages are installed as dependencies of @peculiar/x509), and @peculiar/x509.
// Rewrite the users of this file on those libraries and DELETE this file. Speed: cache CA-constant
// encodings (issuer name, AKI, CRL DP, AIA extensions) as pre-encoded asn1js objects instead.
throw new Error('LEAD: api/pki/der.ts is a hand-rolled ASN.1 codec, which the project forbids. Read the comment at the top of api/pki/der.ts.');
/**
 * Minimal DER (X.690) writer and strict reader for the PKI objects Hakko builds and checks.
 *
 * Why not asn1js/pkijs here: the issuance path is measured against `openssl speed` (spec 08
 * §Performance) and pkijs needs ≈ 160 µs just to parse a CSR; these helpers need a few µs. The
 * objects are small and fixed, so a writer of tag-length-value bytes plus a bounds-checked reader is
 * easy to audit. Every structure is cross-checked by OpenSSL, pkijs and @peculiar/x509 in the tests.
 */

export type Bytes = Uint8Array<ArrayBuffer>;

/** Universal tags used by Hakko (X.690 §8). */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

export class DerError extends Error {
  override name = 'DerError';
}

// ---------------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------------

/** Concatenates byte arrays into one new array. */
export function concat(parts: readonly Uint8Array[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** One TLV: `tag` (a single identifier octet), definite minimal length (X.690 §10.1), contents. */
export function tlv(tag: number, ...contents: Uint8Array[]): Bytes {
  let len = 0;
  for (const c of contents) len += c.length;
  const lenBytes = len < 0x80 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : len < 0x1000000 ? 4 : 5;
  const out = new Uint8Array(1 + lenBytes + len);
  out[0] = tag;
  if (lenBytes === 1) out[1] = len;
  else {
    out[1] = 0x80 | (lenBytes - 1);
    for (let i = lenBytes - 1, v = len; i >= 1; i--, v >>>= 8) out[1 + i] = v & 0xff;
  }
  let o = 1 + lenBytes;
  for (const c of contents) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export const seq = (...c: Uint8Array[]): Bytes => tlv(TAG.SEQUENCE, ...c);
export const set = (...c: Uint8Array[]): Bytes => tlv(TAG.SET, ...c);
/** `[n] EXPLICIT` (constructed context tag). */
export const explicit = (n: number, ...c: Uint8Array[]): Bytes => tlv(0xa0 | n, ...c);
/** `[n] IMPLICIT` of a primitive type. */
export const implicitPrim = (n: number, value: Uint8Array): Bytes => tlv(0x80 | n, value);

const NULL_BYTES = new Uint8Array([0x05, 0x00]);
export const nul = (): Bytes => NULL_BYTES.slice();
export const bool = (b: boolean): Bytes => new Uint8Array([0x01, 0x01, b ? 0xff : 0x00]);
export const octets = (v: Uint8Array): Bytes => tlv(TAG.OCTET_STRING, v);
/** BIT STRING with `unused` padding bits in the last octet. */
export const bits = (v: Uint8Array, unused = 0): Bytes => tlv(TAG.BIT_STRING, new Uint8Array([unused]), v);

/** Minimal two's-complement content octets of a non-negative integer. */
export function uintBytes(v: bigint | number): Bytes {
  let n = BigInt(v);
  if (n < 0n) throw new DerError('negative integers are not used');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (n > 0n);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return new Uint8Array(bytes);
}

export const int = (v: bigint | number): Bytes => tlv(TAG.INTEGER, uintBytes(v));
export const enumerated = (v: number): Bytes => tlv(TAG.ENUMERATED, uintBytes(v));

const oidCache = new Map<string, Bytes>();

/** OBJECT IDENTIFIER from dotted form; arcs may exceed 2^53 (the `2.25.<UUID>` arc). Cached. */
export function oid(dotted: string): Bytes {
  const hit = oidCache.get(dotted);
  if (hit) return hit;
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(dotted)) throw new DerError(`bad OID ${dotted}`);
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const first = arcs[0]! * 40n + arcs[1]!;
  const body: number[] = [];
  for (const arc of [first, ...arcs.slice(2)]) {
    const group: number[] = [Number(arc & 0x7fn)];
    for (let a = arc >> 7n; a > 0n; a >>= 7n) group.unshift(Number(a & 0x7fn) | 0x80);
    body.push(...group);
  }
  const out = tlv(TAG.OID, new Uint8Array(body));
  oidCache.set(dotted, out);
  return out;
}

const textEncoder = new TextEncoder();
export const utf8 = (s: string): Bytes => tlv(TAG.UTF8_STRING, textEncoder.encode(s));
/** Validated IA5String contents (7-bit ASCII). */
export const ia5Value = (s: string): Bytes => ascii(s, /^[\x00-\x7f]*$/, 'IA5String');
export const ia5 = (s: string): Bytes => tlv(TAG.IA5_STRING, ia5Value(s));
/** PrintableString (X.680 §41.4): letters, digits, space and `'()+,-./:=?`. */
export const printable = (s: string): Bytes => tlv(TAG.PRINTABLE_STRING, ascii(s, /^[A-Za-z0-9 '()+,\-./:=?]*$/, 'PrintableString'));

function ascii(s: string, allowed: RegExp, what: string): Bytes {
  if (!allowed.test(s)) throw new DerError(`not a valid ${what}: ${JSON.stringify(s)}`);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** GeneralizedTime `YYYYMMDDHHMMSSZ`, whole seconds (RFC 5280 §4.1.2.5.2, RFC 6960 §4.2.2.1). */
export function generalizedTime(d: Date): Bytes {
  const s = `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
  return tlv(TAG.GENERALIZED_TIME, textEncoder.encode(s));
}

/** RFC 5280 §4.1.2.5 Time: UTCTime for 1950–2049, GeneralizedTime otherwise; whole seconds. */
export function time(d: Date): Bytes {
  const y = d.getUTCFullYear();
  if (y < 1950 || y > 2049) return generalizedTime(d);
  const s = `${pad2(y % 100)}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
  return tlv(TAG.UTC_TIME, textEncoder.encode(s));
}

// ---------------------------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------------------------

/** One decoded TLV; `value` and `raw` are views into the input (no copies). */
export interface Tlv {
  readonly tag: number;
  /** Contents octets. */
  readonly value: Bytes;
  /** The whole encoding, identifier and length included (what signatures cover). */
  readonly raw: Bytes;
}

/**
 * Sequential strict-DER reader over `buf[start, end)`: single-octet tags only, definite minimal
 * lengths, every length inside the buffer. Anything else throws DerError.
 */
export class DerReader {
  #buf: Bytes;
  #pos: number;
  #end: number;

  constructor(buf: Bytes, start = 0, end = buf.length) {
    this.#buf = buf;
    this.#pos = start;
    this.#end = end;
  }

  get done(): boolean {
    return this.#pos >= this.#end;
  }

  peekTag(): number | undefined {
    return this.done ? undefined : this.#buf[this.#pos];
  }

  next(): Tlv {
    const buf = this.#buf;
    const start = this.#pos;
    if (start + 2 > this.#end) throw new DerError('truncated');
    const tag = buf[start]!;
    if ((tag & 0x1f) === 0x1f) throw new DerError('multi-octet tags are not supported');
    let len = buf[start + 1]!;
    let p = start + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0) throw new DerError('indefinite length');
      if (n > 4 || p + n > this.#end) throw new DerError('bad length');
      if (buf[p] === 0) throw new DerError('non-minimal length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
      if (len < 0x80) throw new DerError('non-minimal length');
      p += n;
    }
    if (p + len > this.#end) throw new DerError('length beyond the data');
    this.#pos = p + len;
    return { tag, value: buf.subarray(p, p + len), raw: buf.subarray(start, p + len) };
  }

  /** Next TLV, which must carry `tag`. */
  expect(tag: number, what = 'element'): Tlv {
    const t = this.next();
    if (t.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, found 0x${t.tag.toString(16)}`);
    return t;
  }

  /** Next TLV if it carries `tag`, else undefined (for OPTIONAL and DEFAULT fields). */
  optional(tag: number): Tlv | undefined {
    return this.peekTag() === tag ? this.next() : undefined;
  }

  end(what = 'structure'): void {
    if (!this.done) throw new DerError(`${what}: unexpected trailing data`);
  }
}

/** Reader over the contents of a constructed TLV. */
export function inside(t: Tlv): DerReader {
  if (!(t.tag & 0x20)) throw new DerError('primitive element where a constructed one was expected');
  return new DerReader(t.value);
}

/** Parses exactly one TLV spanning all of `buf`. */
export function readOne(buf: Bytes, tag?: number): Tlv {
  const r = new DerReader(buf);
  const t = tag === undefined ? r.next() : r.expect(tag);
  r.end();
  return t;
}

/** INTEGER contents → bigint (two's complement; minimal encoding required). */
export function decodeInteger(t: Tlv): bigint {
  if (t.tag !== TAG.INTEGER && t.tag !== TAG.ENUMERATED) throw new DerError('not an INTEGER');
  const v = t.value;
  if (v.length === 0) throw new DerError('empty INTEGER');
  if (v.length > 1 && ((v[0] === 0 && !(v[1]! & 0x80)) || (v[0] === 0xff && v[1]! & 0x80))) throw new DerError('non-minimal INTEGER');
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  if (v[0]! & 0x80) n -= 1n << BigInt(v.length * 8);
  return n;
}

/** OBJECT IDENTIFIER contents → dotted string. */
export function decodeOid(t: Tlv): string {
  if (t.tag !== TAG.OID) throw new DerError('not an OBJECT IDENTIFIER');
  const v = t.value;
  if (v.length === 0 || v[v.length - 1]! & 0x80) throw new DerError('bad OBJECT IDENTIFIER');
  const arcs: bigint[] = [];
  let acc = 0n;
  for (let i = 0; i < v.length; i++) {
    if (acc === 0n && v[i] === 0x80) throw new DerError('non-minimal OID arc');
    acc = (acc << 7n) | BigInt(v[i]! & 0x7f);
    if (!(v[i]! & 0x80)) {
      arcs.push(acc);
      acc = 0n;
    }
  }
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** BIT STRING → its bytes (padding bits must be zero; `unused` is returned for KeyUsage). */
export function decodeBitString(t: Tlv): { bytes: Bytes; unused: number } {
  if (t.tag !== TAG.BIT_STRING || t.value.length === 0) throw new DerError('not a BIT STRING');
  const unused = t.value[0]!;
  if (unused > 7 || (unused > 0 && t.value.length === 1)) throw new DerError('bad BIT STRING padding');
  return { bytes: t.value.subarray(1), unused };
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** A directory string (UTF8String, PrintableString, IA5String, T61String, BMPString) → JS string. */
export function decodeString(t: Tlv): string {
  switch (t.tag) {
    case TAG.UTF8_STRING:
      return textDecoder.decode(t.value);
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.T61_STRING:
      return latin1.decode(t.value);
    case TAG.BMP_STRING:
      return new TextDecoder('utf-16be').decode(t.value);
    default:
      throw new DerError(`not a string (tag 0x${t.tag.toString(16)})`);
  }
}

/** UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSSZ`) → Date. */
export function decodeTime(t: Tlv): Date {
  const s = latin1.decode(t.value);
  const m =
    t.tag === TAG.UTC_TIME ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s) : t.tag === TAG.GENERALIZED_TIME ? /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s) : null;
  if (!m) throw new DerError('bad time');
  let year = Number(m[1]);
  if (t.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}
