/**
 * Per-address rate limit for PIN and token endpoints (spec 08 §Security: brute force). A fixed
 * window per (bucket, client address) kept in memory; 429 RATE_LIMITED when exceeded.
 */
import type { MiddlewareHandler } from 'hono';
import { HakkoError } from '../errors.ts';
import type { AppEnv } from './types.ts';

export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

export function rateLimit(bucket: string, { limit, windowMs }: RateLimit, now: () => number = Date.now): MiddlewareHandler<AppEnv> {
  const hits = new Map<string, { start: number; n: number }>();
  return async (c, next) => {
    const t = now();
    const key = `${bucket}|${c.var.clientIp}`;
    let h = hits.get(key);
    if (!h || t - h.start >= windowMs) {
      h = { start: t, n: 0 };
      hits.set(key, h);
      if (hits.size > 50_000) for (const [k, v] of hits) if (t - v.start >= windowMs) hits.delete(k);
    }
    if (++h.n > limit) {
      c.header('Retry-After', String(Math.ceil((h.start + windowMs - t) / 1000)));
      throw new HakkoError('RATE_LIMITED');
    }
    await next();
  };
}
