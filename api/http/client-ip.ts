/**
 * Client address and trusted proxies (spec 06 §API): X-Forwarded-For and X-SSL-Client-Cert are
 * believed only on connections from TRUSTED_PROXIES (addresses or CIDR ranges).
 */
import { BlockList, isIPv6 } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './types.ts';

export interface ProxyPolicy {
  isTrusted(address: string): boolean;
}

export function proxyPolicy(entries: readonly string[]): ProxyPolicy {
  const list = new BlockList();
  for (const e of entries) {
    const [addr, bits] = e.split('/');
    const type = isIPv6(addr!) ? 'ipv6' : 'ipv4';
    if (bits !== undefined) list.addSubnet(addr!, Number(bits), type);
    else list.addAddress(addr!, type);
  }
  return {
    isTrusted(address: string) {
      if (entries.length === 0 || !address) return false;
      const a = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
      return list.check(a, isIPv6(a) ? 'ipv6' : 'ipv4');
    },
  };
}

export function peerAddress(c: { env: AppEnv['Bindings'] }): string {
  const a = c.env?.incoming?.socket?.remoteAddress ?? '';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/** Sets `clientIp`: the peer, or the last untrusted hop of X-Forwarded-For from a trusted proxy. */
export function clientIp(policy: ProxyPolicy): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const peer = peerAddress(c);
    let ip = peer;
    const xff = c.req.header('x-forwarded-for');
    if (xff && policy.isTrusted(peer)) {
      const hops = xff.split(',').map((s) => s.trim()).filter(Boolean);
      while (hops.length > 1 && policy.isTrusted(hops[hops.length - 1]!)) hops.pop();
      ip = hops[hops.length - 1] ?? peer;
    }
    c.set('clientIp', ip);
    await next();
  };
}

export function isLoopbackAddress(ip: string): boolean {
  return ip === '::1' || /^127\./.test(ip) || ip === '::ffff:127.0.0.1';
}
