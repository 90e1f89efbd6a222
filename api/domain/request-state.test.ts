import { describe, expect, it } from 'vitest';
import { canTransition, publicState, requestStateCode, TRANSITIONS, type RequestState } from './request-state.ts';

const ALL: RequestState[] = ['pin-pending', 'issuing', 'ready', 'locked', 'issued', 'completed', 'expired', 'cancelled'];

describe('request state machine', () => {
  it('ok: the happy path pin-pending → ready → issuing → issued → completed', () => {
    expect(canTransition('pin-pending', 'retrieve-pin')).toBe(true);
    expect(canTransition('ready', 'reserve')).toBe(true);
    expect(canTransition('issuing', 'store')).toBe(true);
    expect(canTransition('issued', 'confirm')).toBe(true);
  });
  it('NG no way out of completed or cancelled', () => {
    for (const ev of Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]) {
      expect(canTransition('completed', ev)).toBe(false);
      expect(canTransition('cancelled', ev)).toBe(false);
    }
  });
  it('NG no re-issue or cancel once a certificate exists', () => {
    for (const s of ['issuing', 'issued', 'completed'] as RequestState[]) {
      expect(canTransition(s, 'reissue')).toBe(false);
      expect(canTransition(s, 'cancel')).toBe(false);
    }
  });
  it('NG lockout only from ready', () => {
    expect(ALL.filter((s) => canTransition(s, 'lock'))).toEqual(['ready']);
  });
  it('ok: issuing is reported as ready; §E codes', () => {
    expect(publicState('issuing')).toBe('ready');
    expect(ALL.map(requestStateCode)).toEqual([2, 4, 4, 4, 5, 5, 9, 9]);
  });
});
