/**
 * Internal PKI failures that are not the user's fault (a signed certificate that does not match its
 * request, a wrong CA passphrase, a CA about to expire). Workflows let them surface as 500 INTERNAL
 * (the error handler logs the message, never shows it); startup prints `code: message` and exits.
 * Problems with a user's CSR are `HakkoError`s with the API codes instead (csr.ts).
 */
export type PkiErrorCode =
  | 'CA_PASSPHRASE_MISMATCH'
  | 'CA_PASSPHRASE_MISSING'
  | 'CA_KEY_MISMATCH'
  | 'CA_EXPIRES_TOO_SOON'
  | 'ISSUED_MISMATCH'
  | 'KEY_ALGORITHM'
  | 'BAD_INPUT';

export class PkiError extends Error {
  override name = 'PkiError';
  readonly code: PkiErrorCode;

  constructor(code: PkiErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}
