/**
 * The officer's certificate list and lookups (spec 06 §API `GET /api/officer/certificates`,
 * §Dashboard: search by CN, mail, serial, OU and state; fast at 100,000 certificates per
 * institution). Newest first on `certificates_list`; the search on the trigram-indexed `search`
 * column; the state filters on partial indexes or the `not_after` index. Scoped to one institution.
 */
import { and, desc, eq, gt, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { certificates, requests } from '../schema/index.ts';

export type CertificateFilter = 'valid' | 'revoked' | 'expired' | 'awaiting-revocation';

export interface CertificateListQuery {
  readonly institutionId: number;
  /** Lower-cased part of the CN, an OU, the mail or the decimal serial. */
  readonly contains?: string;
  /** An exact serial (decimal), from a search that looked like a hex serial. */
  readonly serial?: string;
  readonly state?: CertificateFilter;
  readonly now: Date;
  readonly offset: number;
  readonly limit: number;
}

/** The columns a list row and the detail page show. */
const LIST_COLUMNS = {
  id: certificates.id,
  serial: certificates.serial,
  requestDn: certificates.requestDn,
  profile: certificates.profile,
  userMail: certificates.userMail,
  userName: requests.userName,
  notBefore: certificates.notBefore,
  notAfter: certificates.notAfter,
  issuedAt: certificates.issuedAt,
  revokedAt: certificates.revokedAt,
  revocationReason: certificates.revocationReason,
  revocationComment: certificates.revocationComment,
  renewedBy: certificates.renewedBy,
  renewalOf: certificates.renewalOf,
  requestId: certificates.requestId,
};

export interface CertificateListRow {
  readonly id: number;
  readonly serial: string;
  readonly requestDn: string;
  readonly profile: number | null;
  readonly userMail: string | null;
  readonly userName: string | null;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly issuedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly revocationReason: number | null;
  readonly revocationComment: string | null;
  readonly renewedBy: string | null;
  readonly renewalOf: string | null;
  readonly requestId: number | null;
}

/** `%`, `_` and `\` stand for themselves in a LIKE pattern. */
function likeContains(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}

/** The subscriber certificates of the institution that the query selects (spec 01 §States). */
function conditions(q: Omit<CertificateListQuery, 'offset' | 'limit'>): SQL {
  const c: SQL[] = [eq(certificates.institutionId, q.institutionId), eq(certificates.kind, 'subscriber'), eq(certificates.state, 'issued')];
  if (q.state === 'valid') c.push(isNull(certificates.revokedAt), gt(certificates.notAfter, q.now));
  if (q.state === 'expired') c.push(isNull(certificates.revokedAt), lte(certificates.notAfter, q.now));
  if (q.state === 'revoked') c.push(isNotNull(certificates.revokedAt));
  if (q.state === 'awaiting-revocation') c.push(isNull(certificates.revokedAt), isNotNull(certificates.renewedBy), gt(certificates.notAfter, q.now));
  if (q.serial !== undefined && q.contains !== undefined) c.push(sql`(${certificates.serial} = ${q.serial}::numeric or ${certificates.search} like ${likeContains(q.contains)})`);
  else if (q.serial !== undefined) c.push(eq(certificates.serial, q.serial));
  else if (q.contains !== undefined && q.contains !== '') c.push(sql`${certificates.search} like ${likeContains(q.contains)}`);
  return and(...c)!;
}

/** One page of the list, newest first, and the number of matching certificates. */
export async function listCertificates(db: Queryable, q: CertificateListQuery): Promise<{ rows: CertificateListRow[]; total: number }> {
  const where = conditions(q);
  const [rows, [count]] = await Promise.all([
    db.select(LIST_COLUMNS).from(certificates).leftJoin(requests, eq(requests.id, certificates.requestId)).where(where).orderBy(desc(certificates.id)).limit(q.limit).offset(q.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(certificates).where(where),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

/** A subscriber certificate of the institution by serial, with its DER and CSR; null when absent or foreign. */
export async function institutionCertificate(db: Queryable, institutionId: number, serial: string) {
  const [r] = await db
    .select({ ...LIST_COLUMNS, der: certificates.der, csrDer: certificates.csrDer })
    .from(certificates)
    .leftJoin(requests, eq(requests.id, certificates.requestId))
    .where(and(eq(certificates.ca, 'issuing'), eq(certificates.serial, serial), eq(certificates.institutionId, institutionId), eq(certificates.kind, 'subscriber'), eq(certificates.state, 'issued')));
  return r ?? null;
}

const STORED = (institutionId: number, afterId: number) =>
  and(eq(certificates.institutionId, institutionId), eq(certificates.kind, 'subscriber'), eq(certificates.state, 'issued'), gt(certificates.id, afterId));

/** A batch of the institution's certificates after `afterId` with their DER or CSR, by id (the ZIP download streams these). */
export async function certificateFilesAfter(db: Queryable, institutionId: number, afterId: number, limit: number, file: 'der' | 'csrDer') {
  return db
    .select({ id: certificates.id, serial: certificates.serial, requestDn: certificates.requestDn, bytes: certificates[file] })
    .from(certificates)
    .where(STORED(institutionId, afterId))
    .orderBy(certificates.id)
    .limit(limit);
}

/** A batch of the institution's certificates after `afterId` with their user and user administrator, by id. */
export async function administratorsAfter(db: Queryable, institutionId: number, afterId: number, limit: number) {
  return db
    .select({
      id: certificates.id, serial: certificates.serial, requestDn: certificates.requestDn, userMail: certificates.userMail, userName: requests.userName,
      adminName: requests.adminName, adminAffiliation: requests.adminAffiliation, adminMail: requests.adminMail,
      revokedAt: certificates.revokedAt, notAfter: certificates.notAfter, renewedBy: certificates.renewedBy,
    })
    .from(certificates)
    .leftJoin(requests, eq(requests.id, certificates.requestId))
    .where(STORED(institutionId, afterId))
    .orderBy(certificates.id)
    .limit(limit);
}
