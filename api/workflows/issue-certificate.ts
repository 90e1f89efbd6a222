/**
 * Issuing a certificate for one request from a CSR (spec 03 §CSR rules, STYLE.md practices 1–3).
 * The request decides subject and extensions; the CSR gives only the public key and proof of
 * possession. The order below is the safety argument — keep it visible in one function:
 *   1. check the CSR (structure, self-signature, key policy);
 *   2. in transaction A: lock the request; answer idempotently when it already has a certificate;
 *      check key reuse and the renewal's old key; reserve a serial (unique index) and the key, and move
 *      the request to `issuing` (the intent is recorded before anything is signed);
 *   3. sign through the Signer, then compare the signed certificate with the request;
 *   4. in transaction B: store the certificate (conditional on the reservation), move the request to
 *      `issued`, link a renewal to its old certificate, audit.
 * A failure in 3 releases the reservation; a crash between 2 and 4 leaves an `issuing` row that the
 * same CSR resumes (same serial, same key), never a silent gap.
 */
import type { Tx } from '../../db/client.ts';
import { certificateBySerial, type CertificateRow } from '../../db/repos/certificates.ts';
import { certificateOfRequest, dropReservation, linkRenewal, lockRequest, otherCertificateWithKey, reserveCertificate, serialTaken, storeCertificate } from '../../db/repos/issuance.ts';
import { transitionRequests, type RequestRow } from '../../db/repos/requests.ts';
import { officerStatus } from '../../db/repos/officers.ts';
import { splitDn } from '../domain/dn.ts';
import { isProfileId } from '../domain/profiles.ts';
import { appendAudit } from '../audit/audit.ts';
import { HakkoError } from '../errors.ts';
import { buildAndSign, wholeSeconds, type IssueInput } from '../pki/builder.ts';
import { checkIssued } from '../pki/check-issued.ts';
import { checkCsr, type CheckedCsr } from '../pki/csr.ts';
import type { CertProfile } from '../pki/profiles.ts';
import type { DnAttribute } from '../pki/names.ts';
import { newSerial, serialToDecimal } from '../pki/serial.ts';
import type { Services } from '../services.ts';
import { createHash } from 'node:crypto';

