/**
 * What follows a finished pickup (spec 05 §Which mail goes to whom): the pickup-completed mail — or,
 * for renewals, the renewal mail with the revocation TSV of a still-valid old certificate — to the
 * uploading officer and the user administrator; and, for enrollment, the officer becomes active.
 */
import type { Queryable } from '../../db/client.ts';
import { activatePendingOfficer, activeOfficersOf } from '../../db/repos/officers.ts';
import { HakkoError } from '../errors.ts';
import { certificateBySerial, certificatesOfRequests, type CertificateRow } from '../../db/repos/certificates.ts';
import { enqueueMails, type Recipient } from '../../db/repos/outbox.ts';
import { institutionOfRequest, uploaderOf, type RequestRow } from '../../db/repos/requests.ts';
import type { Services } from '../services.ts';
import { mailHost } from './enroll-officer.ts';

/**
 * An enrolled officer becomes active once the enrollment pickup is confirmed — only from `pending`:
 * an officer revoked meanwhile stays revoked and the confirmation fails (410 CANCELLED, issue 9).
 */
export async function activateOfficer(tx: Queryable, req: RequestRow): Promise<void> {
  if (req.officerId === null || !(await activatePendingOfficer(tx, req.officerId))) throw new HakkoError('CANCELLED');
}

/**
 * The officers told of a finished pickup (spec 05: "the registration officer who uploaded"): the
 * uploader while still active; once revoked, every active officer of the institution instead.
 */
async function officerRecipients(tx: Queryable, first: RequestRow): Promise<{ name: string; email: string }[]> {
  const uploader = await uploaderOf(tx, first.uploadId);
  if (uploader?.status === 'active') return [uploader];
  return first.institutionId === null ? [] : activeOfficersOf(tx, first.institutionId);
}

function isValid(c: CertificateRow | null, now: Date): boolean {
  return !!c && c.state === 'issued' && c.revokedAt === null && c.notAfter > now;
}

/** Queues the completion mail for a group of picked-up requests (one mail listing every row). */
export async function completionMails(s: Pick<Services, 'config'>, tx: Queryable, rows: readonly RequestRow[], now: Date, saveConfirmed: boolean): Promise<void> {
  const first = rows[0]!;
  const inst = await institutionOfRequest(tx, first);
  const to: Recipient[] = (await officerRecipients(tx, first)).map((o) => ({ address: o.email, name: o.name }));
  if (first.adminMail && !to.some((r) => r.address === first.adminMail)) to.push({ address: first.adminMail, name: first.adminName });
  const certs = new Map((await certificatesOfRequests(tx, rows.map((r) => r.id))).map((c) => [c.requestId, c]));
  const person = (r: RequestRow) => ({ name: r.userName ?? r.userMail, email: r.userMail, affiliation: r.userAffiliation ?? undefined });
  const issued = rows.filter((r) => certs.get(r.id)?.der).map((r) => ({ r, c: certs.get(r.id)! }));
  if (issued.length === 0) return;
  const recipients = to.map((t) => ({ name: t.name ?? t.address, email: t.address }));
  const base = { institution: { ja: inst?.nameJa ?? '', en: inst?.nameEn ?? '' }, recipients, method: first.method, saveConfirmed };
  if (first.kind === 'renew') {
    const certificates = [];
    for (const { r, c } of issued) {
      const old = r.renewalOf ? await certificateBySerial(tx, r.renewalOf) : null;
      certificates.push({
        dn: r.dn, serial: c.serial, notAfter: c.notAfter.toISOString(), user: person(r),
        oldSerial: r.renewalOf ?? '', oldRequestDn: old?.requestDn ?? r.dn, oldStillValid: isValid(old, now),
        userAdmin: { name: r.adminName ?? '', email: r.adminMail ?? '', affiliation: r.adminAffiliation ?? undefined },
      });
    }
    await enqueueMails(tx, now, mailHost(s.config.mailFrom), [{ kind: 'renewal-pickup-completed', to, institutionId: first.institutionId, requestId: first.id, data: { ...base, certificates } }]);
    return;
  }
  const certificates = issued.map(({ r, c }) => ({ dn: r.dn, serial: c.serial, notAfter: c.notAfter.toISOString(), user: person(r) }));
  await enqueueMails(tx, now, mailHost(s.config.mailFrom), [{ kind: 'pickup-completed', to, institutionId: first.institutionId, requestId: first.id, data: { ...base, certificates } }]);
}
