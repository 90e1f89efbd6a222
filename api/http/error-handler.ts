/** The one place that turns errors into HTTP answers (STYLE.md practice 5): never a stack or SQL. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { HakkoError } from '../errors.ts';
import { API_ERRORS, type ApiErrorCode } from '../domain/api-errors.ts';
import type { AppEnv } from './types.ts';
import type { Logger } from '../log.ts';

export function errorBody(code: ApiErrorCode, extra?: Record<string, unknown>) {
  const spec = API_ERRORS[code];
  return { code, message: { ja: spec.ja, en: spec.en }, ...extra };
}

/** Anything shaped like a URL token (43+ base64url characters) in a text bound for the log. */
const TOKEN_LIKE = /[A-Za-z0-9_-]{43,}/g;

function scrubTokens(text: string): string {
  return text.replace(TOKEN_LIKE, '<redacted>');
}

/**
 * A request path as the log may show it (spec 08 §Security: the log never prints a token): the
 * segment after /pin/ and /pickup/ (pages and API) is the one-time token, so it is replaced, as is
 * anything else token-shaped.
 */
export function loggedPath(path: string): string {
  return scrubTokens(path.replace(/\/(pin|pickup)\/[^/]+/g, '/$1/:token'));
}

export function onError(log: Logger) {
  return (err: Error, c: Context<AppEnv>) => {
    c.header('Cache-Control', 'no-store');
    if (err instanceof HakkoError) {
      return c.json({ code: err.code, message: err.text, ...err.extra }, err.status as 400);
    }
    if (err instanceof HTTPException) {
      const code: ApiErrorCode = err.status === 413 ? 'PAYLOAD_TOO_LARGE' : err.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : err.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
      return c.json(errorBody(code), err.status);
    }
    if (isDatabaseDown(err)) {
      log.warn('database unavailable', { path: loggedPath(c.req.path), error: scrubTokens(String((err as Error).message).slice(0, 200)) });
      return c.json(errorBody('UNAVAILABLE'), 503);
    }
    log.error('unhandled error', { path: loggedPath(c.req.path), error: scrubTokens(err.stack ?? String(err)) });
    return c.json(errorBody('INTERNAL'), 500);
  };
}

function isDatabaseDown(err: unknown): boolean {
  const code = (err as { code?: string; cause?: { code?: string } })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  return ['ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT', '57P01', '57P03', '08006', '08001'].includes(code ?? '');
}

export function notFoundJson(c: Context<AppEnv>) {
  c.header('Cache-Control', 'no-store');
  return c.json(errorBody('NOT_FOUND'), 404);
}
