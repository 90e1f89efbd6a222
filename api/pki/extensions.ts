/**
 * X.509 v3 extensions (RFC 5280 §4.2), built with pkijs/asn1js and returned as DER `Extension`
 * encodings, so that constant ones are encoded once and reused (builder.ts).
 */
import { isIP } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { encoded, toDer, type Bytes } from './asn1.ts';
import { OID } from './oids.ts';

/**
 * `Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING }` as DER
 * (the same structure pkijs.Extension writes; built here with a cached OID encoding because two
 * extensions are made per certificate).
 */
export function extension(extnId: string, critical: boolean, value: { toBER(sizeOnly?: boolean): ArrayBuffer }): Bytes {
  const fields: asn1js.BaseBlock[] = [encoded(oidDer(extnId))];
  if (critical) fields.push(new asn1js.Boolean({ value: true }));
  fields.push(new asn1js.OctetString({ valueHex: value.toBER(false) }));
  return toDer(new asn1js.Sequence({ value: fields }));
}

const oidCache = new Map<string, Bytes>();
/** DER of an OBJECT IDENTIFIER, cached. */
export function oidDer(oid: string): Bytes {
  let d = oidCache.get(oid);
  if (!d) oidCache.set(oid, (d = toDer(new asn1js.ObjectIdentifier({ value: oid }))));
  return d;
}

/** basicConstraints (§4.2.1.9), critical; pkijs omits `cA` when FALSE (the DER DEFAULT rule). */
export function basicConstraints(ca: boolean, pathLen?: number): Bytes {
  const bc = new pkijs.BasicConstraints({ cA: ca, ...(pathLen === undefined ? {} : { pathLenConstraint: pathLen }) });
  return extension(OID.basicConstraints, true, bc.toSchema());
}

export const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;
export type KeyUsage = keyof typeof KEY_USAGE_BITS;

/** keyUsage (§4.2.1.3), critical. A DER named-bit list drops trailing zero bits (X.690 §11.2.2). */
export function keyUsage(usages: readonly KeyUsage[]): Bytes {
  let mask = 0;
  for (const u of usages) mask |= 0x80 >> KEY_USAGE_BITS[u];
  if (mask === 0) throw new Error('empty keyUsage');
  let unusedBits = 0;
  while (!(mask & (1 << unusedBits))) unusedBits++;
  return extension(OID.keyUsage, true, new asn1js.BitString({ valueHex: new Uint8Array([mask]), unusedBits }));
}

/** extKeyUsage (§4.2.1.12), not critical. */
export function extKeyUsage(purposes: readonly string[]): Bytes {
  return extension(OID.extKeyUsage, false, new pkijs.ExtKeyUsage({ keyPurposes: [...purposes] }).toSchema());
}

export type GeneralName = { readonly type: 'email' | 'dns' | 'uri' | 'ip'; readonly value: string };

const GN_TYPE = { email: 1, dns: 2, uri: 6 } as const;

/** GeneralName (§4.2.1.6): rfc822Name [1], dNSName [2], URI [6], iPAddress [7]. */
export function generalName(n: GeneralName): pkijs.GeneralName {
  if (n.type !== 'ip' && !/^[\x21-\x7e]+$/.test(n.value)) throw new Error(`not an IA5 name: ${JSON.stringify(n.value)}`);
  if (n.type === 'ip') return new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: ipBytes(n.value) }) });
  return new pkijs.GeneralName({ type: GN_TYPE[n.type], value: n.value });
}

/**
 * subjectAltName (§4.2.1.6), not critical (the subject is never empty here). One per certificate, so
 * the `GeneralNames` SEQUENCE is made of asn1js nodes directly — the nodes pkijs' GeneralName
 * `toSchema` makes (an IA5String re-tagged [n]), without its object layer (spec 08 signing throughput).
 */
export function subjectAltName(names: readonly GeneralName[]): Bytes {
  return extension(OID.subjectAltName, false, new asn1js.Sequence({ value: names.map(generalNameNode) }));
}

/** The asn1js node of a GeneralName, as pkijs.GeneralName#toSchema writes it. */
function generalNameNode(n: GeneralName): asn1js.BaseBlock {
  if (n.type === 'ip') return generalName(n).toSchema() as asn1js.BaseBlock;
  if (!/^[\x21-\x7e]+$/.test(n.value)) throw new Error(`not an IA5 name: ${JSON.stringify(n.value)}`);
  const node = new asn1js.IA5String({ value: n.value });
  node.idBlock.tagClass = 3;
  node.idBlock.tagNumber = GN_TYPE[n.type];
  return node;
}

export function subjectKeyIdentifier(keyId: Uint8Array): Bytes {
  return extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: keyId }));
}

/** authorityKeyIdentifier with keyIdentifier only (§4.2.1.1). */
export function authorityKeyIdentifier(keyId: Uint8Array): Bytes {
  const aki = new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: keyId }) });
  return extension(OID.authorityKeyIdentifier, false, aki.toSchema());
}

/** cRLDistributionPoints with one fullName URI (§4.2.1.13). */
export function crlDistributionPoint(url: string): Bytes {
  const dp = new pkijs.DistributionPoint({ distributionPoint: [generalName({ type: 'uri', value: url })] });
  return extension(OID.cRLDistributionPoints, false, new pkijs.CRLDistributionPoints({ distributionPoints: [dp] }).toSchema());
}

/** authorityInfoAccess (§4.2.2.1): OCSP responder and/or caIssuers URLs. */
export function authorityInfoAccess(urls: { ocsp?: string; caIssuers?: string }): Bytes {
  const ads: pkijs.AccessDescription[] = [];
  if (urls.ocsp) ads.push(new pkijs.AccessDescription({ accessMethod: OID.adOcsp, accessLocation: generalName({ type: 'uri', value: urls.ocsp }) }));
  if (urls.caIssuers) ads.push(new pkijs.AccessDescription({ accessMethod: OID.adCaIssuers, accessLocation: generalName({ type: 'uri', value: urls.caIssuers }) }));
  return extension(OID.authorityInfoAccess, false, new pkijs.InfoAccess({ accessDescriptions: ads }).toSchema());
}

/** certificatePolicies with bare policy identifiers (§4.2.1.4). */
export function certificatePolicies(policyOids: readonly string[]): Bytes {
  const infos = policyOids.map((p) => new pkijs.PolicyInformation({ policyIdentifier: p }));
  return extension(OID.certificatePolicies, false, new pkijs.CertificatePolicies({ certificatePolicies: infos }).toSchema());
}

/** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): value NULL. */
export function ocspNoCheck(): Bytes {
  return extension(OID.ocspNoCheck, false, new asn1js.Null());
}

/** IPv4 (4 octets) or IPv6 (16 octets) address bytes for an iPAddress GeneralName. */
export function ipBytes(ip: string): Uint8Array<ArrayBuffer> {
  const v = isIP(ip);
  if (v === 4) return new Uint8Array(ip.split('.').map(Number));
  if (v !== 6) throw new Error(`not an IP address: ${ip}`);
  let s = ip;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const b = v4.slice(1).map(Number);
    s = s.slice(0, v4.index) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  });
  return out;
}
