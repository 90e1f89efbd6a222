/**
 * Reading certificates (RFC 5280 §4.1) for the CA hierarchy and for callers that inspect a
 * certificate: pkijs for the structure and exact name bytes, Node's X509Certificate (OpenSSL) for
 * the public key. Not on the per-issuance path (check-issued.ts uses Node's parser alone).
 */
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { Asn1Error, parseDer, type Bytes } from './asn1.ts';
import { importPublicKey, keyIdentifier, type PublicKey } from './keys.ts';
import { decodeName, formatDn, type DecodedAttribute } from './names.ts';
import { OID } from './oids.ts';
import type { GeneralName } from './extensions.ts';

export interface CertInfo {
  readonly der: Bytes;
  readonly x509: crypto.X509Certificate;
  readonly serial: bigint;
  /** The subject and issuer `Name` encodings, verbatim. */
  readonly subjectDer: Bytes;
  readonly issuerDer: Bytes;
  readonly subject: DecodedAttribute[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: PublicKey;
  /** subjectKeyIdentifier, or the RFC 5280 method-1 value when the extension is absent. */
  readonly keyId: Bytes;
  /** subjectAltName entries Hakko writes (email, dns, uri, ip as text). */
  readonly san: GeneralName[];
}

/** Parses a DER certificate; throws on anything malformed. */
export function readCertificate(der: Uint8Array): CertInfo {
  const bytes = new Uint8Array(der);
  const cert = new pkijs.Certificate({ schema: parseDer(bytes, 'Certificate') });
  const x509 = new crypto.X509Certificate(bytes);
  const publicKey = importPublicKey(x509.publicKey.export({ type: 'spki', format: 'der' }));
  const subjectDer = new Uint8Array(cert.subject.valueBeforeDecode);
  const skiExt = cert.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  const ski = skiExt?.parsedValue instanceof asn1js.OctetString ? new Uint8Array(skiExt.parsedValue.valueBlock.valueHexView) : null;
  return {
    der: bytes,
    x509,
    serial: BigInt('0x' + Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex')),
    subjectDer,
    issuerDer: new Uint8Array(cert.issuer.valueBeforeDecode),
    subject: decodeName(parseDer(subjectDer, 'subject')),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    publicKey,
    keyId: ski ?? keyIdentifier(publicKey),
    san: sanOf(cert),
  };
}

/** Subject as an RFC 4514 string (`CN=…,O=…,C=JP`). */
export function subjectString(c: CertInfo): string {
  return formatDn(c.subject);
}

function sanOf(cert: pkijs.Certificate): GeneralName[] {
  const ext = cert.extensions?.find((e) => e.extnID === OID.subjectAltName);
  if (!ext) return [];
  if (!(ext.parsedValue instanceof pkijs.AltName)) throw new Asn1Error('subjectAltName: unreadable');
  const out: GeneralName[] = [];
  for (const n of ext.parsedValue.altNames) {
    if (n.type === 1) out.push({ type: 'email', value: String(n.value) });
    else if (n.type === 2) out.push({ type: 'dns', value: String(n.value) });
    else if (n.type === 6) out.push({ type: 'uri', value: String(n.value) });
    else if (n.type === 7) out.push({ type: 'ip', value: ipText((n.value as asn1js.OctetString).valueBlock.valueHexView) });
  }
  return out;
}

/** iPAddress bytes → text in Node's canonical form (IPv6 compressed via URL parsing). */
function ipText(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}
