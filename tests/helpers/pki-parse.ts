/** What revocation tests read out of a served CRL or OCSP response (pkijs; the DER as served). */
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { parseDer } from '../../api/pki/asn1.ts';

export interface CrlInfo {
  readonly crlNumber: bigint;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** Revoked serials, decimal. */
  readonly serials: readonly string[];
}

export function crlInfo(der: Uint8Array): CrlInfo {
  const p = new pkijs.CertificateRevocationList({ schema: parseDer(der, 'CRL') });
  const number = p.crlExtensions!.extensions.find((e) => e.extnID === '2.5.29.20')!;
  return {
    crlNumber: (number.parsedValue as asn1js.Integer).toBigInt(),
    thisUpdate: p.thisUpdate.value,
    nextUpdate: p.nextUpdate!.value,
    serials: (p.revokedCertificates ?? []).map((e) => e.userCertificate.toBigInt().toString(10)),
  };
}

/** thisUpdate/nextUpdate of the single response in a successful OCSP response. */
export function ocspTimes(der: Uint8Array): { thisUpdate: Date; nextUpdate: Date } {
  const resp = new pkijs.OCSPResponse({ schema: parseDer(der, 'OCSPResponse') });
  const basic = new pkijs.BasicOCSPResponse({ schema: parseDer(resp.responseBytes!.response.valueBlock.valueHexView, 'BasicOCSPResponse') });
  const single = basic.tbsResponseData.responses[0]!;
  return { thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate! };
}
