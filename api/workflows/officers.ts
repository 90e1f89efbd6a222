/** Operator use cases for officers: list and revoke (`hakko officer …`). */
import { unrevokedCertificatesOfOfficer } from '../../db/repos/certificates.ts';
import { revokeInTx } from './revoke.ts';
import { findLiveOfficerByEmail, listOfficers, markOfficerRevoked, type OfficerView } from '../../db/repos/officers.ts';
import { enrollmentRequestsOf, retireUrlToken, transitionRequests } from '../../db/repos/requests.ts';
import { markRevoked } from '../../db/repos/revocation.ts';
import { findInstitutionByCode } from '../../db/repos/institutions.ts';
import type { Tx } from '../../db/client.ts';
import { canTransition } from '../domain/request-state.ts';
import { appendAudit } from '../audit/audit.ts';
import { HakkoError } from '../errors.ts';
import type { Services } from '../services.ts';

export async function officersOf(s: Pick<Services, 'db'>, institution: string | null): Promise<OfficerView[]> {
  if (institution === null) return listOfficers(s.db);
  const inst = await findInstitutionByCode(s.db, institution);
  if (!inst) throw new HakkoError('NOT_FOUND', { text: { en: `unknown institution: ${institution}`, ja: `機関が見つかりません: ${institution}` } });
  return listOfficers(s.db, inst.id);
}

/**
 * Ends an officer's access at once (issue 9): the officer row is revoked (authentication refuses it,
 * and a later enrollment pickup cannot activate it); the officer's open enrollment requests are
 * cancelled with their URLs (410 CANCELLED); the officer's certificates are revoked (reason
 * cessationOfOperation), and a certificate still being signed cannot be stored any more.
 */
export async function revokeOfficer(s: Pick<Services, 'db' | 'clock' | 'config' | 'signals'>, email: string, actor: string): Promise<void> {
  const now = s.clock.now();
  await s.db.transaction(async (tx) => {
    const o = await findLiveOfficerByEmail(tx, email);
    if (!o || !(await markOfficerRevoked(tx, o.id, now))) throw new HakkoError('NOT_FOUND', { text: { en: `unknown officer: ${email}`, ja: `登録担当者が見つかりません: ${email}` } });
    const cancelled = await cancelEnrollment(tx, o.id, now);
    const certs = await unrevokedCertificatesOfOfficer(tx, o.id);
    const reserved = certs.filter((c) => c.state === 'reserved');
    for (const c of reserved) await markRevoked(tx, c.id, now, 5, 'officer revoked', actor, 'reserved');
    const issued = certs.filter((c) => c.state === 'issued');
    await revokeInTx(s, tx, issued.map((certificate) => ({ certificate, reason: 5 as const, comment: 'officer revoked' })), now, actor, null);
    await appendAudit(tx, now, [{ actor, institutionId: o.institutionId, action: 'officer.revoke', object: email, details: { officerId: o.id, cancelledRequests: cancelled.map(String), revokedReservations: reserved.map((c) => c.serial) } }]);
  });
  s.signals.revoked();
}

/** Cancels the officer's unfinished enrollment requests and kills their pickup URLs; returns their ids. */
async function cancelEnrollment(tx: Tx, officerId: number, now: Date): Promise<number[]> {
  const open = (await enrollmentRequestsOf(tx, officerId)).filter((r) => r.state !== 'completed' && r.state !== 'cancelled');
  for (const r of open) if (r.pickupUrlId !== null) await retireUrlToken(tx, r.pickupUrlId, 'cancelled', now);
  const cancellable = open.filter((r) => canTransition(r.state, 'cancel')).map((r) => r.id);
  await transitionRequests(tx, cancellable, 'cancel', now, { pinEnc: null });
  return open.map((r) => r.id);
}
