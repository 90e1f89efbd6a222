/** A start-up failure with a stable code and a one-line message for the operator (`hakko: [E_…] …`). */
export class StartupError extends Error {
  override name = 'StartupError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
