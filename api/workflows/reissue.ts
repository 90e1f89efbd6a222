/**
 * Officer actions on unfinished requests (spec 01 §Lifetimes): re-issue URLs (new PIN, new URLs, old
 * ones dead — for P12一括 per user-administrator group) and cancel. Never once a certificate exists.
 */
import { findRequest, retireUrlToken, requestsByUrl, transitionRequests, type RequestRow } from '../../db/repos/requests.ts';
import { findInstitutionById } from '../../db/repos/institutions.ts';
import { enqueueMails } from '../../db/repos/outbox.ts';
import { readSettings } from '../../db/repos/settings.ts';
import type { Queryable } from '../../db/client.ts';
import { canTransition } from '../domain/request-state.ts';
import { appendAudit } from '../audit/audit.ts';
import { HakkoError } from '../errors.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';
import type { Services } from '../services.ts';
import { mailHost } from './enroll-officer.ts';
import { assignUrls } from './request-urls.ts';

/** Re-issue and cancel apply to requests an officer uploaded (issue and renew TSVs), never to enrollments. */
function isTsvRequest(r: RequestRow): boolean {
  return r.uploadId !== null && r.institutionId !== null && (r.kind === 'issue' || r.kind === 'renew');
}

/** The request's group: itself, or for method 2 every live row sharing its pickup URL. */
async function groupOf(tx: Queryable, officer: AuthenticatedOfficer, id: number): Promise<RequestRow[]> {
  const req = Number.isSafeInteger(id) ? await findRequest(tx, id) : null;
  if (!req || !isTsvRequest(req) || req.institutionId !== officer.institutionId) throw new HakkoError('NOT_FOUND');
  if (req.method !== 2 || req.pickupUrlId === null) return [req];
  return (await requestsByUrl(tx, 'pickup', req.pickupUrlId)).filter((r) => r.state !== 'cancelled');
}

/** Kills URL tokens that no live request of another group still uses. */
async function retireUrls(tx: Queryable, rows: readonly RequestRow[], state: 'reissued' | 'cancelled', now: Date): Promise<void> {
  const ids = new Set(rows.map((r) => r.id));
  const urls: [('pin' | 'pickup'), number][] = [];
  for (const r of rows) {
    if (r.pinUrlId !== null) urls.push(['pin', r.pinUrlId]);
    if (r.pickupUrlId !== null) urls.push(['pickup', r.pickupUrlId]);
  }
  const seen = new Set<number>();
  for (const [purpose, urlId] of urls) {
    if (seen.has(urlId)) continue;
    seen.add(urlId);
    const others = (await requestsByUrl(tx, purpose, urlId)).filter((o) => !ids.has(o.id) && o.state !== 'cancelled');
    if (others.length === 0) await retireUrlToken(tx, urlId, state, now);
  }
}

export async function reissueUrls(s: Services, officer: AuthenticatedOfficer, requestId: number): Promise<{ requests: string[] }> {
  const now = s.clock.now();
  const done = await s.db.transaction(async (tx) => {
    const rows = await groupOf(tx, officer, requestId);
    if (!rows.every((r) => canTransition(r.state, 'reissue'))) throw new HakkoError('ALREADY_ISSUED');
    await retireUrls(tx, rows, 'reissued', now);
    const ids = rows.map((r) => r.id);
    if ((await transitionRequests(tx, ids, 'reissue', now)).length !== ids.length) throw new HakkoError('CONFLICT');
    const settings = await readSettings(tx);
    const inst = (await findInstitutionById(tx, rows[0]!.institutionId!))!;
    // A method-2 PIN notice goes to the officer who re-issues (the uploader may be gone, issue 9).
    const ctx = { s, now, pinDays: settings['pin.urlDays'], pickupDays: settings['pickup.urlDays'], institution: inst, uploader: { name: officer.name, email: officer.email }, reissued: true };
    const mails = await assignUrls(tx, ctx, rows);
    await enqueueMails(tx, now, mailHost(s.config.mailFrom), mails);
    await appendAudit(tx, now, [{ actor: `cert:${officer.certSerial}`, institutionId: inst.id, action: 'request.reissue', object: `request:${requestId}`, details: { requests: ids.map(String) } }]);
    return { requests: ids.map(String) };
  });
  s.signals.mailQueued();
  return done;
}

export async function cancelRequest(s: Services, officer: AuthenticatedOfficer, requestId: number): Promise<{ requests: string[] }> {
  const now = s.clock.now();
  return s.db.transaction(async (tx) => {
    const req = Number.isSafeInteger(requestId) ? await findRequest(tx, requestId) : null;
    // TSV requests only (issue 9): an officer's enrollment is the operator's to cancel.
    if (!req || !isTsvRequest(req) || req.institutionId !== officer.institutionId) throw new HakkoError('NOT_FOUND');
    if (!canTransition(req.state, 'cancel')) throw new HakkoError('ALREADY_ISSUED');
    await retireUrls(tx, [req], 'cancelled', now);
    if ((await transitionRequests(tx, [req.id], 'cancel', now, { pinEnc: null })).length !== 1) throw new HakkoError('CONFLICT');
    await appendAudit(tx, now, [{ actor: `cert:${officer.certSerial}`, institutionId: req.institutionId, action: 'request.cancel', object: `request:${req.id}` }]);
    return { requests: [String(req.id)] };
  });
}
