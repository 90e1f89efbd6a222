/**
 * A certificate decoded for people (spec 06 §Dashboard: "detail page with the full certificate
 * (decoded)"): subject, issuer, serial in decimal and hex, validity, SHA-256 fingerprint, SAN, key
 * usage, extended key usage, policies, public key and signature algorithm.
 */
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseDer } from './asn1.ts';
import { readCertificate, subjectString } from './certificate.ts';
import { decodeName, formatDn } from './names.ts';
import { KEY_USAGE_BITS } from './extensions.ts';
import { OID } from './oids.ts';

export interface CertificateDescription {
  readonly subject: string;
  readonly issuer: string;
  readonly serialDecimal: string;
  readonly serialHex: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly sha256: string;
  readonly subjectAltNames: string[];
  readonly extendedKeyUsage: { oid: string; name: string }[];
  readonly keyUsage: string[];
  readonly publicKey: string;
  readonly signatureAlgorithm: string;
  readonly policies: string[];
}

const EKU_NAMES: Readonly<Record<string, string>> = {
  [OID.serverAuth]: 'serverAuth',
  [OID.clientAuth]: 'clientAuth',
  [OID.emailProtection]: 'emailProtection',
  [OID.ocspSigning]: 'OCSPSigning',
};

const SIGNATURE_NAMES: Readonly<Record<string, string>> = {
  [OID.sha256WithRSA]: 'sha256WithRSAEncryption',
  [OID.sha384WithRSA]: 'sha384WithRSAEncryption',
  [OID.sha512WithRSA]: 'sha512WithRSAEncryption',
  [OID.rsassaPss]: 'RSASSA-PSS',
  [OID.ecdsaWithSHA256]: 'ecdsa-with-SHA256',
  [OID.ecdsaWithSHA384]: 'ecdsa-with-SHA384',
  [OID.ecdsaWithSHA512]: 'ecdsa-with-SHA512',
};

/**
 * An OID as dotted decimal. asn1js shows a sub-identifier too long for a JS number (the UUID arc of
 * `2.25.<UUID>` policies, spec 03) as `{hex}` of its 7-bit groups; those become decimal here.
 */
export function dottedOid(oid: string): string {
  return oid.replace(/\{([0-9a-f]+)\}/gi, (_, hex: string) => {
    let v = 0n;
    for (let i = 0; i < hex.length; i += 2) v = v * 128n + BigInt(parseInt(hex.slice(i, i + 2), 16) & 0x7f);
    return v.toString(10);
  });
}

/** Colon-separated upper-case hex, as browsers and `openssl x509 -fingerprint` show it. */
export function colonHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

function keyUsageOf(ext: pkijs.Extension | undefined): string[] {
  if (!ext) return [];
  const bits = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result as asn1js.BitString;
  const bytes = bits.valueBlock.valueHexView;
  return Object.entries(KEY_USAGE_BITS).filter(([, bit]) => ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0).map(([name]) => name);
}

function publicKeyText(x509: crypto.X509Certificate): string {
  const k = x509.publicKey;
  const d = k.asymmetricKeyDetails ?? {};
  if (k.asymmetricKeyType === 'rsa') return `RSA ${d.modulusLength ?? '?'}`;
  if (k.asymmetricKeyType === 'ec') return `EC ${d.namedCurve === 'prime256v1' ? 'P-256' : d.namedCurve === 'secp384r1' ? 'P-384' : (d.namedCurve ?? '?')}`;
  return String(k.asymmetricKeyType ?? '?');
}

/** Decodes a DER certificate for display; throws on anything malformed. */
export function describeCertificate(der: Uint8Array): CertificateDescription {
  const info = readCertificate(der);
  const cert = new pkijs.Certificate({ schema: parseDer(info.der, 'Certificate') });
  const ext = (oid: string) => cert.extensions?.find((e) => e.extnID === oid);
  const eku = ext(OID.extKeyUsage)?.parsedValue as pkijs.ExtKeyUsage | undefined;
  const policies = ext(OID.certificatePolicies)?.parsedValue as pkijs.CertificatePolicies | undefined;
  const hex = info.serial.toString(16).toUpperCase();
  return {
    subject: subjectString(info),
    issuer: formatDn(decodeName(parseDer(info.issuerDer, 'issuer'))),
    serialDecimal: info.serial.toString(10),
    serialHex: colonHex(Uint8Array.from(Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex'))),
    notBefore: info.notBefore.toISOString(),
    notAfter: info.notAfter.toISOString(),
    sha256: colonHex(crypto.createHash('sha256').update(info.der).digest()),
    subjectAltNames: info.san.map((n) => `${n.type === 'email' ? 'email' : n.type === 'dns' ? 'DNS' : n.type === 'uri' ? 'URI' : 'IP'}:${n.value}`),
    extendedKeyUsage: (eku?.keyPurposes ?? []).map((oid) => ({ oid, name: EKU_NAMES[oid] ?? oid })),
    keyUsage: keyUsageOf(ext(OID.keyUsage)),
    publicKey: publicKeyText(info.x509),
    signatureAlgorithm: SIGNATURE_NAMES[cert.signatureAlgorithm.algorithmId] ?? cert.signatureAlgorithm.algorithmId,
    policies: (policies?.certificatePolicies ?? []).map((p) => dottedOid(p.policyIdentifier)),
  };
}
