/**
 * X.509 certificate parsing (RFC 5280 §4.1) and decoders for the extensions Hakko writes, used to
 * check what was signed (checkIssued), to reload the CA and to inspect presented certificates.
 */
import {
  DerError, DerReader, TAG, decodeBitString, decodeInteger, decodeOid, decodeTime, inside, readOne, type Bytes, type Tlv,
} from './der.ts';
import { decodeName, formatDn, type DecodedAttribute } from './names.ts';
import { parseSpki, readSignatureAlgorithm, type Spki } from './keys.ts';
import { KEY_USAGE_BITS, type KeyUsage } from './extensions.ts';

export interface ParsedExtension {
  readonly critical: boolean;
  /** extnValue contents (the DER of the extension's own value). */
  readonly value: Bytes;
}

export interface ParsedCertificate {
  readonly der: Bytes;
  /** The TBSCertificate encoding (what the signature covers). */
  readonly tbs: Bytes;
  readonly version: number;
  readonly serial: bigint;
  /** The inner signature AlgorithmIdentifier (raw) — must equal the outer one. */
  readonly tbsSignatureAlgorithm: Bytes;
  readonly signatureAlgorithm: Tlv;
  readonly signature: Bytes;
  readonly issuer: Tlv;
  readonly subject: Tlv;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spki: Spki;
  readonly extensions: ReadonlyMap<string, ParsedExtension>;
}

/** Parses a DER certificate (v3 only); throws DerError on anything malformed. */
export function parseCertificate(der: Bytes): ParsedCertificate {
  const cert = inside(readOne(der, TAG.SEQUENCE));
  const tbsTlv = cert.expect(TAG.SEQUENCE, 'TBSCertificate');
  const signatureAlgorithm = cert.expect(TAG.SEQUENCE, 'signatureAlgorithm');
  const { bytes: signature } = decodeBitString(cert.expect(TAG.BIT_STRING, 'signature'));
  cert.end('Certificate');

  const t = inside(tbsTlv);
  const ver = t.optional(0xa0);
  const version = ver ? Number(decodeInteger(readOne(ver.value, TAG.INTEGER))) + 1 : 1;
  const serial = decodeInteger(t.expect(TAG.INTEGER, 'serialNumber'));
  const tbsSignatureAlgorithm = t.expect(TAG.SEQUENCE, 'signature').raw;
  const issuer = t.expect(TAG.SEQUENCE, 'issuer');
  const validity = inside(t.expect(TAG.SEQUENCE, 'validity'));
  const notBefore = decodeTime(validity.next());
  const notAfter = decodeTime(validity.next());
  validity.end('validity');
  const subject = t.expect(TAG.SEQUENCE, 'subject');
  const spki = parseSpki(t.expect(TAG.SEQUENCE, 'subjectPublicKeyInfo'));
  t.optional(0x81);
  t.optional(0x82);
  const extensions = new Map<string, ParsedExtension>();
  const extsTlv = t.optional(0xa3);
  t.end('TBSCertificate');
  if (extsTlv) {
    const exts = inside(readOne(extsTlv.value, TAG.SEQUENCE));
    while (!exts.done) {
      const e = inside(exts.expect(TAG.SEQUENCE, 'Extension'));
      const id = decodeOid(e.expect(TAG.OID));
      const crit = e.optional(TAG.BOOLEAN);
      const value = e.expect(TAG.OCTET_STRING, 'extnValue').value;
      e.end('Extension');
      if (extensions.has(id)) throw new DerError(`duplicate extension ${id}`);
      extensions.set(id, { critical: crit !== undefined && crit.value[0] !== 0, value });
    }
  }
  return { der, tbs: tbsTlv.raw, version, serial, tbsSignatureAlgorithm, signatureAlgorithm, signature, issuer, subject, notBefore, notAfter, spki, extensions };
}

/** Subject attributes, most specific first. */
export function subjectAttributes(c: ParsedCertificate): DecodedAttribute[] {
  return decodeName(c.subject);
}

/** Subject as an RFC 4514 string (`CN=…,O=…,C=JP`). */
export function subjectString(c: ParsedCertificate): string {
  return formatDn(decodeName(c.subject));
}

