/**
 * One body limit for every JSON call (spec 08 §Security: input limits, issue 9): a state-changing
 * /api request may carry at most `maxBytes`, or a larger size a rule gives its path (a bulk pickup's
 * CSRs); the body is not read beyond it (413 PAYLOAD_TOO_LARGE). Paths listed in `ownLimit` check
 * their own limit (the TSV upload answers 216 in its own shape, spec 06).
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HakkoError } from '../errors.ts';
import type { AppEnv } from './types.ts';

export interface BodyLimits {
  readonly maxBytes: number;
  readonly larger?: readonly { readonly path: RegExp; readonly maxBytes: number }[];
  readonly ownLimit?: readonly RegExp[];
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function jsonBodyLimit(limits: BodyLimits): MiddlewareHandler<AppEnv> {
  const make = (maxSize: number) => bodyLimit({ maxSize, onError: () => { throw new HakkoError('PAYLOAD_TOO_LARGE'); } });
  const standard = make(limits.maxBytes);
  const larger = (limits.larger ?? []).map((r) => ({ path: r.path, check: make(r.maxBytes) }));
  return async (c, next) => {
    const p = c.req.path;
    if (SAFE.has(c.req.method) || limits.ownLimit?.some((r) => r.test(p))) return next();
    return (larger.find((r) => r.path.test(p))?.check ?? standard)(c, next);
  };
}
