/**
 * The officer's uploads and requests (spec 06 §Dashboard: Requests): every upload with its result
 * table, and the requests with their state, PIN and pickup URL expiry, and when they were picked up.
 * Re-issue and cancel are `reissue.ts`. Own institution only.
 */
import { listRequests, listUploads, uploadWithResult, type RequestListRow, type UploadListRow } from '../../db/repos/request-list.ts';
import type { RequestItemJson, RequestListJson, RequestQueryInput, UploadDetailJson, UploadListJson, UploadSummaryJson } from '../domain/api/officer.ts';
import { canTransition, publicState, type RequestState } from '../domain/request-state.ts';
import { HakkoError } from '../errors.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';
import type { Services } from '../services.ts';
import { institutionOf, pageOffset } from './officer-scope.ts';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** A request row as the API shows it; a URL's expiry only while the URL still works. */
export function toRequestItem(row: RequestListRow): RequestItemJson {
  const r = row.r;
  return {
    id: String(r.id), uploadId: r.uploadId === null ? null : String(r.uploadId), seq: r.seq, kind: r.kind as 'issue' | 'renew', state: publicState(r.state),
    dn: r.dn, profile: r.profile, method: r.method,
    user: { name: r.userName, affiliation: r.userAffiliation, mail: r.userMail },
    admin: { name: r.adminName, affiliation: r.adminAffiliation, mail: r.adminMail },
    renewalOf: r.renewalOf, createdAt: r.createdAt.toISOString(),
    pinUrlExpiresAt: row.pinState === 'active' ? iso(row.pinExpiresAt) : null,
    pickupUrlExpiresAt: row.pickupState === 'active' ? iso(row.pickupExpiresAt) : null,
    pinRetrievedAt: iso(r.pinRetrievedAt), issuedAt: iso(r.issuedAt), pickedUpAt: iso(r.confirmedAt), serial: row.serial,
    canReissue: canTransition(r.state, 'reissue'), canCancel: canTransition(r.state, 'cancel'),
  };
}

/** `GET /api/officer/requests`: newest first; `ready` includes the internal `issuing`. */
export async function officerRequests(s: Services, officer: AuthenticatedOfficer, q: RequestQueryInput): Promise<RequestListJson> {
  const states: RequestState[] | undefined = q.state === undefined ? undefined : q.state === 'ready' ? ['ready', 'issuing'] : [q.state];
  const { rows, total } = await listRequests(s.db, {
    institutionId: institutionOf(officer), offset: pageOffset(q.page, q.size), limit: q.size,
    ...(q.upload === undefined ? {} : { uploadId: Number(q.upload) }),
    ...(states === undefined ? {} : { states }),
    ...(q.q ? { contains: q.q } : {}),
  });
  return { items: rows.map(toRequestItem), total, page: q.page, size: q.size };
}

function toUploadSummary(u: UploadListRow): UploadSummaryJson {
  return {
    id: String(u.id), kind: u.kind, mode: u.mode, fileName: u.fileName, lang: u.lang, lines: u.lines, registered: u.registered, rejected: u.rejected,
    createdAt: u.createdAt.toISOString(), officer: u.officerName === null ? null : { name: u.officerName, email: u.officerEmail ?? '' },
  };
}

/** `GET /api/officer/uploads`: newest first, without their result tables. */
export async function officerUploads(s: Services, officer: AuthenticatedOfficer, q: { page: number; size: number }): Promise<UploadListJson> {
  const { rows, total } = await listUploads(s.db, institutionOf(officer), pageOffset(q.page, q.size), q.size);
  return { items: rows.map(toUploadSummary), total, page: q.page, size: q.size };
}

interface StoredResult {
  readonly fileProblems?: readonly { message: string }[];
  readonly rows?: UploadDetailJson['rows'];
}

/** `GET /api/officer/uploads/{id}`: the upload and its result table as recorded (spec 06 §Dashboard: Upload). */
export async function officerUpload(s: Services, officer: AuthenticatedOfficer, id: string): Promise<UploadDetailJson> {
  const u = await uploadWithResult(s.db, institutionOf(officer), Number(id));
  if (!u) throw new HakkoError('NOT_FOUND');
  const result = u.result as StoredResult;
  return { ...toUploadSummary(u), fileProblems: (result.fileProblems ?? []).map((p) => p.message), rows: [...(result.rows ?? [])] };
}
