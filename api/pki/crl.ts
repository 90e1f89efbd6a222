/**
 * Certificate revocation lists (RFC 5280 §5; spec 03 §Revocation status): one v2 CRL per CA with
 * thisUpdate, nextUpdate (default 7 days later), a cRLNumber and the AKI, signed by the CA's Signer.
 * Served as DER and as PEM with the `X509 CRL` label (OpenSSL rejects `BEGIN CRL`).
 *
 * Built with asn1js; each revoked entry's encoding is cached (keyed by serial, time and reason) so
 * that re-issuing a CRL after every revocation stays fast when it holds many entries.
 */
import * as asn1js from 'asn1js';
import { encoded, toDer, type Bytes } from './asn1.ts';
import { authorityKeyIdentifier, extension } from './extensions.ts';
import { algorithmIdentifier } from './keys.ts';
import { OID } from './oids.ts';
import { toPem } from './pem.ts';
import { PkiError } from './errors.ts';
import type { CertInfo } from './certificate.ts';
import type { Signer } from './signer.ts';

/** RFC 5280 §5.3.1 CRLReason codes Hakko writes (spec 02 §Value rules: 0, 1, 3, 4, 5). */
export type CrlReason = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 8 | 9 | 10;

export interface RevokedEntry {
  readonly serial: bigint;
  readonly revokedAt: Date;
  readonly reason: CrlReason;
}

export interface CrlInput {
  /** The CA: its signer and certificate (an `Issuer` fits). */
  readonly ca: { readonly signer: Signer; readonly certificate: CertInfo };
  readonly entries: readonly RevokedEntry[];
  readonly thisUpdate: Date;
  /** Default: thisUpdate + 7 days (spec 03). */
  readonly nextUpdate?: Date;
  /** Monotonically increasing per CA (the caller stores the last one). */
  readonly crlNumber: bigint;
}

export interface BuiltCrl {
  readonly der: Bytes;
  readonly pem: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
}

export const CRL_VALIDITY_MS = 7 * 86_400_000;

/** Builds and signs a CRL. Entries are written sorted by serial (stable output for equal input). */
export async function buildCrl(input: CrlInput): Promise<BuiltCrl> {
  if (input.crlNumber < 0n || input.crlNumber >= 1n << 159n) throw new PkiError('BAD_INPUT', 'cRLNumber must be 0 … 2^159 (RFC 5280 §5.2.3: at most 20 octets)');
  const thisUpdate = whole(input.thisUpdate);
  const nextUpdate = whole(input.nextUpdate ?? new Date(thisUpdate.getTime() + CRL_VALIDITY_MS));
  const sigAlg = algorithmIdentifier(input.ca.signer.algorithm);
  const sorted = [...input.entries].sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
  const fields: asn1js.BaseBlock[] = [
    new asn1js.Integer({ value: 1 }), // v2
    encoded(sigAlg),
    encoded(input.ca.certificate.subjectDer),
    timeNode(thisUpdate),
    timeNode(nextUpdate),
  ];
  // An empty revokedCertificates must be omitted, not written as an empty SEQUENCE (RFC 5280 §5.1.2.6).
  if (sorted.length) fields.push(new asn1js.Sequence({ value: sorted.map((e) => encoded(entryDer(e))) }));
  const crlNumber = extension(OID.cRLNumber, false, asn1js.Integer.fromBigInt(input.crlNumber));
  fields.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Sequence({ value: [encoded(authorityKeyIdentifier(input.ca.certificate.keyId)), encoded(crlNumber)] })] }));
  const tbs = toDer(new asn1js.Sequence({ value: fields }));
  const signature = await input.ca.signer.sign(tbs);
  const der = toDer(new asn1js.Sequence({ value: [encoded(tbs), encoded(sigAlg), new asn1js.BitString({ valueHex: signature })] }));
  return { der, pem: toPem(der, 'X509 CRL'), thisUpdate, nextUpdate };
}

const entryCache = new Map<string, Bytes>();

/** `SEQUENCE { userCertificate, revocationDate, crlEntryExtensions }`; reasonCode omitted for 0 (RFC 5280 §5.3.1). */
function entryDer(e: RevokedEntry): Bytes {
  const at = whole(e.revokedAt);
  const key = `${e.serial}:${at.getTime()}:${e.reason}`;
  let d = entryCache.get(key);
  if (!d) {
    const value: asn1js.BaseBlock[] = [asn1js.Integer.fromBigInt(e.serial), timeNode(at)];
    if (e.reason !== 0) value.push(new asn1js.Sequence({ value: [encoded(extension(OID.reasonCode, false, new asn1js.Enumerated({ value: e.reason })))] }));
    d = toDer(new asn1js.Sequence({ value }));
    if (entryCache.size >= 500_000) entryCache.clear();
    entryCache.set(key, d);
  }
  return d;
}

function timeNode(d: Date): asn1js.BaseBlock {
  return d.getUTCFullYear() < 2050 ? new asn1js.UTCTime({ valueDate: d }) : new asn1js.GeneralizedTime({ valueDate: d });
}

function whole(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}
