/**
 * The PKCS#10 CSR of a pickup (spec 04 §Pickup page 2, spec 03 §CSR rules): the request DN as the
 * subject — the server ignores it and takes the DN of the request, but a CSR that is inspected
 * should make sense — signed by the new key (proof of possession). Built with pkijs, which the
 * PKCS#12 needs anyway (STACK.md: one library keeps the pickup page's JavaScript small).
 */
import * as asn1js from 'asn1js';
import { CertificationRequest, RelativeDistinguishedNames } from 'pkijs';
import { splitDn } from '$domain/dn.ts';
import { NAME_ATTRIBUTE_OIDS, nameStringType, x500Order } from '$domain/dn-encoding.ts';
import { fromPem, toPem } from './pem.ts';

/**
 * The subject `Name` of a request DN (`CN=…,OU=…,O=…,L=…,ST=…,C=JP`, spec 02 comma rule) in the
 * encoding certificates use (spec 03 §Names, api/domain/dn-encoding.ts). Built with asn1js: pkijs
 * would put every attribute into one multi-valued RDN.
 */
export function subjectOf(dn: string): RelativeDistinguishedNames {
  const attrs = splitDn(dn).attrs;
  if (attrs.length === 0) throw new Error('the request DN has no attributes');
  const rdns = x500Order(attrs).map(({ attr, value }) => {
    const text = nameStringType(attr) === 'printable' ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value });
    return new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: NAME_ATTRIBUTE_OIDS[attr] }), text] })] });
  });
  return RelativeDistinguishedNames.fromBER(new asn1js.Sequence({ value: rdns }).toBER(false));
}

/** The CSR for `keys` with `dn` as its subject, as PEM. */
export async function buildCsr(keys: CryptoKeyPair, dn: string): Promise<string> {
  const csr = new CertificationRequest({ version: 0, subject: subjectOf(dn) });
  await csr.subjectPublicKeyInfo.importKey(keys.publicKey);
  await csr.sign(keys.privateKey, 'SHA-256');
  return toPem(new Uint8Array(csr.toSchema().toBER(false)), 'CERTIFICATE REQUEST');
}

/**
 * DER of the SubjectPublicKeyInfo of a CSR or certificate (PEM), found by position (RFC 5280
 * TBSCertificate: [0] version, serial, signature, issuer, validity, subject, SPKI; RFC 2986
 * CertificationRequestInfo: version, subject, SPKI) with asn1js alone: the pkijs schema classes
 * cost a fresh worker 5–20 ms here, right when the user waits for the file. Anything that is not
 * shaped so gives an empty array, which matches nothing.
 */
function spkiOf(pem: string, label: 'CERTIFICATE' | 'CERTIFICATE REQUEST'): Uint8Array {
  const parsed = asn1js.fromBER(fromPem(pem, label));
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return new Uint8Array();
  const info = parsed.result.valueBlock.value[0];
  if (!(info instanceof asn1js.Sequence)) return new Uint8Array();
  const fields = info.valueBlock.value;
  const versioned = fields[0]?.idBlock.tagClass === 3 && fields[0].idBlock.tagNumber === 0;
  const spki = fields[label === 'CERTIFICATE REQUEST' ? 2 : versioned ? 6 : 5];
  return spki instanceof asn1js.Sequence ? new Uint8Array(spki.valueBeforeDecodeView) : new Uint8Array();
}

/**
 * True when the certificate carries the CSR's public key. Checked before a P12 is built, so a file
 * never pairs a key with somebody else's certificate (STYLE.md: check again where it matters).
 */
export function certificateMatchesCsr(certificatePem: string, csrPem: string): boolean {
  const a = spkiOf(certificatePem, 'CERTIFICATE');
  const b = spkiOf(csrPem, 'CERTIFICATE REQUEST');
  return a.length > 0 && a.length === b.length && a.every((x, i) => x === b[i]);
}

