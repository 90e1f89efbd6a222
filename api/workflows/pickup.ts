/**
 * The pickup URL (spec 04 §Pickup page, §HTTP API): what the page shows, PIN verification with
 * lockout (spec 01 §Lifetimes), the PINs a bulk page needs, and the "saved" confirmation that closes
 * the URL and queues the pickup notification. Signing the CSR is `issue-certificate.ts`.
 */
import { closeUrlToken, countFailedAttempt, institutionOfRequest, requestsByUrl, transitionRequests, updateRequests, type RequestRow, type UrlTokenRow } from '../../db/repos/requests.ts';
import { readSettings } from '../../db/repos/settings.ts';
import type { Queryable } from '../../db/client.ts';
import { publicState } from '../domain/request-state.ts';
import type { PickupInfo } from '../domain/pickup-api.ts';
import { appendAudit } from '../audit/audit.ts';
import { HakkoError } from '../errors.ts';
import { decryptPin, pinMatches } from '../secrets/pin.ts';
import type { Services } from '../services.ts';
import { openUrlToken } from './url-token.ts';
import { pinAad } from './retrieve-pin.ts';
import { activateOfficer, completionMails } from './pickup-completed.ts';

export type { PickupInfo } from '../domain/pickup-api.ts';

/** Live rows of a pickup URL; 409 before the PIN retrieval; 423 when locked. */
export async function openPickup(db: Queryable, token: string, now: Date, opts: { lock?: boolean } = {}): Promise<{ url: UrlTokenRow; rows: RequestRow[] }> {
  const url = await openUrlToken(db, 'pickup', token, now, opts);
  const rows = (await requestsByUrl(db, 'pickup', url.id)).filter((r) => r.state !== 'cancelled');
  if (rows.length === 0) throw new HakkoError('CANCELLED');
  if (rows.some((r) => r.state === 'pin-pending')) throw new HakkoError('PIN_NOT_RETRIEVED');
  if (rows.some((r) => r.state === 'locked')) throw new HakkoError('LOCKED');
  if (rows.every((r) => r.state === 'expired')) throw new HakkoError('EXPIRED');
  return { url, rows };
}

export async function pickupInfo(s: Services, token: string): Promise<PickupInfo> {
  const { url, rows } = await openPickup(s.db, token, s.clock.now());
  const first = rows[0]!;
  const inst = await institutionOfRequest(s.db, first);
  const kind = first.kind === 'officer' || first.kind === 'operator' ? first.kind : 'user';
  return {
    kind,
    method: first.method,
    keyAlgorithm: kind === 'user' ? (inst?.keyAlgorithm ?? 'RSA-2048') : 'RSA-2048',
    expiresAt: url.expiresAt.toISOString(),
    institution: inst ? { code: inst.code, ja: inst.nameJa, en: inst.nameEn } : null,
    rows: rows.map((r) => ({ id: String(r.id), dn: r.dn, profile: kind === 'user' ? r.profile : null, name: r.userName, mail: r.userMail, p12FileName: r.p12FileName, state: publicState(r.state) })),
  };
}

/**
 * Checks the access PIN of an individual pickup (methods 1 and 3, enrollment). A wrong PIN counts
 * against the URL; the 5th (`pin.maxAttempts`) wrong PIN locks a `ready` request. After issuance a
 * wrong PIN is refused but the request stays `issued` (spec 04: the remedy is revocation).
 */
export async function verifyPin(s: Services, token: string, pin: unknown): Promise<{ url: UrlTokenRow; rows: RequestRow[] }> {
  const now = s.clock.now();
  const max = (await readSettings(s.db))['pin.maxAttempts'];
  const outcome = await s.db.transaction(async (tx) => {
    const { url, rows } = await openPickup(tx, token, now, { lock: true });
    const req = rows[0]!;
    if (req.method === 2) throw new HakkoError('BAD_REQUEST');
    if (typeof pin === 'string' && pin.length <= 64 && req.pinHash && pinMatches(s.keys, pin, req.pinHash)) return { ok: true as const, url, rows };
    const failures = await countFailedAttempt(tx, url.id);
    const left = Math.max(0, max - failures);
    if (req.state === 'ready' && left === 0) {
      await transitionRequests(tx, [req.id], 'lock', now);
      await appendAudit(tx, now, [{ actor: 'pickup-url', institutionId: req.institutionId, action: 'request.locked', object: `request:${req.id}`, details: { failures } }]);
      return { ok: false as const, locked: true, left };
    }
    return { ok: false as const, locked: false, left: req.state === 'ready' ? left : undefined };
  });
  if (outcome.ok) return { url: outcome.url, rows: outcome.rows };
  if (outcome.locked) throw new HakkoError('LOCKED');
  throw new HakkoError('WRONG_PIN', { extra: outcome.left === undefined ? {} : { attemptsLeft: outcome.left } });
}

/** Method 2: the PINs the bulk page encrypts each P12 with (spec 04 §PKCS#12 contents). */
export async function bulkPins(s: Services, token: string): Promise<{ pins: { id: string; pin: string }[] }> {
  const { rows } = await openPickup(s.db, token, s.clock.now());
  if (rows[0]!.method !== 2) throw new HakkoError('BAD_REQUEST');
  return {
    pins: rows
      .filter((r) => r.state !== 'expired')
      .map((r) => {
        if (!r.pinEnc) throw new Error(`request ${r.id} has no escrowed PIN`);
        return { id: String(r.id), pin: decryptPin(s.keys.pinEnc, r.pinEnc, pinAad(r.id)) };
      }),
  };
}

/** "I have saved the file": closes the URL, erases escrowed PINs, queues the pickup notification. */
export async function confirmPickup(s: Services, token: string, pin: unknown): Promise<void> {
  const now = s.clock.now();
  const first = await openPickup(s.db, token, now);
  if (first.rows[0]!.method !== 2) await verifyPin(s, token, pin);
  await s.db.transaction(async (tx) => {
    const { url, rows } = await openPickup(tx, token, now, { lock: true });
    const liveRows = rows.filter((r) => r.state !== 'expired');
    if (liveRows.some((r) => r.state !== 'issued')) throw new HakkoError('NOT_ISSUED');
    const ids = liveRows.map((r) => r.id);
    const moved = await transitionRequests(tx, ids, 'confirm', now, { confirmedAt: now, pinEnc: null });
    if (moved.length !== ids.length || !(await closeUrlToken(tx, url.id, 'used', now))) throw new HakkoError('CONFLICT');
    await updateRequests(tx, ids, { pinEnc: null });
    const kind = liveRows[0]!.kind;
    if (kind === 'officer' || kind === 'operator') await activateOfficer(tx, liveRows[0]!);
    else await completionMails(s, tx, liveRows, now, true);
    await appendAudit(tx, now, [{ actor: 'pickup-url', institutionId: liveRows[0]!.institutionId, action: 'pickup.confirmed', object: `pickup-url:${url.id}`, details: { requests: ids.map(String) } }]);
  });
  s.signals.mailQueued();
}
