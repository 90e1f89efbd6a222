/** Operator use cases for officers: list and revoke (`hakko officer …`). */
import { eq } from 'drizzle-orm';
import { officers } from '../../db/schema/index.ts';
import { unrevokedCertificatesOfOfficer } from '../../db/repos/certificates.ts';
import { revokeInTx } from './revoke.ts';
import { findLiveOfficerByEmail, listOfficers, type OfficerView } from '../../db/repos/officers.ts';
import { findInstitutionByCode } from '../../db/repos/institutions.ts';
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
 * Ends an officer's access at once: the officer row is revoked (authentication refuses it) and the
 * officer's certificates are marked revoked (reason cessationOfOperation).
 */
export async function revokeOfficer(s: Pick<Services, 'db' | 'clock' | 'config' | 'signals'>, email: string, actor: string): Promise<void> {
  const now = s.clock.now();
  await s.db.transaction(async (tx) => {
    const o = await findLiveOfficerByEmail(tx, email);
    if (!o) throw new HakkoError('NOT_FOUND', { text: { en: `unknown officer: ${email}`, ja: `登録担当者が見つかりません: ${email}` } });
    await tx.update(officers).set({ status: 'revoked', revokedAt: now }).where(eq(officers.id, o.id));
    const certs = await unrevokedCertificatesOfOfficer(tx, o.id);
    await revokeInTx(s, tx, certs.map((certificate) => ({ certificate, reason: 5 as const, comment: 'officer revoked' })), now, actor, null);
    await appendAudit(tx, now, [{ actor, institutionId: o.institutionId, action: 'officer.revoke', object: email, details: { officerId: o.id } }]);
  });
  s.signals.revoked();
}
