/**
 * Opening a one-time URL (spec 04 §HTTP API): 404 only for a token that never existed; 410 with
 * ALREADY_USED / COMPLETED / EXPIRED / CANCELLED / REISSUED for one that is no longer usable.
 */
import type { Queryable } from '../../db/client.ts';
import { findUrlToken, lockUrlToken, type UrlTokenRow } from '../../db/repos/requests.ts';
import { HakkoError } from '../errors.ts';
import { hashUrlToken, isTokenShape } from '../secrets/tokens.ts';

export type TokenPurpose = 'pin' | 'pickup';

/** The token's row when it can still be used; throws the fixed 404/410 errors otherwise. */
export async function openUrlToken(db: Queryable, purpose: TokenPurpose, token: string, now: Date, opts: { lock?: boolean; allowUsed?: boolean } = {}): Promise<UrlTokenRow> {
  if (!isTokenShape(token)) throw new HakkoError('NOT_FOUND');
  let row = await findUrlToken(db, hashUrlToken(token));
  if (!row || row.purpose !== purpose) throw new HakkoError('NOT_FOUND');
  if (opts.lock) row = (await lockUrlToken(db, row.id))!;
  assertUsable(row, now, opts.allowUsed ?? false);
  return row;
}

export function assertUsable(row: UrlTokenRow, now: Date, allowUsed: boolean): void {
  switch (row.state) {
    case 'active':
      if (row.expiresAt <= now) throw new HakkoError('EXPIRED');
      return;
    case 'used':
      if (allowUsed) return;
      throw new HakkoError(row.purpose === 'pin' ? 'ALREADY_USED' : 'COMPLETED');
    case 'expired':
      throw new HakkoError('EXPIRED');
    case 'cancelled':
      throw new HakkoError('CANCELLED');
    case 'reissued':
      throw new HakkoError('REISSUED');
  }
}
