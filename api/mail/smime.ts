/**
 * S/MIME signing of notifications (spec 05 §Signature; RFC 8551 §3.5.3, RFC 1847): the content
 * headers and body of a composed message become the signed entity; a detached CMS SignedData (RFC
 * 5652) over its exact CRLF bytes, made through the `Signer` interface only (spec 03 §Where signing
 * happens), goes next to it in a multipart/signed wrapper. The outer headers stay as composed.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Signer } from '../pki/signer.ts';
import { assertSevenBit, fieldName, headerValue, splitMessage, toCrlf } from './mime-headers.ts';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
} as const;

export interface SignOptions {
  /** signingTime attribute; defaults to the message's Date header (so no clock is read here). */
  readonly signingTime?: Date;
}

/** The `micalg` parameter for the signer's digest (RFC 8551 §3.5.3.2). */
export function micalg(signer: Signer): 'sha-256' | 'sha-384' {
  return signer.algorithm.hash === 'SHA-384' ? 'sha-384' : 'sha-256';
}

/**
 * Signs a composed message (mime.ts `composeMail`): returns the multipart/signed message bytes.
 * `chain` is the issuing CA and the root (DER), included after the signer's certificate.
 */
export async function signMail(raw: Uint8Array, signer: Signer, chain: readonly Uint8Array[], options: SignOptions = {}): Promise<Buffer> {
  const { outer, inner, date } = splitForSigning(raw);
  const p7s = await createDetachedSignature(inner, signer, chain, options.signingTime ?? date());
  return Buffer.from(wrapSigned(outer, inner, p7s, micalg(signer)));
}

/**
 * Splits a composed message: the Content-* fields and the body form the entity to sign; the
 * other fields (From, To, Subject, Date, Message-ID, …) stay outside.
 */
export function splitForSigning(raw: Uint8Array): { outer: string[]; inner: Uint8Array<ArrayBuffer>; date: () => Date } {
  const bytes = toCrlf(raw);
  assertSevenBit(bytes);
  const { fields, body } = splitMessage(bytes);
  const isContent = (f: string) => fieldName(f).startsWith('content-');
  const contentFields = fields.filter(isContent);
  if (!contentFields.some((f) => fieldName(f) === 'content-type')) throw new RangeError('message has no Content-Type');
  const outer = fields.filter((f) => !isContent(f) && fieldName(f) !== 'mime-version');
  const inner = concat(ascii(contentFields.join('\r\n') + '\r\n\r\n'), body);
  return { outer, inner, date: () => dateHeader(fields) };
}

/**
 * The multipart/signed message (RFC 1847 §2.1, RFC 8551 §3.5.3): the signed bytes sit between
 * "--boundary CRLF" and "CRLF --boundary" exactly as they were signed. The boundary is derived
 * from the content's hash, so it cannot occur inside it and the output is reproducible.
 */
function wrapSigned(outer: readonly string[], inner: Uint8Array, p7s: Uint8Array, alg: string): Uint8Array<ArrayBuffer> {
  const boundary = `----=_HakkoSMIME_${createHash('sha256').update(inner).digest('hex').slice(0, 32)}`;
  const head = [
    ...outer,
    'MIME-Version: 1.0',
    `Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=${alg};\r\n boundary="${boundary}"`,
    '',
    'This is a cryptographically signed message in MIME format.',
    '',
    `--${boundary}`,
    '',
  ].join('\r\n');
  const tail = [
    '',
    `--${boundary}`,
    'Content-Type: application/pkcs7-signature; name=smime.p7s',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename=smime.p7s',
    'Content-Description: S/MIME Cryptographic Signature',
    '',
    ...base64Lines(p7s),
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return concat(ascii(head), inner, ascii(tail));
}

function dateHeader(fields: readonly string[]): Date {
  const v = headerValue(fields, 'date');
  const d = v === null ? new Date(NaN) : new Date(v);
  if (Number.isNaN(d.getTime())) throw new RangeError('message has no usable Date header; pass signingTime');
  return d;
}

/**
 * Detached CMS SignedData over `content` (RFC 5652 §5): signed attributes contentType,
 * messageDigest and signingTime; the signature over their DER SET encoding comes from
 * `signer.sign`; certificates: the signer's, then `chain`.
 */
export async function createDetachedSignature(
  content: Uint8Array, signer: Signer, chain: readonly Uint8Array[], signingTime: Date,
): Promise<Uint8Array<ArrayBuffer>> {
  const hash = signer.algorithm.hash;
  // node:crypto hashes a few KB at once on this thread; WebCrypto's digest is a thread-pool job
  // whose round trip cost more than the hashing (measured: ~0.4 ms a mail).
  const digest = createHash(hash === 'SHA-384' ? 'sha384' : 'sha256').update(content).digest();
  const { leaf, certificates } = parsedCertificates(signer, chain);
  const attrs = derSort([
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.signingTime, values: [timeValue(signingTime)] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
  ]);
  // RFC 5652 §5.4: the signature covers the DER of the attributes as a SET OF (tag 0x31), not [0].
  const signedAttrsDer = new asn1js.Set({ value: attrs.map((a) => a.toSchema()) }).toBER(false);
  const signature = await signer.sign(new Uint8Array(signedAttrsDer));
  const digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: hash === 'SHA-384' ? OID.sha384 : OID.sha256 });
  const signerInfo = new pkijs.SignerInfo({
    version: 1, // sid is IssuerAndSerialNumber (RFC 5652 §5.3)
    sid: new pkijs.IssuerAndSerialNumber({ issuer: leaf.issuer, serialNumber: leaf.serialNumber }),
    digestAlgorithm,
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs }),
    signatureAlgorithm: signatureAlgorithm(signer),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [digestAlgorithm],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates,
    signerInfos: [signerInfo],
  });
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(info.toSchema().toBER(false));
}

