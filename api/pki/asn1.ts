/**
 * Thin helpers over asn1js (the project's ASN.1 library) shared by the PKI modules: parsing with
 * error reporting, DER output as bytes, and `Encoded` — an asn1js node holding DER encoded once, so
 * CA-constant parts (issuer name, AKI, CRL DP, AIA, policies) are not rebuilt per certificate.
 */
import * as asn1js from 'asn1js';

export type Bytes = Uint8Array<ArrayBuffer>;

/** A malformed or unexpected ASN.1 structure. */
export class Asn1Error extends Error {
  override name = 'Asn1Error';
}

/**
 * Pre-encoded DER as a child of an asn1js constructed node. asn1js.RawData returns its bytes but does
 * not write them into a parent's writer; this subclass does, so it can sit inside a Sequence.
 */
export class Encoded extends asn1js.RawData {
  readonly #buf: ArrayBuffer;
  constructor(bytes: Uint8Array) {
    super();
    // An exact ArrayBuffer: the writer copies it into the output without another copy here.
    this.#buf = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : bytes.slice().buffer;
  }
  override toBER(_sizeOnly?: boolean, writer?: { write(buf: ArrayBuffer): void }): ArrayBuffer {
    if (writer) {
      writer.write(this.#buf);
      return new ArrayBuffer(0);
    }
    return this.#buf.slice(0);
  }
}

/** `Encoded` typed as an asn1js block for constructors that expect one. */
export function encoded(bytes: Uint8Array): asn1js.BaseBlock {
  return new Encoded(bytes) as unknown as asn1js.BaseBlock;
}

/** DER bytes of an asn1js node or pkijs object schema. */
export function toDer(node: { toBER(sizeOnly?: boolean): ArrayBuffer }): Bytes {
  return new Uint8Array(node.toBER(false));
}

/**
 * Parses exactly one BER element spanning `bytes`; throws Asn1Error on errors or trailing data.
 * `parseEmbedded: false` leaves BIT STRING and OCTET STRING contents unparsed (asn1js otherwise tries
 * each as nested ASN.1 — a signature's 256 random octets too); read them with another `parseDer`.
 */
export function parseDer(bytes: Uint8Array, what: string, opts: { parseEmbedded?: boolean } = {}): asn1js.AsnType {
  const view = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  const r = asn1js.fromBER(view, { parseEmbedded: opts.parseEmbedded ?? true });
  if (r.offset === -1 || r.result.error) throw new Asn1Error(`${what}: ${r.result.error || 'not ASN.1'}`);
  if (r.offset !== bytes.byteLength) throw new Asn1Error(`${what}: trailing data`);
  return r.result;
}

/** The exact encoding a parsed node was decoded from (what signatures cover). */
export function rawOf(node: asn1js.BaseBlock): Bytes {
  return node.valueBeforeDecodeView as Bytes;
}

/** Children of a constructed node, checked to be `kind` (e.g. asn1js.Sequence) with `min` items. */
export function itemsOf(node: unknown, kind: new (...a: never[]) => asn1js.Constructed, min: number, what: string): asn1js.AsnType[] {
  if (!(node instanceof kind)) throw new Asn1Error(`${what}: unexpected type`);
  const items = node.valueBlock.value;
  if (items.length < min) throw new Asn1Error(`${what}: missing fields`);
  return items;
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** True when `needle` occurs in `hay` (used to find an expected extension encoding). */
export function includesBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.length).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.length)) !== -1;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}
