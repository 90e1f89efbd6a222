/**
 * Client-certificate authentication (spec 06 §Authentication): is a presented certificate one Hakko
 * issued, byte for byte, and whose active officer or operator is it. Each officer's login is audited
 * once per certificate and JST day in this process (spec 06 §Audit log: "officer login"), not per request.
 */
import { X509Certificate } from 'node:crypto';
import { findCertificateBySerial, findOfficerForCertificate } from '../../db/repos/auth.ts';
import type { CertificateRow } from '../../db/repos/certificates.ts';
import { appendAudit } from '../audit/audit.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';
import { HakkoError } from '../errors.ts';
import { constantTimeEqual } from '../secrets/compare.ts';
import type { Services } from '../services.ts';
import { jstToday } from './upload-tsv.ts';

export interface CertificateStatus {
  readonly subject: string;
  readonly serial: string;
  readonly issuedByHakko: boolean;
  readonly state: 'valid' | 'revoked' | 'expired' | 'unknown';
  readonly row: CertificateRow | null;
}

export type OfficerRole = AuthenticatedOfficer['role'];

/** Decimal serial of a certificate. */
export function serialOf(cert: X509Certificate): string {
  return BigInt('0x' + cert.serialNumber).toString(10);
}

/** Identifies a presented certificate (DER) against the certificates Hakko issued. */
export async function certificateStatus(s: Pick<Services, 'db' | 'clock'>, der: Uint8Array): Promise<CertificateStatus> {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return { subject: '', serial: '', issuedByHakko: false, state: 'unknown', row: null };
  }
  const serial = serialOf(cert);
  const row = await findCertificateBySerial(s.db, serial);
  const ours = !!row && !!row.der && constantTimeEqual(row.der, der);
  const subject = cert.subject.split('\n').reverse().join(',');
  if (!ours) return { subject, serial, issuedByHakko: false, state: 'unknown', row: null };
  const now = s.clock.now();
  const state = row!.revokedAt ? 'revoked' : row!.notAfter <= now || row!.notBefore > now ? 'expired' : 'valid';
  return { subject, serial, issuedByHakko: true, state, row };
}

/**
 * Remembers which officer logins (officer, certificate, JST day) this process has audited. One per
 * app, not a module singleton; it holds the current day only, so it stays as small as the day's officers.
 */
export interface LoginLog {
  /** True the first time for this key today (the caller then writes the audit record). */
  first(key: string, day: string): boolean;
  forget(key: string): void;
}

export function createLoginLog(): LoginLog {
  let today = '';
  let seen = new Set<string>();
  return {
    first(key, day) {
      if (day !== today) {
        today = day;
        seen = new Set();
      }
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
    forget(key) {
      seen.delete(key);
    },
  };
}

/**
 * The active officer (or operator, as `roles` allow) a presented certificate belongs to: none →
 * NO_CERTIFICATE is the caller's; not an active officer's valid certificate → NOT_AN_OFFICER (an
 * officer where only operators may → NOT_AN_OPERATOR). Audits the login once per day (see LoginLog).
 */
export async function authenticateOfficer(s: Pick<Services, 'db' | 'clock'>, presented: { der: Uint8Array; via: 'tls' | 'proxy' }, roles: readonly OfficerRole[], logins: LoginLog): Promise<AuthenticatedOfficer> {
  const status = await certificateStatus(s, presented.der);
  // `reason` lets the dashboard explain what happened and what to do (issue 12: its own page for a
  // revoked, expired or foreign certificate); it tells the holder nothing /api/tls/whoami would not.
  if (status.state !== 'valid' || !status.row) throw new HakkoError('NOT_AN_OFFICER', { extra: { reason: status.state === 'unknown' ? 'foreign' : status.state } });
  const found = await findOfficerForCertificate(s.db, status.row.id);
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
  await auditLogin(s, who, presented.via, logins);
  return who;
}

async function auditLogin(s: Pick<Services, 'db' | 'clock'>, who: AuthenticatedOfficer, via: 'tls' | 'proxy', logins: LoginLog): Promise<void> {
  const now = s.clock.now();
  const day = jstToday(now);
  const key = `${who.officerId}:${who.certSerial}`;
  if (!logins.first(key, day)) return;
  try {
    await s.db.transaction((tx) => appendAudit(tx, now, [{ actor: `cert:${who.certSerial}`, institutionId: who.institutionId, action: 'officer.login', object: who.email, details: { role: who.role, via, day } }]));
  } catch (e) {
    logins.forget(key); // not recorded: the next request tries again
    throw e;
  }
}
