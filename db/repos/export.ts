/** The rows of an institution's certificate information file (spec 02 §E). */
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { certificates, requests, urlTokens } from '../schema/index.ts';
import type { InfoFileRow } from '../../api/domain/tsv/info-file.ts';

/**
 * The subscriber requests (formats A and B) of the institution after request id `after`, at most
 * `limit`, each with its certificate once that is stored (a reservation is not one: the row then
 * shows the request's state) and its pickup URL's expiry; ordered by request id — a request has at
 * most one certificate (`certificates_request`), so certificates come in the order they were
 * requested. Read in batches (keyset), so that a download of 100,000 rows never holds them all
 * (spec 06 §Dashboard). Scoped to the institution on both the request and the certificate.
 */
export async function infoFileRows(db: Queryable, institutionId: number, after = 0, limit = 2000): Promise<InfoFileRow[]> {
  const rows = await db
    .select({
      r: {
        id: requests.id, kind: requests.kind, state: requests.state, dn: requests.dn, profile: requests.profile, method: requests.method,
        createdAt: requests.createdAt, adminName: requests.adminName, adminAffiliation: requests.adminAffiliation, adminMail: requests.adminMail,
        userName: requests.userName, userAffiliation: requests.userAffiliation, p12FileName: requests.p12FileName, userMail: requests.userMail,
        renewalOf: requests.renewalOf, uploadId: requests.uploadId, pinRetrievedAt: requests.pinRetrievedAt, confirmedAt: requests.confirmedAt,
      },
      c: {
        serial: certificates.serial, der: certificates.der, notBefore: certificates.notBefore, notAfter: certificates.notAfter,
        issuedAt: certificates.issuedAt, revokedAt: certificates.revokedAt, revocationReason: certificates.revocationReason,
        revocationComment: certificates.revocationComment, renewedBy: certificates.renewedBy,
      },
      pickupExpiresAt: urlTokens.expiresAt,
    })
    .from(requests)
    .leftJoin(
      certificates,
      and(eq(certificates.requestId, requests.id), eq(certificates.ca, 'issuing'), eq(certificates.state, 'issued'), eq(certificates.institutionId, institutionId)),
    )
    .leftJoin(urlTokens, eq(urlTokens.id, requests.pickupUrlId))
    .where(and(eq(requests.institutionId, institutionId), inArray(requests.kind, ['issue', 'renew']), gt(requests.id, after)))
    .orderBy(asc(requests.id))
    .limit(limit);
  return rows.map(({ r, c, pickupExpiresAt }) => ({
    requestId: r.id,
    kind: r.kind as 'issue' | 'renew',
    state: r.state,
    dn: r.dn,
    profile: r.profile,
    method: r.method,
    requestedAt: r.createdAt,
    adminName: r.adminName,
    adminAffiliation: r.adminAffiliation,
    adminMail: r.adminMail,
    userName: r.userName,
    userAffiliation: r.userAffiliation,
    p12FileName: r.p12FileName,
    userMail: r.userMail,
    renewalOf: r.renewalOf,
    uploadId: r.uploadId,
    pinRetrievedAt: r.pinRetrievedAt,
    pickedUpAt: r.confirmedAt,
    pickupUrlExpiresAt: pickupExpiresAt,
    certificate: c?.serial != null && c.der != null && c.notBefore != null && c.notAfter != null
      ? {
        serial: c.serial, der: c.der, notBefore: c.notBefore, notAfter: c.notAfter, issuedAt: c.issuedAt, revokedAt: c.revokedAt,
        revocationReason: c.revocationReason, revocationComment: c.revocationComment, renewedBy: c.renewedBy,
      }
      : null,
  }));
}
