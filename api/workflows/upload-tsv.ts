/**
 * `POST /api/officer/uploads` (spec 06 §API, spec 02 §Upload modes): validate with the shared rules
 * and the database lookups, then — in ONE transaction — record the upload, create requests with their
 * PINs, URLs and notices (issue, renew), revoke (revoke) or change administrators (admin), and audit.
 * abort: any error registers nothing; valid-only: the error-free rows are registered. File-level
 * problems stop everything in both modes; warnings never block.
 */
import { createHash } from 'node:crypto';
import type { Tx } from '../../db/client.ts';
import { certificatesBySerials } from '../../db/repos/certificates.ts';
import { findInstitutionById } from '../../db/repos/institutions.ts';
import { findOfficerById } from '../../db/repos/officers.ts';
import { enqueueMails } from '../../db/repos/outbox.ts';
import { readSettings } from '../../db/repos/settings.ts';
import { dbTsvLookup } from '../../db/repos/tsv-lookup.ts';
import { changeAdministrator, insertRequests, insertUpload, reserveRequestIds, sendRequests } from '../../db/repos/uploads.ts';
import { insertUrlTokens, sendUrlTokens, type RequestRow } from '../../db/repos/requests.ts';
import { validateTsv, type TsvKind, type TsvRequest, type TsvValidation } from '../domain/tsv/index.ts';
import type { Lang } from '../domain/errors/index.ts';
import { appendAudit } from '../audit/audit.ts';
import { HakkoError } from '../errors.ts';
import type { AuthenticatedOfficer } from '../http/types.ts';
import type { Services } from '../services.ts';
import { mailHost } from './enroll-officer.ts';
import { prepareUrls } from './request-urls.ts';
import { revokeInTx } from './revoke.ts';
import type { WhoisAnswer } from '../domain/tsv/index.ts';

export interface UploadInput {
  readonly file: { readonly name: string; readonly bytes: Uint8Array } | null;
  readonly kind: TsvKind;
  readonly mode: 'abort' | 'valid-only';
  readonly lang: Lang;
}

export interface UploadRowResult {
  readonly seq: number;
  readonly ok: boolean;
  readonly errors: TsvValidation['problems'];
  readonly requestId: string | null;
}

export interface UploadAnswer {
  readonly upload: string;
  readonly registered: number;
  readonly rejected: number;
  readonly errors: TsvValidation['fileProblems'];
  readonly rows: UploadRowResult[];
}

/** Today's date in Japan (approval expiry dates are JST calendar days). */
export function jstToday(now: Date): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

export async function uploadTsv(s: Services, officer: AuthenticatedOfficer, input: UploadInput, whois?: (domain: string) => Promise<WhoisAnswer>): Promise<UploadAnswer> {
  if (officer.institutionId === null) throw new HakkoError('NOT_AN_OFFICER');
  const now = s.clock.now();
  const settings = await readSettings(s.db);
  const inst = (await findInstitutionById(s.db, officer.institutionId))!;
  const v = await validateTsv(input.file?.bytes ?? null, {
    kind: input.kind, lang: input.lang, fileName: input.file?.name ?? null, institution: inst,
    lookup: dbTsvLookup(s.db, inst.id, whois), today: jstToday(now),
    maxBytes: settings['upload.maxBytes'], maxLines: settings['upload.maxLines'], w227IsError: settings['tsv.w227IsError'],
  });
  const fileLevel = v.fileProblems.some((p) => p.level === 'error');
  const accepted = fileLevel ? [] : v.rows.filter((r) => r.ok && r.request !== null);
  const register = fileLevel || (input.mode === 'abort' && accepted.length !== v.rows.length) ? [] : accepted;
  // A file-level error (208, 209, 213, 214, 216, 217, 218) answers with `rows` empty (spec 06 §API).
  const shown = fileLevel ? [] : v.rows;
  const rejected = v.rows.length - register.length;
  // The upload record is written once, complete: the counts and the report are known before the transaction.
  const result = { fileProblems: v.fileProblems, rows: shown.map((r) => reportRow(r, inst.ja, inst.en)) };
  const answer = await s.db.transaction(async (tx) => {
    const upload = await insertUpload(tx, {
      institutionId: inst.id, officerId: officer.officerId, kind: input.kind, mode: input.mode, fileName: input.file?.name ?? '',
      fileSha256: createHash('sha256').update(input.file?.bytes ?? new Uint8Array()).digest('hex'), lang: input.lang, lines: v.lines,
      registered: register.length, rejected, result, createdAt: now,
    });
    const ids = await apply(s, tx, officer, inst, upload.id, register.map((r) => r.request!), now);
    const rows = shown.map((r) => ({ seq: r.seq, ok: r.ok, errors: r.problems, requestId: ids.get(r.seq) ?? null }));
    await appendAudit(tx, now, [{ actor: `cert:${officer.certSerial}`, institutionId: inst.id, action: 'upload', object: `upload:${upload.id}`, details: { kind: input.kind, mode: input.mode, file: input.file?.name ?? null, registered: register.length, rejected } }]);
    return { upload: String(upload.id), registered: register.length, rejected, errors: v.fileProblems, rows };
  });
  if (answer.registered > 0) {
    s.signals.mailQueued();
    if (input.kind === 'revoke') s.signals.revoked();
  }
  return answer;
}

