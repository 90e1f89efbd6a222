/**
 * The certificate a client presented (spec 06 §Authentication): direct mode reads it from this
 * connection's TLS handshake; proxy mode from `X-SSL-Client-Cert` (URL-encoded PEM), believed only
 * from TRUSTED_PROXIES, and then it wins over the proxy's own TLS certificate.
 */
import type { TLSSocket } from 'node:tls';
import type { Context } from 'hono';
import type { AppEnv, PresentedCertificate } from './types.ts';
import { peerAddress, type ProxyPolicy } from './client-ip.ts';
import { fromPem } from '../pki/pem.ts';

export function presentedCertificate(c: Context<AppEnv>, policy: ProxyPolicy): PresentedCertificate | null {
  const header = c.req.header('x-ssl-client-cert');
  if (header !== undefined && policy.isTrusted(peerAddress(c))) {
    const der = fromPem(safeDecode(header), ['CERTIFICATE']);
    return der ? { der, via: 'proxy' } : null;
  }
  const socket = c.env?.incoming?.socket as TLSSocket | undefined;
  if (!socket || typeof socket.getPeerCertificate !== 'function') return null;
  const peer = socket.getPeerCertificate(false);
  if (!peer || !peer.raw) return null;
  return { der: new Uint8Array(peer.raw), via: 'tls' };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}
