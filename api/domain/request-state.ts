/**
 * The request state machine (spec 01 §States). Workflows move requests only along these edges, with
 * conditional updates (`UPDATE … WHERE state IN (from…)`) so that two processes cannot both win.
 */
import type { LocalText } from './errors/columns.ts';

export type RequestState = 'pin-pending' | 'issuing' | 'ready' | 'locked' | 'issued' | 'completed' | 'expired' | 'cancelled';

export type RequestEvent = 'retrieve-pin' | 'reserve' | 'store' | 'release' | 'lock' | 'confirm' | 'expire' | 'cancel' | 'reissue';

/** event → the states it may start from → the state it leads to. */
export const TRANSITIONS: Readonly<Record<RequestEvent, { readonly from: readonly RequestState[]; readonly to: RequestState }>> = {
  'retrieve-pin': { from: ['pin-pending'], to: 'ready' },
  /** Serial reserved, signing under way (reported as `ready`). */
  reserve: { from: ['ready'], to: 'issuing' },
  store: { from: ['issuing'], to: 'issued' },
  /** Signing failed before a certificate existed: back to ready. */
  release: { from: ['issuing'], to: 'ready' },
  lock: { from: ['ready'], to: 'locked' },
  confirm: { from: ['issued'], to: 'completed' },
  expire: { from: ['pin-pending', 'ready', 'locked'], to: 'expired' },
  cancel: { from: ['pin-pending', 'ready', 'locked', 'expired'], to: 'cancelled' },
  /** New PIN and URLs for an unfinished request (no certificate yet). */
  reissue: { from: ['pin-pending', 'ready', 'locked', 'expired'], to: 'pin-pending' },
};

export function canTransition(from: RequestState, event: RequestEvent): boolean {
  return TRANSITIONS[event].from.includes(from);
}

/** The state shown to people and APIs: `issuing` is internal and reported as `ready`. */
export function publicState(s: RequestState): Exclude<RequestState, 'issuing'> {
  return s === 'issuing' ? 'ready' : s;
}

/** §E state codes of the certificate information file (spec 02 §E). */
export function requestStateCode(s: RequestState): 2 | 4 | 5 | 9 {
  switch (s) {
    case 'pin-pending':
      return 2;
    case 'issuing':
    case 'ready':
    case 'locked':
      return 4;
    case 'issued':
    case 'completed':
      return 5;
    case 'expired':
    case 'cancelled':
      return 9;
  }
}

/** States in which a request still counts as open (rules 212 and 230). */
export const OPEN_STATES: readonly RequestState[] = ['pin-pending', 'issuing', 'ready', 'locked'];

/**
 * A certificate's status (spec 01 §States): valid, revoked, expired (derived from notAfter), or
 * awaiting-revocation — valid, but its renewal has been issued (`renewedBy` is set only when the new
 * certificate is stored, workflows/issue-certificate step 4).
 */
export type CertificateStatus = 'valid' | 'awaiting-revocation' | 'revoked' | 'expired';

/** Revocation wins over expiry (a revoked certificate stays revoked on the CRL); `now` is passed in. */
export function certificateStatus(c: { readonly revokedAt: Date | null; readonly notAfter: Date; readonly renewedBy: string | null }, now: Date): CertificateStatus {
  if (c.revokedAt !== null) return 'revoked';
  if (c.notAfter.getTime() < now.getTime()) return 'expired';
  return c.renewedBy !== null ? 'awaiting-revocation' : 'valid';
}

/** §E state codes of a certificate row (spec 02 §E: 5 issued, 6 renewed, 7 revoked, 8 expired). */
export function certificateStateCode(s: CertificateStatus): 5 | 6 | 7 | 8 {
  switch (s) {
    case 'valid':
      return 5;
    case 'awaiting-revocation':
      return 6;
    case 'revoked':
      return 7;
    case 'expired':
      return 8;
  }
}

/**
 * Names of the public request states; a request's row shows these until it has a certificate. Where
 * several states share one §E code, the text tells them apart (locked: code 4, "ロック中").
 */
export const REQUEST_STATE_TEXT: Readonly<Record<Exclude<RequestState, 'issuing'>, LocalText>> = {
  'pin-pending': { ja: 'PIN未取得', en: 'PIN not retrieved' },
  ready: { ja: '取得待ち', en: 'awaiting pickup' },
  locked: { ja: 'ロック中', en: 'locked' },
  issued: { ja: '発行済み', en: 'issued' },
  completed: { ja: '発行済み', en: 'issued' },
  expired: { ja: '取得URL期限切れ', en: 'pickup URL expired' },
  cancelled: { ja: '取消済み', en: 'cancelled' },
};

/** Names of the certificate statuses (spec 02 §E codes 5–8). */
export const CERTIFICATE_STATUS_TEXT: Readonly<Record<CertificateStatus, LocalText>> = {
  valid: { ja: '発行済み', en: 'issued' },
  'awaiting-revocation': { ja: '更新済み', en: 'renewed' },
  revoked: { ja: '失効済み', en: 'revoked' },
  expired: { ja: '有効期限切れ', en: 'expired' },
};

/** §E state codes with their names (spec 02 §E column 12), for the TSV tool's state filter. */
export const INFO_STATE_NAMES: Readonly<Record<string, LocalText>> = {
  '2': REQUEST_STATE_TEXT['pin-pending'],
  '4': REQUEST_STATE_TEXT.ready,
  '5': CERTIFICATE_STATUS_TEXT.valid,
  '6': CERTIFICATE_STATUS_TEXT['awaiting-revocation'],
  '7': CERTIFICATE_STATUS_TEXT.revoked,
  '8': CERTIFICATE_STATUS_TEXT.expired,
  '9': REQUEST_STATE_TEXT.expired,
};
