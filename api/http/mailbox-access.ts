/**
 * Who may read the built-in mailbox (spec 05 §Delivery, issue 9): it holds live PIN and pickup
 * links. It exists only where Hakko runs on loopback — PUBLIC_URL on a loopback host — and answers
 * only requests whose Host is a loopback name (a DNS-rebinding page or a proxy forwarding a public
 * name gets 404, as if there were no mailbox). Then a direct loopback connection that no proxy
 * relayed may read it; anyone else must be an authenticated operator (403 MAILBOX_LOOPBACK_ONLY).
 */
import type { MiddlewareHandler } from 'hono';
import { isLoopbackHost } from '../config.ts';
import { HakkoError } from '../errors.ts';
import { isLoopbackAddress, peerAddress, type ProxyPolicy } from './client-ip.ts';
import type { AppEnv } from './types.ts';

/** The host name of a Host header (`localhost:8080`, `[::1]:8080`), or null when it is not one. */
export function hostName(host: string | undefined): string | null {
  if (!host || /[\s/@?#]/.test(host)) return null;
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
}

export function mailboxAccess(opts: { publicUrl: string; policy: ProxyPolicy; operatorOnly: MiddlewareHandler<AppEnv> }): MiddlewareHandler<AppEnv> {
  const served = isLoopbackHost(new URL(opts.publicUrl).hostname);
  return async (c, next) => {
    const host = hostName(c.req.header('host'));
    if (!served || host === null || !isLoopbackHost(host)) throw new HakkoError('NOT_FOUND');
    const peer = peerAddress(c);
    const proxied = opts.policy.isTrusted(peer) || c.req.header('x-forwarded-for') !== undefined || c.req.header('forwarded') !== undefined;
    if (isLoopbackAddress(peer) && !proxied) return next();
    try {
      return await opts.operatorOnly(c, next);
    } catch (e) {
      if (e instanceof HakkoError) throw new HakkoError('MAILBOX_LOOPBACK_ONLY');
      throw e;
    }
  };
}
