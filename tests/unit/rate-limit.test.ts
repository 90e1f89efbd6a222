/**
 * The PIN/token rate limiter (issue 9 defect 8, spec 08 §Security): IPv6 clients count per /64,
 * memory is bounded (an LRU of `maxClients` entries: flooding with new addresses neither grows it
 * nor evicts a client that keeps coming back), windows reset, 429 carries Retry-After.
 */
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { rateKey, rateLimit, rateTable } from '../../api/http/rate-limit.ts';
import { onError } from '../../api/http/error-handler.ts';
import { silentLogger } from '../../api/log.ts';
import type { AppEnv } from '../../api/http/types.ts';

describe('rateKey', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::198.51.100.7', '64:ff9b:0:0::/64'],
    ['not-an-address', 'not-an-address'],
  ])('%s → %s', (ip, key) => {
    expect(rateKey(ip)).toBe(key);
  });
});

describe('rateTable', () => {
  it('ok counts per key within the window and starts again after it', () => {
    const t = rateTable({ limit: 2, windowMs: 60_000 });
    expect([t.hit('a', 0), t.hit('a', 1), t.hit('a', 2)]).toEqual([null, null, 60]);
    expect(t.hit('b', 3)).toBeNull();
    expect(t.hit('a', 60_000)).toBeNull();
  });

  it('ok memory stays bounded by maxClients however many addresses come', () => {
    const t = rateTable({ limit: 5, windowMs: 60_000, maxClients: 1000 });
    for (let i = 0; i < 200_000; i++) t.hit(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, i);
    expect(t.size).toBe(1000);
  });

  it('ok a flood of new addresses does not evict a client that keeps coming back (least recently seen go first)', () => {
    const t = rateTable({ limit: 3, windowMs: 60_000, maxClients: 100 });
    t.hit('attacker', 0);
    t.hit('attacker', 1);
    t.hit('attacker', 2);
    for (let i = 0; i < 1000; i++) {
      t.hit(`flood-${i}`, 3);
      if (i % 50 === 0) expect(t.hit('attacker', 3), `after ${i}`).not.toBeNull(); // still over the limit: its count was kept
    }
  });
});

describe('rateLimit middleware', () => {
  function app(ip: () => string) {
    const a = new Hono<AppEnv>();
    a.onError(onError(silentLogger));
    a.use('*', async (c, next) => {
      c.set('clientIp', ip());
      await next();
    });
    a.get('/x', rateLimit('t', { limit: 2, windowMs: 60_000 }, () => 1000), (c) => c.text('ok'));
    return a;
  }

  it('NG one IPv6 /64 shares one budget: the third address of the prefix gets 429 RATE_LIMITED with Retry-After', async () => {
    let n = 0;
    const a = app(() => `2001:db8:5:6::${++n}`);
    expect((await a.request('/x')).status).toBe(200);
    expect((await a.request('/x')).status).toBe(200);
    const third = await a.request('/x');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('60');
    expect(((await third.json()) as { code: string }).code).toBe('RATE_LIMITED');
  });

  it('ok different /64 prefixes have their own budgets', async () => {
    let n = 0;
    const a = app(() => `2001:db8:5:${++n}::1`);
    for (let i = 0; i < 5; i++) expect((await a.request('/x')).status).toBe(200);
  });
});
