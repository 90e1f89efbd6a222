/**
 * `POST /api/officer/uploads` (spec 06 §API, spec 02 §Upload modes): validate with the shared rules
 * and the database lookups, then — in ONE transaction — record the upload, create requests with their
 * PINs, URLs and notices (issue, renew), revoke (revoke) or change administrators (admin), and audit.
 * abort: any error registers nothing; valid-only: the error-free rows are registered. File-level
 * problems stop everything in both modes; warnings never block. The rows are validated against the
 * database inside that transaction, with the institution's uploads serialised, so that what it
 * registers was checked against every earlier upload (212, 230).
 */
import { createHash } from 'node:crypto';
import type { Tx } from '../../db/client.ts';
import { certificatesBySerials } from '../../db/repos/certificates.ts';
import { findInstitutionById, type InstitutionRecord } from '../../db/repos/institutions.ts';
import { findOfficerById } from '../../db/repos/officers.ts';
import { enqueueMails } from '../../db/repos/outbox.ts';
import { readSettings } from '../../db/repos/settings.ts';
import { dbTsvLookup } from '../../db/repos/tsv-lookup.ts';
import { changeAdministrator, insertRequests, insertUpload, lockInstitutionUploads, reserveRequestIds, sendRequests } from '../../db/repos/uploads.ts';
import { insertUrlTokens, sendUrlTokens, type RequestRow } from '../../db/repos/requests.ts';
import { validateTsv, type SystemLookup, type TsvKind, type TsvRequest, type TsvValidation } from '../domain/tsv/index.ts';
import { toProblem, type Lang } from '../domain/errors/index.ts';
import { appendAudit } from '../audit/audit.ts';
import { HakkoError } from '../errors.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';
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

/**
 * The file-level problems after which `rows` is empty (spec 06 §API). After the others — 209 (file
 * name), 215 and 302 (institution) — every row is still reported (spec 02 §Error messages: all
 * problems of all rows); a file-level error registers nothing either way.
 */
const ROWLESS: ReadonlySet<string> = new Set(['208', '213', '214', '216', '217', '218']);

/** Room for the multipart framing and the small fields around the file (spec 06 §API). */
export const MULTIPART_OVERHEAD = 64 * 1024;

/** The largest upload body `POST /api/officer/uploads` reads: `upload.maxBytes` plus the framing. */
export async function uploadBodyLimit(s: Services): Promise<{ maxBytes: number; maxBody: number }> {
  const maxBytes = (await readSettings(s.db))['upload.maxBytes'];
  return { maxBytes, maxBody: maxBytes + MULTIPART_OVERHEAD };
}

/**
 * The answer to a body over `uploadBodyLimit`: 216 in the upload answer shape, as if the file had
 * been read (spec 06 §API). The body is not read, so `kind`, `mode` and `lang` are unknown: no upload
 * is recorded (`upload` null) and the message is in the default language, Japanese.
 */
export function tooLargeAnswer(maxBytes: number): Omit<UploadAnswer, 'upload'> & { upload: null } {
  return { upload: null, registered: 0, rejected: 0, errors: [toProblem({ code: '216', column: 0, params: { n: maxBytes } }, 0, 'ja')], rows: [] };
}

export async function uploadTsv(s: Services, officer: AuthenticatedOfficer, input: UploadInput, whois?: (domain: string) => Promise<WhoisAnswer>): Promise<UploadAnswer> {
  const institutionId = officer.institutionId;
  if (institutionId === null) throw new HakkoError('NOT_AN_OFFICER');
  const now = s.clock.now();
  const settings = await readSettings(s.db);
  const validate = (inst: InstitutionRecord, lookup: SystemLookup) => validateTsv(input.file?.bytes ?? null, {
    kind: input.kind, lang: input.lang, fileName: input.file?.name ?? null, institution: inst, lookup, today: jstToday(now),
    maxBytes: settings['upload.maxBytes'], maxLines: settings['upload.maxLines'], w227IsError: settings['tsv.w227IsError'],
  });
  const whoisInTx = await askWhoisFirst(s, institutionId, validate, whois);
  const answer = await s.db.transaction(async (tx) => {
    // Uploads of one institution one after the other, each validated in its transaction, so that two
    // concurrent files cannot both pass 212 or 230 (PGlite: one connection, transactions serialised).
    if (s.dbKind === 'postgres') await lockInstitutionUploads(tx, institutionId);
    const inst = (await findInstitutionById(tx, institutionId))!;
    const v = await validate(inst, dbTsvLookup(tx, inst.id, whoisInTx));
    const fileLevel = v.fileProblems.some((p) => p.level === 'error');
    const accepted = fileLevel ? [] : v.rows.filter((r) => r.ok && r.request !== null);
    const register = input.mode === 'abort' && accepted.length !== v.rows.length ? [] : accepted;
    const shown = v.fileProblems.some((p) => p.level === 'error' && ROWLESS.has(p.code)) ? [] : v.rows;
    const rejected = v.rows.length - register.length;
    // The upload record is written once, complete: the counts and the report are known before it.
    const result = { fileProblems: v.fileProblems, rows: shown.map((r) => reportRow(r, inst.ja, inst.en)) };
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

/**
 * WHOIS is asked before the transaction, by a validation whose other lookups find nothing (its result
 * is dropped), and the transaction's validation replays those answers: no network wait while the
 * upload lock is held — nor, on PGlite, while the transaction holds the only connection, which the
 * WHOIS cache would wait for (a deadlock). Only when the institution has a WHOIS organisation
 * (spec 02: otherwise the check does not apply and the validator does not ask).
 */
async function askWhoisFirst(
  s: Services, institutionId: number, validate: (inst: InstitutionRecord, lookup: SystemLookup) => Promise<unknown>,
  whois: ((domain: string) => Promise<WhoisAnswer>) | undefined,
): Promise<((domain: string) => Promise<WhoisAnswer>) | undefined> {
  if (whois === undefined) return undefined;
  const inst = (await findInstitutionById(s.db, institutionId))!;
  const asked = new Map<string, Promise<WhoisAnswer>>();
  if (inst.whoisOrg !== null) {
    await validate(inst, {
      existingCnOu: async () => new Set(),
      certificates: async () => new Map(),
      whois: (domain) => {
        if (!asked.has(domain)) asked.set(domain, whois(domain));
        return asked.get(domain)!;
      },
    });
  }
  // A domain not asked before (the institution changed in between): PostgreSQL can ask now, on
  // another connection; PGlite cannot, and answers "try again later" (303).
  return (domain) => asked.get(domain) ?? (s.dbKind === 'postgres' ? whois(domain) : Promise.resolve({ status: 'unreachable' }));
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
