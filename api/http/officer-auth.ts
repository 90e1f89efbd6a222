/**
 * Officer and operator authentication by client certificate (spec 06 §Authentication, §API):
 * none → 401 NO_CERTIFICATE; not an active officer's valid certificate (unknown, revoked, expired,
 * wrong role) → 403 NOT_AN_OFFICER. The lookup and the login audit are the workflow's.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { HakkoError } from '../errors.ts';
import { authenticateOfficer, certificateStatus as statusOf, createLoginLog, type CertificateStatus, type LoginLog, type OfficerRole } from '../workflows/officer-auth.ts';
import { presentedCertificate } from './client-cert.ts';
import type { ProxyPolicy } from './client-ip.ts';
import type { AppEnv } from './types.ts';

export type { CertificateStatus };

/** Identifies a presented certificate against the certificates Hakko issued. */
export function certificateStatus(c: Context<AppEnv>, der: Uint8Array): Promise<CertificateStatus> {
  return statusOf(c.var.services, der);
}

/**
 * Requires an active officer (or operator, when `roles` allow it) and sets `c.var.officer`. Share
 * one `logins` between the middlewares of an app, so a login is audited once whichever route it hits.
 */
export function requireOfficer(policy: ProxyPolicy, roles: readonly OfficerRole[] = ['officer', 'operator'], logins: LoginLog = createLoginLog()): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const presented = presentedCertificate(c, policy);
    if (!presented) throw new HakkoError('NO_CERTIFICATE');
    c.set('officer', await authenticateOfficer(c.var.services, presented, roles, logins));
    await next();
  };
}