/** The signature algorithm of a certificate, or null when Hakko does not verify that algorithm. */
export function certSignatureAlgorithm(c: ParsedCertificate) {
  return readSignatureAlgorithm(c.signatureAlgorithm);
}

// --- extension decoders -------------------------------------------------------------------------

export function decodeBasicConstraints(v: Bytes): { ca: boolean; pathLen?: number } {
  const r = inside(readOne(v, TAG.SEQUENCE));
  const ca = r.optional(TAG.BOOLEAN);
  const pl = r.optional(TAG.INTEGER);
  r.end('BasicConstraints');
  return { ca: ca !== undefined && ca.value[0] !== 0, ...(pl ? { pathLen: Number(decodeInteger(pl)) } : {}) };
}

export function decodeKeyUsage(v: Bytes): KeyUsage[] {
  const { bytes } = decodeBitString(readOne(v, TAG.BIT_STRING));
  const out: KeyUsage[] = [];
  for (const [name, bit] of Object.entries(KEY_USAGE_BITS) as [KeyUsage, number][]) {
    if ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) out.push(name);
  }
  return out;
}

export function decodeOidList(v: Bytes): string[] {
  const r = inside(readOne(v, TAG.SEQUENCE));
  const out: string[] = [];
  while (!r.done) out.push(decodeOid(r.expect(TAG.OID)));
  return out;
}

/** certificatePolicies → policy identifiers (qualifiers ignored). */
export function decodePolicies(v: Bytes): string[] {
  const r = inside(readOne(v, TAG.SEQUENCE));
  const out: string[] = [];
  while (!r.done) out.push(decodeOid(inside(r.expect(TAG.SEQUENCE)).expect(TAG.OID)));
  return out;
}

export type DecodedGeneralName = { type: 'email' | 'dns' | 'uri' | 'ip' | 'other'; value: string };

export function decodeGeneralName(t: Tlv): DecodedGeneralName {
  const latin = () => new TextDecoder('latin1').decode(t.value);
  switch (t.tag) {
    case 0x81:
      return { type: 'email', value: latin() };
    case 0x82:
      return { type: 'dns', value: latin() };
    case 0x86:
      return { type: 'uri', value: latin() };
    case 0x87:
      return { type: 'ip', value: Buffer.from(t.value).toString('hex') };
    default:
      return { type: 'other', value: Buffer.from(t.raw).toString('hex') };
  }
}

export function decodeGeneralNames(v: Bytes): DecodedGeneralName[] {
  const r = inside(readOne(v, TAG.SEQUENCE));
  const out: DecodedGeneralName[] = [];
  while (!r.done) out.push(decodeGeneralName(r.next()));
  return out;
}

export function decodeSubjectKeyId(v: Bytes): Bytes {
  return readOne(v, TAG.OCTET_STRING).value;
}

export function decodeAuthorityKeyId(v: Bytes): Bytes | undefined {
  const r = inside(readOne(v, TAG.SEQUENCE));
  return r.optional(0x80)?.value;
}

/** authorityInfoAccess → [method OID, URI] pairs. */
export function decodeAia(v: Bytes): { method: string; uri: string }[] {
  const r = inside(readOne(v, TAG.SEQUENCE));
  const out: { method: string; uri: string }[] = [];
  while (!r.done) {
    const ad = inside(r.expect(TAG.SEQUENCE));
    const method = decodeOid(ad.expect(TAG.OID));
    out.push({ method, uri: decodeGeneralName(ad.next()).value });
  }
  return out;
}

/** cRLDistributionPoints → fullName URIs. */
export function decodeCrlDp(v: Bytes): string[] {
  const r = inside(readOne(v, TAG.SEQUENCE));
  const out: string[] = [];
  while (!r.done) {
    const dp = inside(r.expect(TAG.SEQUENCE));
    const name = dp.optional(0xa0);
    if (!name) continue;
    const full = new DerReader(name.value).optional(0xa0);
    if (!full) continue;
    const names = new DerReader(full.value);
    while (!names.done) out.push(decodeGeneralName(names.next()).value);
  }
  return out;
}
