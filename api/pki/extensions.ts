/** X.509 v3 extension encoders (RFC 5280 §4.2) and their constant parts. */
import { isIP } from 'node:net';
import { DerError, bool, bits, explicit, ia5Value, int, implicitPrim, nul, octets, oid, seq, tlv, type Bytes } from './der.ts';
import { OID } from './oids.ts';

/** `Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING }`. */
export function extension(extnId: string, critical: boolean, value: Uint8Array): Bytes {
  return critical ? seq(oid(extnId), bool(true), octets(value)) : seq(oid(extnId), octets(value));
}

/** basicConstraints (§4.2.1.9), always critical here; `cA` FALSE is the DEFAULT and so omitted. */
export function basicConstraints(ca: boolean, pathLen?: number): Bytes {
  const body = ca ? seq(bool(true), ...(pathLen === undefined ? [] : [int(pathLen)])) : seq();
  return extension(OID.basicConstraints, true, body);
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

/** keyUsage (§4.2.1.3), critical; a DER named-bit list drops trailing zero bits (X.690 §11.2.2). */
export function keyUsage(usages: readonly KeyUsage[]): Bytes {
  let mask = 0;
  for (const u of usages) mask |= 0x80 >> KEY_USAGE_BITS[u];
  if (mask === 0) throw new DerError('empty keyUsage');
  let unused = 0;
  while (!(mask & (1 << unused))) unused++;
  return extension(OID.keyUsage, true, bits(new Uint8Array([mask]), unused));
}

/** extKeyUsage (§4.2.1.12), not critical. */
export function extKeyUsage(purposes: readonly string[]): Bytes {
  return extension(OID.extKeyUsage, false, seq(...purposes.map((p) => oid(p))));
}

export type GeneralName = { readonly type: 'email' | 'dns' | 'uri' | 'ip'; readonly value: string };

/** GeneralName (§4.2.1.6): rfc822Name [1], dNSName [2], URI [6], iPAddress [7]. */
export function generalName(n: GeneralName): Bytes {
  switch (n.type) {
    case 'email':
      return implicitPrim(1, ia5Value(n.value));
    case 'dns':
      return implicitPrim(2, ia5Value(n.value));
    case 'uri':
      return implicitPrim(6, ia5Value(n.value));
    case 'ip':
      return implicitPrim(7, ipBytes(n.value));
  }
}

/** subjectAltName (§4.2.1.6), not critical (the subject is never empty here). */
export function subjectAltName(names: readonly GeneralName[]): Bytes {
  return extension(OID.subjectAltName, false, seq(...names.map(generalName)));
}

export function subjectKeyIdentifier(keyId: Uint8Array): Bytes {
  return extension(OID.subjectKeyIdentifier, false, octets(keyId));
}

/** authorityKeyIdentifier with keyIdentifier only (§4.2.1.1). */
export function authorityKeyIdentifier(keyId: Uint8Array): Bytes {
  return extension(OID.authorityKeyIdentifier, false, seq(implicitPrim(0, keyId)));
}

/** cRLDistributionPoints with one fullName URI (§4.2.1.13). */
export function crlDistributionPoint(url: string): Bytes {
  return extension(OID.cRLDistributionPoints, false, seq(seq(explicit(0, tlv(0xa0, generalName({ type: 'uri', value: url }))))));
}

/** authorityInfoAccess (§4.2.2.1): OCSP responder and/or caIssuers URLs. */
export function authorityInfoAccess(urls: { ocsp?: string; caIssuers?: string }): Bytes {
  const ads: Bytes[] = [];
  if (urls.ocsp) ads.push(seq(oid(OID.adOcsp), generalName({ type: 'uri', value: urls.ocsp })));
  if (urls.caIssuers) ads.push(seq(oid(OID.adCaIssuers), generalName({ type: 'uri', value: urls.caIssuers })));
  return extension(OID.authorityInfoAccess, false, seq(...ads));
}

/** certificatePolicies with bare policy identifiers (§4.2.1.4). */
export function certificatePolicies(policyOids: readonly string[]): Bytes {
  return extension(OID.certificatePolicies, false, seq(...policyOids.map((p) => seq(oid(p)))));
}

/** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): value NULL. */
export function ocspNoCheck(): Bytes {
  return extension(OID.ocspNoCheck, false, nul());
}

/** IPv4 (4 octets) or IPv6 (16 octets) address bytes for an iPAddress GeneralName. */
export function ipBytes(ip: string): Bytes {
  const v = isIP(ip);
  if (v === 4) return new Uint8Array(ip.split('.').map(Number));
  if (v !== 6) throw new DerError(`not an IP address: ${ip}`);
  let s = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    s = s.slice(0, -v4[1]!.length) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
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
