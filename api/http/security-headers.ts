/**
 * Security headers (spec 08 §Security): CSP as an HTTP header (the hashes SvelteKit computed for
 * its boot script are lifted from the built index.html), frame-ancestors 'none', no-referrer,
 * no-store on API answers and token pages, HSTS only for non-loopback https deployments.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { isLoopbackHost } from '../config.ts';
import type { AppEnv } from './types.ts';
import { peerAddress } from './client-ip.ts';

const DEFAULT_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

/** Reads the CSP SvelteKit wrote into the built page's meta tag, adding what a meta tag cannot carry. */
export function pageCsp(webRoot: string | null): string {
  let csp = DEFAULT_CSP;
  const index = webRoot ? path.join(webRoot, 'index.html') : null;
  if (index && existsSync(index)) {
    const m = /<meta http-equiv="content-security-policy" content="([^"]+)"/i.exec(readFileSync(index, 'utf8'));
    if (m) csp = m[1]!.replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  }
  return csp.replace(/;\s*$/, '') + "; frame-ancestors 'none'";
}

export function hstsApplies(publicUrl: string, publicHttpsUrl: string): boolean {
  const a = new URL(publicUrl);
  const b = new URL(publicHttpsUrl);
  return a.protocol === 'https:' && b.protocol === 'https:' && !isLoopbackHost(a.hostname) && !isLoopbackHost(b.hostname);
}

const TOKEN_PAGE = /^\/(pin|pickup)\//;

export interface SecurityHeaderOptions {
  readonly csp: string;
  readonly hsts: boolean;
  /**
   * Whether the connection comes from a trusted TLS-terminating proxy (TRUSTED_PROXIES): then its
   * `X-Forwarded-Proto: https` counts as HTTPS for HSTS (behind nginx every connection is plain HTTP).
   */
  readonly fromTrustedProxy?: (peer: string) => boolean;
}

export function securityHeaders(opts: SecurityHeaderOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const p = c.req.path;
    const h = c.res.headers;
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Referrer-Policy', 'no-referrer');
    h.set('X-Frame-Options', 'DENY');
    if (p.startsWith('/api/')) {
      h.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    } else if (p.startsWith('/dev/')) {
      h.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    } else if (!h.has('Content-Security-Policy')) {
      h.set('Content-Security-Policy', opts.csp);
    }
    if (p.startsWith('/api/') || TOKEN_PAGE.test(p) || p.startsWith('/dev/')) h.set('Cache-Control', 'no-store');
    const encrypted = !!(c.env?.incoming?.socket as { encrypted?: boolean } | undefined)?.encrypted;
    const forwarded = !!opts.fromTrustedProxy && c.req.header('x-forwarded-proto')?.trim().toLowerCase() === 'https' && opts.fromTrustedProxy(peerAddress(c));
    const secure = encrypted || forwarded;
    if (opts.hsts && secure) h.set('Strict-Transport-Security', 'max-age=31536000');
  };
}