export interface IssueOutcome {
  readonly certificate: CertificateRow;
  /** false when an earlier identical submission's certificate is returned (idempotent pickup). */
  readonly created: boolean;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function certProfile(req: RequestRow): CertProfile {
  if (req.kind === 'officer' || req.kind === 'operator') return req.kind;
  if (req.profile === null || !isProfileId(req.profile)) throw new Error(`request ${req.id} has no profile`);
  return req.profile;
}

function issueInput(req: RequestRow, csr: CheckedCsr, serial: bigint, notBefore: Date): IssueInput {
  const subject: DnAttribute[] = splitDn(req.dn).attrs.map((a) => ({ type: a.attr, value: a.value }));
  return { request: { profile: certProfile(req), subject, mail: req.userMail }, publicKey: csr.spki, serial, notBefore };
}

/** Step 2: record the intent. Returns the existing certificate (idempotent) or the reservation. */
async function reserve(s: Services, tx: Tx, requestId: number, csr: CheckedCsr, now: Date): Promise<{ existing: CertificateRow } | { reserved: CertificateRow; req: RequestRow }> {
  const req = await lockRequest(tx, requestId);
  if (!req) throw new HakkoError('NOT_FOUND');
  const current = await certificateOfRequest(tx, req.id);
  if (current) {
    if (current.spkiSha256 !== csr.spkiSha256) throw new HakkoError('ALREADY_ISSUED');
    if (current.state === 'issued') return { existing: current };
    if (current.revokedAt) throw new HakkoError('CANCELLED'); // a reservation revoked with its officer
    return { reserved: current, req };
  }
  if (req.state === 'pin-pending') throw new HakkoError('PIN_NOT_RETRIEVED');
  if (req.state === 'locked') throw new HakkoError('LOCKED');
  if (req.state === 'expired') throw new HakkoError('EXPIRED');
  if (req.state === 'cancelled') throw new HakkoError('CANCELLED');
  if (req.state !== 'ready') throw new HakkoError('CONFLICT');
  // An enrollment whose officer was revoked issues nothing (issue 9).
  if (req.officerId !== null && (req.kind === 'officer' || req.kind === 'operator') && (await officerStatus(tx, req.officerId)) === 'revoked') throw new HakkoError('CANCELLED');
  // The specific refusal first: a renewal that reuses the replaced certificate's key.
  if (req.renewalOf) {
    const old = await certificateBySerial(tx, req.renewalOf);
    if (old && old.spkiSha256 === csr.spkiSha256) throw new HakkoError('KEY_SAME_AS_REPLACED');
  }
  if (await otherCertificateWithKey(tx, csr.spkiSha256, req.id)) throw new HakkoError('KEY_REUSED');
  let serial = newSerial();
  while (await serialTaken(tx, serialToDecimal(serial))) serial = newSerial();
  const reserved = await reserveCertificate(tx, {
    ca: 'issuing', serial: serialToDecimal(serial), state: 'reserved',
    kind: req.kind === 'officer' || req.kind === 'operator' ? req.kind : 'subscriber',
    requestId: req.id, institutionId: req.institutionId, officerId: req.officerId, profile: req.profile,
    requestDn: req.dn, cnOuKey: req.cnOuKey, userMail: req.userMail, spkiSha256: csr.spkiSha256,
    // notAfter is provisional until the signed certificate is stored (step 4).
    csrSha256: sha256(csr.der), csrDer: csr.der, notBefore: wholeSeconds(now), notAfter: wholeSeconds(now),
    renewalOf: req.renewalOf,
  });
  if ((await transitionRequests(tx, [req.id], 'reserve', now)).length !== 1) throw new HakkoError('CONFLICT');
  return { reserved, req };
}

/** Issues (or returns) the certificate of `requestId` for `csrPem`. */
export async function issueCertificate(s: Services, requestId: number, csrPem: unknown, actor: string): Promise<IssueOutcome> {
  // 1. The CSR itself.
  if (typeof csrPem !== 'string') throw new HakkoError('CSR_MALFORMED');
  const csr = checkCsr(csrPem);
  const now = s.clock.now();
  // 2. Record the intent.
  const step = await s.db.transaction((tx) => reserve(s, tx, requestId, csr, now));
  if ('existing' in step) return { certificate: step.existing, created: false };
  const { reserved, req } = step;
  // 3. Sign, then check the result against the request.
  const input = issueInput(req, csr, BigInt(reserved.serial), reserved.notBefore);
  let signed: Awaited<ReturnType<typeof buildAndSign>>;
  try {
    signed = await buildAndSign(input, s.ca.issuer);
    checkIssued(signed.der, input, s.ca.issuer);
  } catch (e) {
    await s.db.transaction(async (tx) => {
      await dropReservation(tx, reserved.id);
      await transitionRequests(tx, [req.id], 'release', now);
    });
    throw e;
  }
  // 4. Store.
  return s.db.transaction(async (tx) => {
    const stored = await storeCertificate(tx, reserved.id, signed.der, signed.notAfter, now);
    if (!stored) {
      // A racing process stored it — or the reservation was revoked meanwhile (its officer was).
      const winner = await certificateOfRequest(tx, req.id);
      if (!winner || winner.state !== 'issued') throw new HakkoError('CANCELLED');
      return { certificate: winner, created: false };
    }
    await transitionRequests(tx, [req.id], 'store', now, { issuedAt: now });
    if (req.renewalOf) await linkRenewal(tx, req.renewalOf, reserved.serial);
    await appendAudit(tx, now, [{ actor, institutionId: req.institutionId, action: 'certificate.issued', object: `serial:${reserved.serial}`, details: { request: String(req.id), profile: req.profile ?? req.kind } }]);
    return { certificate: (await certificateOfRequest(tx, req.id))!, created: true };
  });
}
