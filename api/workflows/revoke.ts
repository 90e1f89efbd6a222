/**
 * The revocation service (spec 01 §Revocation, spec 03 §Revocation status): every path — TSV upload,
 * dashboard, old-certificate clean-up, officer revocation — revokes through `revokeInTx`. No
 * un-revoke (the update only touches unrevoked rows), an audit record per certificate, the
 * revocation notice to officer(s), user administrator and user in the same transaction, and the
 * CRL publisher woken after the commit.
 */
import type { Queryable, Tx } from '../../db/client.ts';
import { certificateBySerial, type CertificateRow } from '../../db/repos/certificates.ts';
import { markRevoked, notifyRevoked, requestOfCertificate } from '../../db/repos/revocation.ts';
import { findInstitutionById } from '../../db/repos/institutions.ts';
import { enqueueMails, type Recipient } from '../../db/repos/outbox.ts';
import { isRevocationReason, type RevocationReason } from '../domain/reasons.ts';
import { checkRevocationComment } from '../domain/tsv/values.ts';
import { problemText } from '../domain/errors/format.ts';
import { COL } from '../domain/errors/columns.ts';
import { readSettings } from '../../db/repos/settings.ts';
import { appendAudit } from '../audit/audit.ts';
import { HakkoError, invalid } from '../errors.ts';
import type { Services } from '../services.ts';
import { mailHost } from './enroll-officer.ts';

export interface RevocationItem {
  readonly certificate: CertificateRow;
  readonly reason: RevocationReason;
  readonly comment: string | null;
}

export interface Revoked {
  readonly serial: string;
  readonly revokedAt: Date;
  readonly reason: RevocationReason;
}

/** Revokes inside the caller's transaction; throws ALREADY_REVOKED when one was revoked meanwhile. */
export async function revokeInTx(s: Pick<Services, 'config'>, tx: Tx, items: readonly RevocationItem[], now: Date, actor: string, officer: { name: string; email: string } | null): Promise<Revoked[]> {
  const out: Revoked[] = [];
  for (const it of items) {
    if (!(await markRevoked(tx, it.certificate.id, now, it.reason, it.comment, actor))) throw new HakkoError('ALREADY_REVOKED', { extra: { serial: it.certificate.serial } });
    out.push({ serial: it.certificate.serial, revokedAt: now, reason: it.reason });
    await revocationMail(s, tx, it, now, officer);
  }
  if (items.length) await notifyRevoked(tx);
  await appendAudit(tx, now, items.map((it) => ({ actor, institutionId: it.certificate.institutionId, action: 'certificate.revoked', object: `serial:${it.certificate.serial}`, details: { reason: it.reason, comment: it.comment } })));
  return out;
}

async function revocationMail(s: Pick<Services, 'config'>, tx: Queryable, it: RevocationItem, now: Date, officer: { name: string; email: string } | null): Promise<void> {
  const c = it.certificate;
  if (c.kind !== 'subscriber' || c.institutionId === null) return;
  const inst = await findInstitutionById(tx, c.institutionId);
  const req = await requestOfCertificate(tx, c);
  const to: Recipient[] = [];
  const add = (address: string | null | undefined, name: string | null | undefined) => {
    if (address && !to.some((t) => t.address === address)) to.push({ address, name: name ?? null });
  };
  add(officer?.email, officer?.name);
  add(req?.adminMail, req?.adminName);
  add(req?.userMail ?? c.userMail, req?.userName);
  const data = {
    institution: { ja: inst?.ja ?? '', en: inst?.en ?? '' },
    recipients: to.map((t) => ({ name: t.name ?? t.address, email: t.address })),
    certificate: { dn: c.requestDn, serial: c.serial },
    reason: it.reason,
    ...(it.comment ? { comment: it.comment } : {}),
    revokedAt: now.toISOString(),
  };
  await enqueueMails(tx, now, mailHost(s.config.mailFrom), [{ kind: 'revocation-completed', to, institutionId: c.institutionId, serial: c.serial, data }]);
}

/** `POST /api/officer/certificates/{serial}/revoke` (spec 06 §API): own institution only. */
export async function revokeBySerial(s: Services, officer: { institutionId: number | null; certSerial: string; name: string; email: string }, serial: string, body: { reason?: unknown; comment?: unknown }): Promise<Revoked> {
  const reason = typeof body.reason === 'number' ? body.reason : Number.NaN;
  if (!isRevocationReason(reason)) throw invalid('reason must be one of 0, 1, 3, 4, 5', '失効理由は 0, 1, 3, 4, 5 のいずれかです');
  if (body.comment !== undefined && body.comment !== null && typeof body.comment !== 'string') throw invalid('comment must be a string', 'コメントは文字列です');
  // Surrounding spaces are dropped; everything else follows the TSV column 6 rules (one rule, spec 02).
  const text = typeof body.comment === 'string' ? body.comment.trim() : '';
  const w227IsError = (await readSettings(s.db))['tsv.w227IsError'];
  const problems = checkRevocationComment(reason, text).filter((p) => p.code !== 'W227' || w227IsError);
  if (problems.length) {
    const say = (lang: 'ja' | 'en') => problems.map((p) => `${p.code}: ${problemText(p.code, COL.comment, p.params ?? {}, lang)}`).join(' ');
    throw new HakkoError('VALIDATION', { text: { ja: say('ja'), en: say('en') }, extra: { problems: problems.map((p) => p.code) } });
  }
  const comment = text === '' ? null : text;
  if (!/^\d{1,40}$/.test(serial)) throw new HakkoError('NOT_FOUND');
  const now = s.clock.now();
  const done = await s.db.transaction(async (tx) => {
    const cert = await certificateBySerial(tx, serial.replace(/^0+(?=\d)/, ''));
    if (!cert || cert.state !== 'issued' || cert.kind !== 'subscriber' || cert.institutionId === null || cert.institutionId !== officer.institutionId) throw new HakkoError('NOT_FOUND');
    if (cert.revokedAt) throw new HakkoError('ALREADY_REVOKED');
    const [r] = await revokeInTx(s, tx, [{ certificate: cert, reason, comment }], now, `cert:${officer.certSerial}`, officer);
    return r!;
  });
  s.signals.revoked();
  s.signals.mailQueued();
  return done;
}
