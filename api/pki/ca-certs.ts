/**
 * Templates of Hakko's own certificates (spec 03 §Hierarchy): root, issuing CA, OCSP responder,
 * mail signer and TLS server. Each function returns the extensions and validity; hierarchy.ts
 * generates the keys, signs and stores.
 */
import { addMonths } from '../domain/profiles.ts';
import {
  authorityInfoAccess, authorityKeyIdentifier, basicConstraints, certificatePolicies, crlDistributionPoint, extKeyUsage, keyUsage, ocspNoCheck, subjectAltName, subjectKeyIdentifier,
  type GeneralName, type KeyUsage,
} from './extensions.ts';
import { OID } from './oids.ts';
import type { DnAttribute } from './names.ts';
import type { PkiUrls } from './builder.ts';
import { isIP } from 'node:net';

export type SystemCertName = 'root' | 'issuing' | 'ocsp' | 'mail' | 'tls';

/** Validity of each certificate. Service certificates are renewed when < 1/3 of it is left. */
export const SYSTEM_VALIDITY: Readonly<Record<SystemCertName, { months?: number; days?: number }>> = {
  root: { months: 240 },
  issuing: { months: 120 },
  ocsp: { days: 30 },
  mail: { months: 13 },
  // 397 days: the longest server certificate lifetime browsers accept (CA/Browser Forum BR 6.3.2).
  tls: { days: 397 },
};

/** Certificates start one hour in the past, so clients with a slow clock accept them at once. */
export const BACKDATE_MS = 3600_000;

export function systemNotAfter(name: SystemCertName, notBefore: Date): Date {
  const v = SYSTEM_VALIDITY[name];
  return v.days !== undefined ? new Date(notBefore.getTime() + v.days * 86_400_000) : addMonths(notBefore, v.months ?? 0);
}

/** Subject DNs (most specific first). */
export function systemSubject(name: SystemCertName, org: string, extra: { mailFrom: string; tlsHost: string }): DnAttribute[] {
  const place: DnAttribute[] = [{ type: 'O', value: org }, { type: 'C', value: 'JP' }];
  switch (name) {
    case 'root':
      return [{ type: 'CN', value: 'Hakko Root CA' }, ...place];
    case 'issuing':
      return [{ type: 'CN', value: 'Hakko Client CA' }, ...place];
    case 'ocsp':
      return [{ type: 'CN', value: 'Hakko OCSP Responder' }, ...place];
    case 'mail':
      // Mailbox-validated S/MIME subject, like the users' S/MIME certificates (spec 03).
      return [{ type: 'CN', value: extra.mailFrom }];
    case 'tls':
      return [{ type: 'CN', value: extra.tlsHost }, ...place];
  }
}

export interface SystemExtensionsInput {
  readonly ski: Uint8Array;
  /** The issuer's SKI (absent for the self-signed root). */
  readonly aki?: Uint8Array;
  readonly urls: PkiUrls;
  readonly rsa: boolean;
  readonly mailFrom: string;
  readonly tlsNames: readonly GeneralName[];
}

/** The extensions of each system certificate (RFC 5280 §4.2, RFC 6960 §4.2.2.2). */
export function systemExtensions(name: SystemCertName, x: SystemExtensionsInput): Uint8Array[] {
  const ids = [subjectKeyIdentifier(x.ski), ...(x.aki ? [authorityKeyIdentifier(x.aki)] : [])];
  const eeKu: KeyUsage[] = x.rsa ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'];
  const underIssuing = [crlDistributionPoint(x.urls.crl('issuing')), authorityInfoAccess({ ocsp: x.urls.ocsp, caIssuers: x.urls.caCert('issuing') })];
  switch (name) {
    case 'root':
      return [basicConstraints(true), keyUsage(['keyCertSign', 'cRLSign']), ...ids];
    case 'issuing':
      return [
        basicConstraints(true, 0),
        keyUsage(['keyCertSign', 'cRLSign']),
        ...ids,
        crlDistributionPoint(x.urls.crl('root')),
        authorityInfoAccess({ caIssuers: x.urls.caCert('root') }),
        certificatePolicies([OID.anyPolicy]),
      ];
    case 'ocsp':
      return [basicConstraints(false), keyUsage(['digitalSignature']), extKeyUsage([OID.ocspSigning]), ocspNoCheck(), ...ids];
    case 'mail':
      return [basicConstraints(false), keyUsage(eeKu), extKeyUsage([OID.emailProtection]), ...ids, subjectAltName([{ type: 'email', value: x.mailFrom }]), ...underIssuing];
    case 'tls':
      return [basicConstraints(false), keyUsage(eeKu), extKeyUsage([OID.serverAuth]), ...ids, subjectAltName(x.tlsNames), ...underIssuing];
  }
}

/**
 * The TLS server names (spec 03 §Hierarchy): localhost, 127.0.0.1, ::1 and the hosts of PUBLIC_URL
 * and PUBLIC_HTTPS_URL (IP literals as iPAddress, others as dNSName), de-duplicated in that order.
 */
export function tlsNames(publicUrl: string, publicHttpsUrl: string): GeneralName[] {
  const hosts = ['localhost', '127.0.0.1', '::1', hostOf(publicUrl), hostOf(publicHttpsUrl)];
  const out: GeneralName[] = [];
  for (const h of hosts) {
    const n: GeneralName = isIP(h) ? { type: 'ip', value: h } : { type: 'dns', value: h.toLowerCase() };
    if (!out.some((o) => o.type === n.type && o.value === n.value)) out.push(n);
  }
  return out;
}

/** The host of a URL without IPv6 brackets. */
export function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}

/** A stable string of the TLS names, stored to notice a change of PUBLIC_URL / PUBLIC_HTTPS_URL. */
export function tlsNamesKey(names: readonly GeneralName[]): string {
  return names.map((n) => `${n.type}:${n.value}`).join(',');
}
