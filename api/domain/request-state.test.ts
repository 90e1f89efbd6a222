import { describe, expect, it } from 'vitest';
import {
  CERTIFICATE_STATUS_TEXT, certificateStateCode, certificateStatus, canTransition, publicState, REQUEST_STATE_TEXT, requestStateCode, TRANSITIONS,
  type CertificateStatus, type RequestState,
} from './request-state.ts';

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
  it('ok: certificate status — revoked before expired before renewed; notAfter itself still valid', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    const past = new Date(now.getTime() - 1);
    expect(certificateStatus({ revokedAt: null, notAfter: now, renewedBy: null }, now)).toBe('valid');
    expect(certificateStatus({ revokedAt: null, notAfter: now, renewedBy: '9' }, now)).toBe('awaiting-revocation');
    expect(certificateStatus({ revokedAt: null, notAfter: past, renewedBy: '9' }, now)).toBe('expired');
    expect(certificateStatus({ revokedAt: past, notAfter: past, renewedBy: '9' }, now)).toBe('revoked');
    const all: CertificateStatus[] = ['valid', 'awaiting-revocation', 'revoked', 'expired'];
    expect(all.map(certificateStateCode)).toEqual([5, 6, 7, 8]);
    expect(Object.keys(CERTIFICATE_STATUS_TEXT).sort()).toEqual([...all].sort());
    expect(ALL.filter((s) => s !== 'issuing').every((s) => REQUEST_STATE_TEXT[s as Exclude<RequestState, 'issuing'>].ja !== '')).toBe(true);
  });
});
