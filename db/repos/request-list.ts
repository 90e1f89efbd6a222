/**
 * The officer's uploads and requests (spec 06 §Dashboard: Requests — every upload and its rows with
 * their state, PIN/pickup URL expiry, who picked up when). Newest first, one institution only.
 */
import { aliasedTable, and, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { certificates, officers, requests, uploads, urlTokens } from '../schema/index.ts';
import type { RequestState } from '../../api/domain/request-state.ts';

const pinUrl = aliasedTable(urlTokens, 'pin_url');
const pickupUrl = aliasedTable(urlTokens, 'pickup_url');

export interface RequestListQuery {
  readonly institutionId: number;
  readonly uploadId?: number;
  readonly requestId?: number;
  /** Stored states to select (`ready` stands for `issuing` too — the caller expands it). */
  readonly states?: readonly RequestState[];
  /** Part of the DN (CN, OUs), the user's name or mail, case-insensitive. */
  readonly contains?: string;
  readonly offset: number;
  readonly limit: number;
}

const REQUEST_COLUMNS = {
  r: requests,
  pinExpiresAt: pinUrl.expiresAt,
  pinState: pinUrl.state,
  pickupExpiresAt: pickupUrl.expiresAt,
  pickupState: pickupUrl.state,
  serial: certificates.serial,
};

export type RequestListRow = {
  readonly r: typeof requests.$inferSelect;
  readonly pinExpiresAt: Date | null;
  readonly pinState: string | null;
  readonly pickupExpiresAt: Date | null;
  readonly pickupState: string | null;
  readonly serial: string | null;
};

function likeContains(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}

function conditions(q: RequestListQuery): SQL {
  const c: SQL[] = [eq(requests.institutionId, q.institutionId), inArray(requests.kind, ['issue', 'renew'])];
  if (q.uploadId !== undefined) c.push(eq(requests.uploadId, q.uploadId));
  if (q.requestId !== undefined) c.push(eq(requests.id, q.requestId));
  if (q.states !== undefined) c.push(inArray(requests.state, q.states as RequestState[]));
  if (q.contains) {
    const p = likeContains(q.contains);
    c.push(or(ilike(requests.dn, p), ilike(requests.userName, p), ilike(requests.userMail, p))!);
  }
  return and(...c)!;
}

/** One page of requests with their URLs and certificate serial, and the number matching. */
export async function listRequests(db: Queryable, q: RequestListQuery): Promise<{ rows: RequestListRow[]; total: number }> {
  const where = conditions(q);
  const [rows, [count]] = await Promise.all([
    db
      .select(REQUEST_COLUMNS)
      .from(requests)
      .leftJoin(pinUrl, eq(pinUrl.id, requests.pinUrlId))
      .leftJoin(pickupUrl, eq(pickupUrl.id, requests.pickupUrlId))
      .leftJoin(certificates, and(eq(certificates.requestId, requests.id), eq(certificates.state, 'issued')))
      .where(where)
      .orderBy(desc(requests.id))
      .limit(q.limit)
      .offset(q.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(requests).where(where),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

const UPLOAD_COLUMNS = {
  id: uploads.id, kind: uploads.kind, mode: uploads.mode, fileName: uploads.fileName, lang: uploads.lang, lines: uploads.lines,
  registered: uploads.registered, rejected: uploads.rejected, createdAt: uploads.createdAt, officerName: officers.name, officerEmail: officers.email,
};

export type UploadListRow = {
  readonly id: number;
  readonly kind: 'issue' | 'renew' | 'revoke' | 'admin';
  readonly mode: 'abort' | 'valid-only';
  readonly fileName: string;
  readonly lang: 'ja' | 'en';
  readonly lines: number;
  readonly registered: number;
  readonly rejected: number;
  readonly createdAt: Date;
  readonly officerName: string | null;
  readonly officerEmail: string | null;
};

/** One page of the institution's uploads (without their result tables), newest first. */
export async function listUploads(db: Queryable, institutionId: number, offset: number, limit: number): Promise<{ rows: UploadListRow[]; total: number }> {
  const where = eq(uploads.institutionId, institutionId);
  const [rows, [count]] = await Promise.all([
    db.select(UPLOAD_COLUMNS).from(uploads).leftJoin(officers, eq(officers.id, uploads.officerId)).where(where).orderBy(desc(uploads.id)).limit(limit).offset(offset),
    db.select({ n: sql<number>`count(*)::int` }).from(uploads).where(where),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

/** One upload of the institution with its stored result table; null when absent or foreign. */
export async function uploadWithResult(db: Queryable, institutionId: number, id: number): Promise<(UploadListRow & { result: unknown }) | null> {
  const [r] = await db
    .select({ ...UPLOAD_COLUMNS, result: uploads.result })
    .from(uploads)
    .leftJoin(officers, eq(officers.id, uploads.officerId))
    .where(and(eq(uploads.id, id), eq(uploads.institutionId, institutionId)));
  return r ?? null;
}
