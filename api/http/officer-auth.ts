/**
 * Officer and operator authentication by client certificate (spec 06 §Authentication, §API):
 * none → 401 NO_CERTIFICATE; not an active officer's valid certificate (unknown, revoked, expired,
 * wrong role) → 403 NOT_AN_OFFICER. The certificate must be one Hakko issued, byte for byte.
 */
import { X509Certificate } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { findCertificateBySerial, findOfficerForCertificate } from '../../db/repos/auth.ts';
import { HakkoError } from '../errors.ts';
import { constantTimeEqual } from '../secrets/compare.ts';
import { presentedCertificate } from './client-cert.ts';
import type { ProxyPolicy } from './client-ip.ts';
import type { AppEnv, AuthenticatedOfficer } from './types.ts';

export interface CertificateStatus {
  readonly subject: string;
  readonly serial: string;
  readonly issuedByHakko: boolean;
  readonly state: 'valid' | 'revoked' | 'expired' | 'unknown';
  readonly row: Awaited<ReturnType<typeof findCertificateBySerial>> | null;
}

/** Decimal serial of a DER certificate. */
export function serialOf(cert: X509Certificate): string {
  return BigInt('0x' + cert.serialNumber).toString(10);
}

/** Identifies a presented certificate against the certificates Hakko issued. */
export async function certificateStatus(c: Context<AppEnv>, der: Uint8Array): Promise<CertificateStatus> {
  const { db, clock } = c.var.services;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return { subject: '', serial: '', issuedByHakko: false, state: 'unknown', row: null };
  }
  const serial = serialOf(cert);
  const row = await findCertificateBySerial(db, serial);
  const ours = !!row && !!row.der && constantTimeEqual(row.der, der);
  const subject = cert.subject.split('\n').reverse().join(',');
  if (!ours) return { subject, serial, issuedByHakko: false, state: 'unknown', row: null };
  const now = clock.now();
  const state = row!.revokedAt ? 'revoked' : row!.notAfter <= now || row!.notBefore > now ? 'expired' : 'valid';
  return { subject, serial, issuedByHakko: true, state, row };
}

/** Requires an active officer (or operator, when `role` allows it) and sets `c.var.officer`. */
export function requireOfficer(policy: ProxyPolicy, roles: readonly ('officer' | 'operator')[] = ['officer', 'operator']): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const presented = presentedCertificate(c, policy);
    if (!presented) throw new HakkoError('NO_CERTIFICATE');
    const status = await certificateStatus(c, presented.der);
    // `reason` lets the dashboard explain what happened and what to do (issue 12: its own page for a
    // revoked, expired or foreign certificate); it tells the holder nothing /api/tls/whoami would not.
    if (status.state !== 'valid' || !status.row) throw new HakkoError('NOT_AN_OFFICER', { extra: { reason: status.state === 'unknown' ? 'foreign' : status.state } });
    const found = await findOfficerForCertificate(c.var.services.db, status.row.id);
    if (!found || found.officer.status !== 'active' || !roles.includes(found.officer.role)) {
      if (found?.officer.role === 'officer' && found.officer.status === 'active' && roles.length === 1 && roles[0] === 'operator') throw new HakkoError('NOT_AN_OPERATOR');
      throw new HakkoError('NOT_AN_OFFICER', { extra: { reason: found?.officer.status === 'revoked' ? 'revoked' : 'not-an-officer' } });
    }
    const o = found.officer;
    const who: AuthenticatedOfficer = {
      officerId: o.id,
      role: o.role,
      name: o.name,
      email: o.email,
      institutionId: o.institutionId,
      institution: found.inst ? { code: found.inst.code, ja: found.inst.nameJa, en: found.inst.nameEn } : null,
      certSerial: status.serial,
    };
    c.set('officer', who);
    await next();
  };
}
