/**
 * The request state machine (spec 01 §States). Workflows move requests only along these edges, with
 * conditional updates (`UPDATE … WHERE state IN (from…)`) so that two processes cannot both win.
 */
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
