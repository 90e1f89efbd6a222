/**
 * The officer's certificates (spec 06 §Dashboard: Certificates, §API): the searchable list, the
 * detail page (decoded certificate, request, history, mails), the PEM download and the change of
 * user administrator (spec 01 §User administrator change, singly in the dashboard). Own institution
 * only: a certificate of another institution is 404, like one that does not exist.
 */
import { institutionCertificate, listCertificates, type CertificateListRow } from '../../db/repos/certificate-list.ts';
import { auditOfObjects, mailsAbout, officersByCertificateSerials } from '../../db/repos/history.ts';
import { listRequests } from '../../db/repos/request-list.ts';
import { requestsByUrl } from '../../db/repos/requests.ts';
import { changeAdministrator } from '../../db/repos/uploads.ts';
import type { CertificateDetailJson, CertificateItemJson, CertificateListJson, CertificateQueryInput, MailEntryJson } from '../domain/api/officer.ts';
import { certificateStatus } from '../domain/request-state.ts';
import { COL, type ColumnNumber } from '../domain/errors/columns.ts';
import { problemText } from '../domain/errors/format.ts';
import { checkRow } from '../domain/tsv/index.ts';
import { appendAudit } from '../audit/audit.ts';
import { HakkoError } from '../errors.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';
import { describeCertificate } from '../pki/describe.ts';
import { toPem } from '../pki/pem.ts';
import type { Services } from '../services.ts';
import { toRequestItem } from './officer-requests.ts';
import { institutionOf, pageOffset } from './officer-scope.ts';