function reportRow(r: TsvValidation['rows'][number], ja: string, en: string) {
  const p = r.parsed;
  return { seq: r.seq, ok: r.ok, messages: r.problems.map((x) => x.message), institution: { ja, en }, affiliation: p?.user.affiliation ?? null, name: p?.user.name ?? null, mail: p?.user.mail ?? null };
}

/** Applies the accepted requests; returns seq → request id for issue and renewal rows. */
async function apply(s: Services, tx: Tx, officer: AuthenticatedOfficer, inst: { id: number; ja: string; en: string }, uploadId: number, reqs: readonly TsvRequest[], now: Date): Promise<Map<number, string>> {
  const ids = new Map<number, string>();
  if (reqs.length === 0) return ids;
  const actor = `cert:${officer.certSerial}`;
  const first = reqs[0]!;
  if (first.kind === 'issue' || first.kind === 'renew') {
    const rows = reqs as (Extract<TsvRequest, { kind: 'issue' | 'renew' }>)[];
    // Ids first (the escrowed PIN is bound to its request id), then tokens and PINs, then each
    // request is written once with all of it (spec 08 §Performance: 10,000 rows in ≤ 3 s).
    const reserved = await reserveRequestIds(tx, rows.length);
    const created = rows.map((r, i): RequestRow => ({
      id: reserved[i]!, institutionId: inst.id, uploadId, officerId: null, kind: r.kind, seq: r.seq, state: 'pin-pending', dn: r.dnText, cnOuKey: r.cnOuKey,
      profile: r.profile, method: r.method, adminName: r.admin.name, adminAffiliation: r.admin.affiliation, adminMail: r.admin.mail,
      userName: r.user.name, userAffiliation: r.user.affiliation, userMail: r.user.mail, p12FileName: r.p12FileName,
      renewalOf: r.kind === 'renew' ? r.serial : null, pinHash: null, pinEnc: null, pinUrlId: null, pickupUrlId: null,
      pinRetrievedAt: null, issuedAt: null, confirmedAt: null, createdAt: now, updatedAt: now, extra: null,
    }));
    const supplied = new Map<number, string>();
    created.forEach((c, i) => {
      ids.set(c.seq!, String(c.id));
      const pin = rows[i]!.pin;
      if (pin) supplied.set(c.id, pin);
    });
    const settings = await readSettings(tx);
    const uploader = await findOfficerById(tx, officer.officerId);
    const urls = await prepareUrls(tx, { s, now, pinDays: settings['pin.urlDays'], pickupDays: settings['pickup.urlDays'], institution: inst, uploader: uploader && { name: uploader.name, email: uploader.email }, reissued: false }, created, supplied);
    const pglite = s.dbKind === 'pglite';
    const withSecrets = () => {
      const secrets = urls.secrets();
      return created.map((c, i) => ({ ...c, ...secrets[i]! }));
    };
    const audit = () => created.map((c) => ({ actor, institutionId: inst.id, action: 'request.created', object: `request:${c.id}`, details: { upload: String(uploadId), seq: c.seq, kind: c.kind } }));
    if (pglite) {
      // One engine on Node's thread: nothing to overlap, and the trigger switch of `referencesOnce`
      // (foreign keys checked once per insert, not per row) must not span another caller's statements.
      await insertUrlTokens(tx, urls.tokens);
      await insertRequests(tx, withSecrets(), { referencesOnce: true });
      await enqueueMails(tx, now, mailHost(s.config.mailFrom), urls.mails(), { referencesOnce: true });
      await appendAudit(tx, now, audit());
    } else {
      // PostgreSQL works beside Node (spec 08 §Performance): each part goes out chunk by chunk, in
      // an order the server keeps (tokens before the requests that reference them), and the server
      // stores it while Node makes the next — PINs while the tokens go in, audit records and sealed
      // notices while the requests go in. Everything is awaited together, so that no failure goes
      // unhandled.
      const tokensSent = await sendUrlTokens(tx, urls.tokens);
      const requestsSent = await sendRequests(tx, withSecrets());
      const audited = appendAudit(tx, now, audit());
      audited.catch(() => {}); // awaited below; this only keeps a throw in between from leaving it unhandled
      const mails = urls.mails();
      await Promise.all([tokensSent.done, requestsSent.done, audited, enqueueMails(tx, now, mailHost(s.config.mailFrom), mails)]);
    }
    return ids;
  }
  const certs = new Map((await certificatesBySerials(tx, reqs.map((r) => (r as { serial: string }).serial))).map((c) => [c.serial, c]));
  if (first.kind === 'revoke') {
    const items = (reqs as Extract<TsvRequest, { kind: 'revoke' }>[]).map((r) => ({ certificate: certs.get(r.serial)!, reason: r.reason, comment: r.comment }));
    await revokeInTx(s, tx, items, now, actor, { name: officer.name, email: officer.email });
    return ids;
  }
  for (const r of reqs as Extract<TsvRequest, { kind: 'admin' }>[]) {
    const c = certs.get(r.serial)!;
    if (c.requestId !== null) await changeAdministrator(tx, c.requestId, r.admin, now);
  }
  await appendAudit(tx, now, (reqs as Extract<TsvRequest, { kind: 'admin' }>[]).map((r) => ({ actor, institutionId: inst.id, action: 'certificate.admin-changed', object: `serial:${r.serial}`, details: { admin: r.admin.mail } })));
  return ids;
}
