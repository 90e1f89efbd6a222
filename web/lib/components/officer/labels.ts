/**
 * Message keys of the officer dashboard's enumerations: upload kinds and modes, request and
 * certificate states with the tone of their badge. The texts are in the officer area.
 */
import type { PlainMessageKey } from '$lib/i18n/index.ts';
import type { CertificateState, RequestState } from '$lib/api/officer.ts';

export type Kind = 'issue' | 'renew' | 'revoke' | 'admin';
export type Mode = 'abort' | 'valid-only';
export type Tone = 'ok' | 'warn' | 'danger' | 'muted' | 'info';

export const KIND_LABEL: Readonly<Record<Kind, PlainMessageKey>> = {
  issue: 'officer.kind.issue',
  renew: 'officer.kind.renew',
  revoke: 'officer.kind.revoke',
  admin: 'officer.kind.admin',
};

export const MODE_LABEL: Readonly<Record<Mode, PlainMessageKey>> = {
  abort: 'officer.mode.abort',
  'valid-only': 'officer.mode.validOnly',
};

export const REQUEST_STATE: Readonly<Record<RequestState, { label: PlainMessageKey; tone: Tone }>> = {
  'pin-pending': { label: 'officer.requestState.pinPending', tone: 'info' },
  ready: { label: 'officer.requestState.ready', tone: 'info' },
  locked: { label: 'officer.requestState.locked', tone: 'danger' },
  issued: { label: 'officer.requestState.issued', tone: 'ok' },
  completed: { label: 'officer.requestState.completed', tone: 'ok' },
  expired: { label: 'officer.requestState.expired', tone: 'warn' },
  cancelled: { label: 'officer.requestState.cancelled', tone: 'muted' },
};

export const CERTIFICATE_STATE: Readonly<Record<CertificateState, { label: PlainMessageKey; tone: Tone }>> = {
  valid: { label: 'officer.certState.valid', tone: 'ok' },
  'awaiting-revocation': { label: 'officer.certState.awaiting', tone: 'warn' },
  revoked: { label: 'officer.certState.revoked', tone: 'danger' },
  expired: { label: 'officer.certState.expired', tone: 'muted' },
};

/** The CN of a request DN (up to its first OU or O): how people name a certificate. */
export function cnOf(dn: string): string {
  return /^CN=(.*?)(?:,(?:OU|O)=|$)/.exec(dn)?.[1] ?? dn;
}
