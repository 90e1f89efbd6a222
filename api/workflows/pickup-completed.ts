/**
 * What follows a finished pickup (spec 05 §Which mail goes to whom): the pickup-completed mail — or,
 * for renewals, the renewal mail with the revocation TSV of a still-valid old certificate — to the
 * uploading officer and the user administrator; and, for enrollment, the officer becomes active.
 */
import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { officers } from '../../db/schema/index.ts';
import { certificateBySerial, certificatesOfRequests, type CertificateRow } from '../../db/repos/certificates.ts';
import { enqueueMails, type Recipient } from '../../db/repos/outbox.ts';
import { institutionOfRequest, uploaderOf, type RequestRow } from '../../db/repos/requests.ts';
import type { Services } from '../services.ts';
import { mailHost } from './enroll-officer.ts';

export async function activateOfficer(tx: Queryable, req: RequestRow): Promise<void> {
  if (req.officerId !== null) await tx.update(officers).set({ status: 'active' }).where(eq(officers.id, req.officerId));
}

function isValid(c: CertificateRow | null, now: Date): boolean {
  return !!c && c.state === 'issued' && c.revokedAt === null && c.notAfter > now;
}

/** Queues the completion mail for a group of picked-up requests (one mail listing every row). */
export async function completionMails(s: Pick<Services, 'config'>, tx: Queryable, rows: readonly RequestRow[], now: Date, saveConfirmed: boolean): Promise<void> {
  const first = rows[0]!;
  const inst = await institutionOfRequest(tx, first);
  const uploader = await uploaderOf(tx, first.uploadId);
  const to: Recipient[] = [];
  if (uploader) to.push({ address: uploader.email, name: uploader.name });
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
