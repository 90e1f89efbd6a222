/**
 * The one typed error workflows throw (STYLE.md practice 5); `api/http/error-handler.ts` maps it to
 * status + JA/EN body and the CLI prints its message.
 */
import { API_ERRORS, type ApiErrorCode, type LocalizedMessage } from './domain/api-errors.ts';

export class HakkoError extends Error {
  override name = 'HakkoError';
  readonly code: string;
  readonly status: number;
  readonly text: LocalizedMessage;
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: ApiErrorCode, opts: { text?: LocalizedMessage; extra?: Record<string, unknown>; status?: number } = {}) {
    const spec = API_ERRORS[code];
    const text = opts.text ?? { ja: spec.ja, en: spec.en };
    super(text.en);
    this.code = code;
    this.status = opts.status ?? spec.status;
    this.text = text;
    this.extra = opts.extra;
  }
}

/** An input problem for CLI/API validation with both languages. */
export function invalid(en: string, ja: string, extra?: Record<string, unknown>): HakkoError {
  return new HakkoError('VALIDATION', { text: { ja, en }, extra });
}
