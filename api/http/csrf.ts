/**
 * CSRF defence for state-changing officer calls (spec 06 §API): header `X-Hakko-Request: 1` (which a
 * plain cross-site form cannot send) and, when the browser sends an Origin, one of PUBLIC_URL's or
 * PUBLIC_HTTPS_URL's origins. Failure → 403 CSRF.
 */
import type { MiddlewareHandler } from 'hono';
import { HakkoError } from '../errors.ts';
import type { AppEnv } from './types.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrf(allowedOrigins: readonly string[]): MiddlewareHandler<AppEnv> {
  const allowed = new Set(allowedOrigins.map((u) => new URL(u).origin));
  return async (c, next) => {
    if (!SAFE.has(c.req.method)) {
      if (c.req.header('x-hakko-request') !== '1') throw new HakkoError('CSRF');
      const origin = c.req.header('origin');
      if (origin !== undefined && !allowed.has(origin)) throw new HakkoError('CSRF');
      const site = c.req.header('sec-fetch-site');
      if (site === 'cross-site') throw new HakkoError('CSRF');
    }
    await next();
  };
}
