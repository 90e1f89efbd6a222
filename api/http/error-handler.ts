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

/** Connection-level codes of Node sockets and postgres.js: the database is not reachable right now. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);
/** SQLSTATEs of a server going away or not accepting work: class 08 (connection exception), 57P01–57P03 (shutdown, crash, cannot connect now), 53300 (too many connections). */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/**
 * Whether an error means "the database is unavailable" (503, retry later) rather than a bug (500):
 * looked for anywhere in the cause chain (drizzle wraps the driver's error, workflows may wrap
 * drizzle's) and in the members of an AggregateError (a pool that tried several connections).
 */
export function isDatabaseDown(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 6) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  if (err instanceof AggregateError && err.errors.some((e) => isDatabaseDown(e, depth + 1))) return true;
  return isDatabaseDown((err as { cause?: unknown }).cause, depth + 1);
}

export function notFoundJson(c: Context<AppEnv>) {
  c.header('Cache-Control', 'no-store');
  return c.json(errorBody('NOT_FOUND'), 404);
}
