/**
 * In-process wake-ups after a commit: the outbox worker (new mail) and the CRL publisher (a
 * revocation). They only shorten delays — the worker polls and the publisher re-issues on schedule
 * anyway, so other processes sharing the database still converge.
 */
export interface Signals {
  mailQueued(): void;
  revoked(): void;
}

export const noSignals: Signals = { mailQueued() {}, revoked() {} };
