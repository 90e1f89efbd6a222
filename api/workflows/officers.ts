/** Operator use cases for officers: list and revoke (`hakko officer …`). */
import { and, eq, isNull } from 'drizzle-orm';
import { certificates, officers } from '../../db/schema/index.ts';
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
export async function revokeOfficer(s: Pick<Services, 'db' | 'clock'>, email: string, actor: string): Promise<void> {
  const now = s.clock.now();
  await s.db.transaction(async (tx) => {
    const o = await findLiveOfficerByEmail(tx, email);
    if (!o) throw new HakkoError('NOT_FOUND', { text: { en: `unknown officer: ${email}`, ja: `登録担当者が見つかりません: ${email}` } });
    await tx.update(officers).set({ status: 'revoked', revokedAt: now }).where(eq(officers.id, o.id));
    // TODO(issue 4): route through the revocation service so the CRL is re-issued at once.
    await tx
      .update(certificates)
      .set({ revokedAt: now, revocationReason: 5, revokedBy: actor })
      .where(and(eq(certificates.officerId, o.id), isNull(certificates.revokedAt)));
    await appendAudit(tx, now, [{ actor, institutionId: o.institutionId, action: 'officer.revoke', object: email, details: { officerId: o.id } }]);
  });
}