/** A serial written in hex (`0x1b6e…` or `1B:6E:…`, as browsers show it) in decimal; null otherwise. */
export function hexSerial(q: string): string | null {
  const hex = /^0x[0-9a-f]+$/i.test(q) ? q.slice(2) : /^[0-9a-f]{2}(?::[0-9a-f]{2})+$/i.test(q) ? q.replaceAll(':', '') : null;
  return hex === null || hex.length > 34 ? null : BigInt('0x' + hex).toString(10);
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function toCertificateItem(r: CertificateListRow, now: Date): CertificateItemJson {
  return {
    serial: r.serial, dn: r.requestDn, state: certificateStatus(r, now), notBefore: r.notBefore.toISOString(), notAfter: r.notAfter.toISOString(),
    profile: r.profile, userMail: r.userMail, userName: r.userName, issuedAt: iso(r.issuedAt), revokedAt: iso(r.revokedAt), renewedBy: r.renewedBy,
    renewalOf: r.renewalOf, requestId: r.requestId === null ? null : String(r.requestId),
  };
}

/** `GET /api/officer/certificates` (spec 06, fixed): newest first. */
export async function officerCertificates(s: Services, officer: AuthenticatedOfficer, query: CertificateQueryInput): Promise<CertificateListJson> {
  const now = s.clock.now();
  const text = query.q?.trim() ?? '';
  const serial = text === '' ? null : hexSerial(text);
  const { rows, total } = await listCertificates(s.db, {
    institutionId: institutionOf(officer), now, state: query.state, offset: pageOffset(query.page, query.size), limit: query.size,
    ...(text === '' ? {} : { contains: text.toLowerCase() }),
    ...(serial === null ? {} : { serial }),
  });
  return { items: rows.map((r) => toCertificateItem(r, now)), total, page: query.page, size: query.size };
}

async function ownCertificate(s: Services, officer: AuthenticatedOfficer, serial: string) {
  const c = await institutionCertificate(s.db, institutionOf(officer), serial.replace(/^0+(?=\d)/, ''));
  if (!c || !c.der) throw new HakkoError('NOT_FOUND');
  return { ...c, der: c.der };
}

function mailState(m: { state: string; attempts: number }): MailEntryJson['state'] {
  if (m.state === 'pending') return m.attempts > 0 ? 'retrying' : 'queued';
  return m.state as MailEntryJson['state'];
}

/** `GET /api/officer/certificates/{serial}`: decoded, with its request, history and mails. */
export async function officerCertificateDetail(s: Services, officer: AuthenticatedOfficer, serial: string): Promise<CertificateDetailJson> {
  const now = s.clock.now();
  const inst = institutionOf(officer);
  const c = await ownCertificate(s, officer, serial);
  const reqRow = c.requestId === null ? null : (await listRequests(s.db, { institutionId: inst, requestId: c.requestId, offset: 0, limit: 1 })).rows[0] ?? null;
  const r = reqRow?.r ?? null;
  const objects = [`serial:${c.serial}`];
  if (r) objects.push(`request:${r.id}`);
  if (r?.pinUrlId) objects.push(`pin-url:${r.pinUrlId}`);
  if (r?.pickupUrlId) objects.push(`pickup-url:${r.pickupUrlId}`);
  // A P12一括 group's notices name its first request: look for the whole group's.
  const group = r === null ? [] : r.method === 2 && r.pickupUrlId !== null ? (await requestsByUrl(s.db, 'pickup', r.pickupUrlId)).map((g) => g.id) : [r.id];
  const [history, mails] = await Promise.all([auditOfObjects(s.db, inst, objects), mailsAbout(s.db, inst, c.serial, group)]);
  const names = await officersByCertificateSerials(s.db, [...new Set(history.filter((h) => h.actor.startsWith('cert:')).map((h) => h.actor.slice(5)))]);
  return {
    certificate: { ...toCertificateItem(c, now), revocationReason: c.revocationReason, revocationComment: c.revocationComment },
    decoded: describeCertificate(c.der),
    request: reqRow === null ? null : toRequestItem(reqRow),
    history: history.map((h) => ({
      at: h.at.toISOString(), action: h.action, actor: h.actor, actorName: h.actor.startsWith('cert:') ? (names.get(h.actor.slice(5)) ?? null) : null,
      details: (h.details as Record<string, unknown> | null) ?? null,
    })),
    mails: mails.map((m) => ({
      id: String(m.id), kind: m.kind, to: (m.recipients as { address: string }[]).map((x) => x.address), state: mailState(m), createdAt: m.createdAt.toISOString(),
      sentAt: iso(m.sentAt), attempts: m.attempts, nextAttemptAt: m.state === 'pending' ? m.nextAttemptAt.toISOString() : null, lastError: m.lastError,
    })),
  };
}

/** `GET /api/officer/certificates/{serial}/certificate.pem`. */
export async function officerCertificatePem(s: Services, officer: AuthenticatedOfficer, serial: string): Promise<{ fileName: string; pem: string }> {
  const c = await ownCertificate(s, officer, serial);
  return { fileName: `certificate-${c.serial}.pem`, pem: toPem(c.der, 'CERTIFICATE') };
}

const ADMIN_COLUMNS: readonly ColumnNumber[] = [COL.adminName, COL.adminAffiliation, COL.adminMail];

/**
 * The new user administrator checked by the rules of the request file's columns 8–10 (format D,
 * spec 02): the row is checked as an administrator-change line, and only those columns count.
 */
function administratorProblems(dn: string, serial: string, admin: { name: string; affiliation: string; mail: string }) {
  const columns = [dn, '', '', serial, '', '', '', admin.name, admin.affiliation, admin.mail, '', '', '', '', ''];
  const check = checkRow({ seq: 1, columns, count: 15 }, 'admin', null);
  return check.findings.filter((f) => ADMIN_COLUMNS.includes(f.column));
}

/** `POST /api/officer/certificates/{serial}/administrator`: later notices go to the new administrator. */
export async function changeCertificateAdministrator(s: Services, officer: AuthenticatedOfficer, serial: string, body: { name: string; affiliation: string; mail: string }) {
  const admin = { name: body.name.trim(), affiliation: body.affiliation.trim(), mail: body.mail.trim() };
  const c = await ownCertificate(s, officer, serial);
  const problems = administratorProblems(c.requestDn, c.serial, admin);
  if (problems.length > 0) {
    const say = (lang: 'ja' | 'en') => problems.map((p) => `${p.code}: ${problemText(p.code, p.column, p.params ?? {}, lang)}`).join(' ');
    throw new HakkoError('VALIDATION', { text: { ja: say('ja'), en: say('en') }, extra: { problems: problems.map((p) => ({ code: p.code, column: p.column })) } });
  }
  if (c.requestId === null) throw new HakkoError('NOT_FOUND');
  const now = s.clock.now();
  await s.db.transaction(async (tx) => {
    await changeAdministrator(tx, c.requestId!, admin, now);
    await appendAudit(tx, now, [{ actor: `cert:${officer.certSerial}`, institutionId: institutionOf(officer), action: 'certificate.admin-changed', object: `serial:${c.serial}`, details: { admin: admin.mail, via: 'dashboard' } }]);
  });
  return { serial: c.serial, admin };
}
