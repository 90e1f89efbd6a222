/**
 * Per-client rate limit for PIN and token endpoints (spec 08 §Security: brute force): a fixed window
 * per (bucket, client), 429 RATE_LIMITED when exceeded. IPv6 clients count per /64 — what one
 * subscriber is given, so an attacker cannot walk their own prefix. The counters live in this
 * process's memory (limits are per process: README §Decisions) in an LRU table of at most
 * `maxClients` entries: every hit moves its entry to the end and the least recently seen entries are
 * dropped first, in constant time, without scanning the table.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { HakkoError } from '../errors.ts';
import type { AppEnv } from './types.ts';

export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
  /** Largest number of clients remembered (default 100,000 ≈ 10 MB). */
  readonly maxClients?: number;
}

/** What a client address is counted as: IPv4 (also IPv4-mapped IPv6) as itself, IPv6 by its /64. */
export function rateKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  return ipv6Groups(ip).slice(0, 4).join(':') + '::/64';
}

/** The eight groups of an IPv6 address, lower-case without leading zeros. */
function ipv6Groups(ip: string): string[] {
  let s = ip.split('%')[0]!.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    s = s.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => parseInt(g, 16).toString(16));
}

/** The counters of one limit, exposed for tests (`size`). */
export interface RateTable {
  /** Counts a hit; returns the seconds to wait when over the limit, else null. */
  hit(key: string, t: number): number | null;
  readonly size: number;
}

export function rateTable({ limit, windowMs, maxClients = 100_000 }: RateLimit): RateTable {
  const hits = new Map<string, { start: number; n: number }>();
  return {
    hit(key, t) {
      let h = hits.get(key);
      if (h) hits.delete(key); // re-inserted below: the Map's order is the LRU order
      if (!h || t - h.start >= windowMs) h = { start: t, n: 0 };
      hits.set(key, h);
      if (hits.size > maxClients) hits.delete(hits.keys().next().value!);
      return ++h.n > limit ? Math.ceil((h.start + windowMs - t) / 1000) : null;
    },
    get size() {
      return hits.size;
    },
  };
}

export function rateLimit(bucket: string, opts: RateLimit, now: () => number = Date.now, table: RateTable = rateTable(opts)): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const wait = table.hit(`${bucket}|${rateKey(c.var.clientIp)}`, now());
    if (wait !== null) {
      c.header('Retry-After', String(wait));
      throw new HakkoError('RATE_LIMITED');
    }
    await next();
  };
}