/**
 * An ASN.1 element that encodes as the DER it was read from, unchanged: a certificate goes into the
 * SignedData exactly as issued. pkijs would otherwise re-parse each certificate's TBS and re-encode
 * its whole tree for every mail — more than half of the CPU time of an S/MIME signature.
 */
class EncodedElement extends asn1js.Sequence {
  readonly #der: Uint8Array<ArrayBuffer>;
  constructor(der: Uint8Array) {
    super();
    this.#der = Uint8Array.from(der);
  }
  override toBER(_sizeOnly?: boolean, writer?: asn1js.ViewWriter): ArrayBuffer {
    const copy = this.#der.slice().buffer;
    if (!writer) return copy;
    writer.write(copy);
    return new ArrayBuffer(0);
  }
}

/** A certificate that pkijs encodes from its original DER ({@link EncodedElement}). */
class ReusedCertificate extends pkijs.Certificate {
  readonly #element: EncodedElement;
  constructor(der: Uint8Array) {
    super({ schema: asn1js.fromBER(Uint8Array.from(der)).result });
    this.#element = new EncodedElement(der);
  }
  override toSchema(encodeFlag = false): asn1js.Sequence {
    return encodeFlag ? super.toSchema(true) : this.#element;
  }
}

const parsed = new WeakMap<Signer, { chain: readonly Uint8Array[]; leaf: pkijs.Certificate; certificates: pkijs.Certificate[] }>();

/**
 * The signer's certificate and the chain as pkijs objects, parsed once per signer and chain rather
 * than for every mail (a bulk upload signs thousands; parsing was a fifth of the worker's CPU time).
 * pkijs only reads them when encoding, so one set serves concurrent signatures.
 */
function parsedCertificates(signer: Signer, chain: readonly Uint8Array[]): { leaf: pkijs.Certificate; certificates: pkijs.Certificate[] } {
  const hit = parsed.get(signer);
  if (hit && hit.chain.length === chain.length && hit.chain.every((c, i) => c === chain[i])) return hit;
  const certificates = [signer.certificate, ...chain].map((der) => new ReusedCertificate(der));
  const entry = { chain: [...chain], leaf: certificates[0]!, certificates };
  parsed.set(signer, entry);
  return entry;
}

/** rsaEncryption with NULL parameters (as OpenSSL writes; RFC 3370 §3.2) or ecdsa-with-SHA* without (RFC 5753 §2.1.1). */
function signatureAlgorithm(signer: Signer): pkijs.AlgorithmIdentifier {
  if (signer.algorithm.name === 'RSASSA-PKCS1-v1_5') {
    return new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() });
  }
  return new pkijs.AlgorithmIdentifier({ algorithmId: signer.algorithm.hash === 'SHA-384' ? OID.ecdsaWithSha384 : OID.ecdsaWithSha256 });
}

/** signingTime: UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5652 §11.3); whole seconds. */
function timeValue(t: Date): asn1js.UTCTime | asn1js.GeneralizedTime {
  const d = new Date(Math.floor(t.getTime() / 1000) * 1000);
  const y = d.getUTCFullYear();
  return y >= 1950 && y < 2050 ? new asn1js.UTCTime({ valueDate: d }) : new asn1js.GeneralizedTime({ valueDate: d });
}

/**
 * Orders attributes as DER requires for a SET OF (X.690 §11.6): by their encodings, the shorter
 * padded with zero octets. OpenSSL re-encodes signed attributes in DER before verifying, so an
 * unsorted SET would not verify there.
 */
export function derSort(attrs: readonly pkijs.Attribute[]): pkijs.Attribute[] {
  const enc = attrs.map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER(false)) }));
  enc.sort((x, y) => compareDer(x.der, y.der));
  return enc.map((e) => e.a);
}

function compareDer(x: Uint8Array, y: Uint8Array): number {
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function ascii(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function concat(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Base64 in lines of 76 characters (RFC 2045 §6.8). */
function base64Lines(der: Uint8Array): string[] {
  const b64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines;
}
