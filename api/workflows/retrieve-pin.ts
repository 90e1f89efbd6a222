/**
 * The PIN URL (spec 04 §PIN URL page): shows what the PIN is for, then reveals the PIN(s) once. After
 * the retrieval the URL is dead and the pickup URL(s) become active; for methods 1 and 3 the
 * escrowed PIN copy is erased (method 2 keeps it until the group's bulk pickup is confirmed).
 */
import { closeUrlToken, earliestExpiry, institutionOfRequest, requestsByUrl, transitionRequests, updateRequests, type RequestRow } from '../../db/repos/requests.ts';
import { appendAudit } from '../audit/audit.ts';
import { HakkoError } from '../errors.ts';
import { decryptPin } from '../secrets/pin.ts';
import type { Services } from '../services.ts';
import type { PinInfo, RetrievedPin } from '../domain/pickup-api.ts';
import { openUrlToken } from './url-token.ts';

export type { PinInfo, RetrievedPin } from '../domain/pickup-api.ts';

/** AES-GCM additional data binding an escrowed PIN to its request. */
export const pinAad = (requestId: number) => `hakko-pin:request:${requestId}`;

const live = (rows: RequestRow[]) => rows.filter((r) => r.state !== 'cancelled');

export async function pinInfo(s: Services, token: string): Promise<PinInfo> {
  const url = await openUrlToken(s.db, 'pin', token, s.clock.now());
  const rows = live(await requestsByUrl(s.db, 'pin', url.id));
  if (rows.length === 0) throw new HakkoError('CANCELLED');
  const inst = await institutionOfRequest(s.db, rows[0]!);
  const expires = await earliestExpiry(s.db, rows.map((r) => r.pickupUrlId).filter((x): x is number => x !== null));
  return {
    method: rows[0]!.method,
    count: rows.length,
    institution: { code: inst?.code ?? '', ja: inst?.nameJa ?? '', en: inst?.nameEn ?? '' },
    pickupExpiresAt: (expires ?? url.expiresAt).toISOString(),
    rows: rows.map((r) => ({ dn: r.dn, name: r.userName })),
  };
}

export async function retrievePins(s: Services, token: string, ip: string): Promise<{ pins: RetrievedPin[] }> {
  const now = s.clock.now();
  return s.db.transaction(async (tx) => {
    const url = await openUrlToken(tx, 'pin', token, now, { lock: true });
    const rows = live(await requestsByUrl(tx, 'pin', url.id));
    if (rows.length === 0) throw new HakkoError('CANCELLED');
    const pins = rows.map((r) => {
      if (!r.pinEnc) throw new Error(`request ${r.id} has no escrowed PIN`);
      return { name: r.userName, mail: r.userMail, pin: decryptPin(s.keys.pinEnc, r.pinEnc, pinAad(r.id)), dn: r.dn };
    });
    if (!(await closeUrlToken(tx, url.id, 'used', now))) throw new HakkoError('ALREADY_USED');
    const ids = rows.map((r) => r.id);
    await transitionRequests(tx, ids, 'retrieve-pin', now, { pinRetrievedAt: now });
    if (rows[0]!.method !== 2) await updateRequests(tx, ids, { pinEnc: null });
    await appendAudit(tx, now, [{ actor: 'pin-url', institutionId: rows[0]!.institutionId, action: 'pin.retrieve', object: `pin-url:${url.id}`, details: { requests: ids.map(String), ip } }]);
    return { pins };
  });
}
