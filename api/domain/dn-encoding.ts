/**
 * How a request DN becomes an X.501 `Name` (spec 03 §Names): the certificate lists the attributes
 * in X.500 order — the request DN (most specific first, as the TSV writes it) reversed — one
 * attribute per RDN, C as a PrintableString and every other value as a UTF8String. Pure rules; the
 * encoders apply them with asn1js: the server's certificates (api/pki/names.ts) and the browser's
 * CSR (web/lib/crypto/csr.ts).
 */
import type { DnAttr } from './errors/format.ts';

/** X.520 attribute type OIDs of the request DN's attributes. */
export const NAME_ATTRIBUTE_OIDS: Readonly<Record<DnAttr, string>> = {
  CN: '2.5.4.3',
  OU: '2.5.4.11',
  O: '2.5.4.10',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  C: '2.5.4.6',
};

/** The ASN.1 string type of an attribute's value. */
export function nameStringType(attr: DnAttr): 'printable' | 'utf8' {
  return attr === 'C' ? 'printable' : 'utf8';
}

/** The order of the RDNs in a `Name`: the request DN's attributes reversed (C first, CN last). */
export function x500Order<T>(attrs: readonly T[]): T[] {
  return [...attrs].reverse();
}
