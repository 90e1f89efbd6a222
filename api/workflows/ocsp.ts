/**
 * The OCSP service (spec 03 §Revocation status): status from the database on every request (so
 * several processes agree), responses signed by the delegated responder; nonce-less single-serial
 * responses are cached per (serial, status) inside the responder and re-signed when the status
 * changes or before nextUpdate.
 */
import { statusBySerial } from '../../db/repos/crls.ts';
import { OcspResponder, ocspErrorResponse, ocspRequestFromGetPath, type CertStatus, type OcspAnswer } from '../pki/ocsp.ts';
import type { Services } from '../services.ts';

export type { OcspAnswer };

/** Safety net for a missed notification: a cached status is re-read after this long. */
export const STATUS_TTL_MS = 5_000;

export interface OcspService {
  /** Forgets every cached status (a revocation committed here or in another process). */
  invalidate(): void;
  /** POST body (DER OCSPRequest). */
  respond(der: Uint8Array): Promise<OcspAnswer>;
  /** RFC 5019 GET: the URL-encoded base64 request after `/pki/ocsp/`. */
  respondGet(pathPart: string): Promise<OcspAnswer>;
}

export function createOcspService(s: Services): OcspService {
  // Status per serial, kept briefly: a DB round trip per request would cap throughput far below
  // spec 08's 2,000/s. Revocations clear it at once (signal in this process, NOTIFY across processes).
  const cache = new Map<bigint, { status: CertStatus; until: number }>();
  const read = async (serial: bigint): Promise<CertStatus> => {
    const r = await statusBySerial(s.db, serial.toString(10));
    if (!r || r.state !== 'issued') return { status: 'unknown' };
    if (r.revokedAt) return { status: 'revoked', revokedAt: r.revokedAt, reason: r.reason ?? 0 };
    return { status: 'good' };
  };
  const lookup = async (serial: bigint): Promise<CertStatus> => {
    const now = performance.now();
    const hit = cache.get(serial);
    if (hit && hit.until > now) return hit.status;
    const status = await read(serial);
    if (cache.size > 100_000) cache.clear();
    cache.set(serial, { status, until: now + STATUS_TTL_MS });
    return status;
  };
  const responder = new OcspResponder({ issuer: s.ca.issuer.certificate, signer: () => s.ca.ocspSigner, lookup, clock: s.clock });
  return {
    invalidate: () => cache.clear(),
    respond: (der) => responder.respond(der),
    async respondGet(pathPart) {
      const der = ocspRequestFromGetPath(pathPart);
      return der ? responder.respond(der) : { der: ocspErrorResponse('malformedRequest'), cacheable: false };
    },
  };
}
