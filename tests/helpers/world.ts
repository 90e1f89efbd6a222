/**
 * The setting of the flow tests (lifecycle, mail delivery): a real Hakko server on a fake clock
 * mailing through a real SMTP server on loopback, the sample institution with an enrolled officer,
 * request TSVs built per test, the pickup API seen from one client address, and the mails as the
 * SMTP server received them, taken apart.
 */
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { createLogger } from '../../api/log.ts';
import { headerValue } from '../../api/mail/mime-headers.ts';
import type { Backend } from './db.ts';
import { FakeClock } from './clock.ts';
import { startTestServer, type TestServer, type TestServerOptions } from './server.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from './smtp-server.ts';
import { leafParts, splitSigned, subjectOf } from './smime-parse.ts';
import { addTestInstitution, enrollTestOfficer, SAMPLE_INSTITUTION, uploadViaApi, type OfficerAnswer, type OfficerCredentials } from './officer.ts';

export interface World {
  readonly srv: TestServer;
  readonly smtp: TestSmtpServer;
  readonly clock: FakeClock;
  readonly officer: OfficerCredentials;
  readonly rootPem: string;
  /** Every line the server logged (debug level), to check what it says — and never says. */
  readonly logLines: readonly string[];
  dispose(): Promise<void>;
}

export const OFFICER_MAIL = 'ra-officer@sample.ac.jp';
export const OFFICER_NAME = '登録 担当';

/** Uploads request rows as a CP932 TSV file (abort mode unless told). */
export function uploadRows(w: Pick<World, 'srv' | 'officer'>, kind: 'issue' | 'renew' | 'revoke', bytes: Uint8Array, mode: 'abort' | 'valid-only' = 'abort'): Promise<OfficerAnswer> {
  return uploadViaApi(w.srv, w.officer, { file: { name: `${kind}.tsv`, bytes }, kind, mode, reviewed: 'true' });
}

/**
 * Server (SMTP_URL → the test SMTP server; TRUSTED_PROXIES=127.0.0.1 so each test can act as its own
 * client address via X-Forwarded-For and the per-address rate limits stay apart) with the sample
 * institution and one enrolled officer. The clock starts at the real time, so certificates the
 * server makes are valid for the real tools too.
 */
export async function startWorld(backend: Backend, opts: Pick<TestServerOptions, 'timers'> = {}): Promise<World> {
  const smtp = await startSmtpServer();
  const clock = new FakeClock(new Date());
  const logLines: string[] = [];
  const log = createLogger('debug', (line) => logLines.push(line));
  const srv = await startTestServer({ backend, clock, log, env: { SMTP_URL: smtp.url, TRUSTED_PROXIES: '127.0.0.1' }, ...opts });
  await addTestInstitution(srv);
  const officer = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code, OFFICER_NAME, OFFICER_MAIL);
  // On PostgreSQL the CLI is a process of its own on the real clock: its enrollment mail is due at
  // a real time the fake clock has not reached yet. Catch up, and wake the worker.
  clock.set(new Date());
  srv.worker?.kick();
  return {
    srv, smtp, clock, officer, rootPem: srv.services.ca.show().root.pem, logLines,
    async dispose() {
      await srv.dispose();
      await smtp.close();
    },
  };
}

// ——— request TSVs ———

export interface Person {
  readonly name: string;
  readonly mail: string;
  readonly affiliation?: string;
}

export interface RowSpec {
  /** CN; OU and the institution's O, L, ST complete the DN. */
  readonly cn: string;
  readonly ou?: string;
  readonly profile?: number;
  readonly method: 1 | 2 | 3;
  readonly admin: Person;
  readonly user: Person;
  readonly p12FileName?: string;
  /** Column 15 (method 2 only). */
  readonly pin?: string;
  /** Column 4 for renewals. */
  readonly serial?: string;
}

export function dnOf(cn: string, ou?: string): string {
  return `CN=${cn},${ou ? `OU=${ou},` : ''}O=${SAMPLE_INSTITUTION.o},L=${SAMPLE_INSTITUTION.l},ST=${SAMPLE_INSTITUTION.st},C=JP`;
}

/** One issuance/renewal line (spec 02 §The 15 columns). */
export function requestRow(r: RowSpec): string[] {
  return [
    dnOf(r.cn, r.ou), String(r.profile ?? 13), String(r.method), r.serial ?? '', '', '', '',
    r.admin.name, r.admin.affiliation ?? '情報基盤センター', r.admin.mail,
    r.user.name, r.p12FileName ?? '', r.user.affiliation ?? '工学部', r.user.mail, r.pin ?? '',
  ];
}

/** CP932, CRLF, TAB-separated — as UPKI tooling writes request files. */
export function requestTsv(rows: readonly RowSpec[]): Uint8Array {
  return encodeTsv(rows.map(requestRow));
}

let counter = 0;
/** A person nobody else in this process uses (rule 212 refuses a DN that was ever issued). */
export function freshPerson(tag = 'user'): Person & { cn: string } {
  const n = ++counter;
  return { cn: `${tag.toUpperCase()} ${n}`, name: `利用者 ${n}`, mail: `${tag}${n}@sample.ac.jp` };
}

export const ADMIN_A: Person = { name: '管理 花子', mail: 'admin-a@sample.ac.jp', affiliation: '情報基盤センター' };
export const ADMIN_B: Person = { name: '管理 次郎', mail: 'admin-b@sample.ac.jp', affiliation: '工学部事務' };

// ——— the pickup API from one client address ———

export interface ApiAnswer {
  readonly status: number;
  readonly json: any;
  readonly headers: Headers;
}

/**
 * The fixed PIN/pickup API (spec 04 §HTTP API) as one client address sees it. Every answer must carry
 * `Cache-Control: no-store`; `noStoreMisses` collects the calls that did not.
 */
export function pickupApi(base: string, ip: string) {
  const noStoreMisses: string[] = [];
  const call = async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const headers: Record<string, string> = { 'x-forwarded-for': ip };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.headers.get('cache-control') !== 'no-store') noStoreMisses.push(`${method} ${path.replace(/[A-Za-z0-9_-]{43}/, '<token>')} → ${res.status}`);
    return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
  };
  return {
    call,
    noStoreMisses,
    pinInfo: (t: string) => call('GET', `/api/pin/${t}`),
    retrieve: (t: string) => call('POST', `/api/pin/${t}/retrieve`),
    info: (t: string) => call('GET', `/api/pickup/${t}`),
    verify: (t: string, pin: string) => call('POST', `/api/pickup/${t}/verify`, { pin }),
    csr: (t: string, body: Record<string, unknown>) => call('POST', `/api/pickup/${t}/csr`, body),
    pins: (t: string) => call('POST', `/api/pickup/${t}/pins`, {}),
    confirm: (t: string, body: Record<string, unknown> = {}) => call('POST', `/api/pickup/${t}/confirm`, body),
  };
}

let ipCounter = 0;
/** A client address of its own (TEST-NET-2), so rate limits of one test never touch another. */
export function freshIp(): string {
  ipCounter++;
  return `198.51.${100 + Math.floor(ipCounter / 250)}.${ipCounter % 250 + 1}`;
}

// ——— mails as received ———

export interface Attachment {
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export interface Mail {
  readonly raw: Buffer;
  readonly messageId: string;
  /** Envelope recipients (RCPT TO). */
  readonly to: readonly string[];
  readonly subject: string;
  /** The decoded text/plain body. */
  readonly text: string;
  readonly attachments: readonly Attachment[];
}

/** Takes a received multipart/signed mail apart. */
export function parseMail(m: ReceivedMail): Mail {
  const { fields, signed } = splitSigned(m.raw);
  const parts = leafParts(signed);
  const body = parts.find((p) => /^text\/plain/i.test(headerValue(p.fields, 'content-type') ?? 'text/plain') && !/attachment/i.test(headerValue(p.fields, 'content-disposition') ?? ''));
  const attachments = parts
    .filter((p) => /attachment/i.test(headerValue(p.fields, 'content-disposition') ?? ''))
    .map((p) => ({
      filename: /filename="?([^";]+)"?/i.exec(headerValue(p.fields, 'content-disposition') ?? '')?.[1] ?? '',
      contentType: headerValue(p.fields, 'content-type') ?? '',
      bytes: p.body,
    }));
  return { raw: m.raw, messageId: headerValue(fields, 'message-id') ?? '', to: m.to, subject: subjectOf(m.raw), text: body ? body.body.toString('utf8') : '', attachments };
}

/** The kinds of mail by their subject (spec 05 table). */
export const SUBJECTS = {
  pinNotice: 'アクセスPIN発行通知 / Access PIN issued',
  pickupNotice: 'クライアント証明書発行受付通知 / Client certificate issue acceptance notice',
  pickupCompleted: 'クライアント証明書取得通知 / Client certificate pickup completed',
  revocation: 'クライアント証明書失効完了通知 / Client certificate revocation completed',
  revokeOld: '旧証明書失効のお願い / Please revoke the replaced certificate',
  expiry: '有効期限のお知らせ / Certificate expiry reminder',
  enrollment: '登録担当者証明書のご案内 / Registration officer certificate',
} as const;

/** Links to PIN and pickup pages in a mail body. */
export function linksIn(text: string): { pin: string[]; pickup: string[] } {
  const all = [...text.matchAll(/https?:\/\/[^\s/]+\/(pin|pickup)\/([A-Za-z0-9_-]{43})/g)];
  const uniq = (xs: string[]) => [...new Set(xs)];
  return { pin: uniq(all.filter((m) => m[1] === 'pin').map((m) => m[2]!)), pickup: uniq(all.filter((m) => m[1] === 'pickup').map((m) => m[2]!)) };
}

/**
 * Waits (polling, real time) until the SMTP server holds mails matching `pred` that were not handed
 * out before, and returns exactly `count` of them; more than `count` matching mails is an error
 * after a short grace period (nothing doubled).
 */
export function mailbox(smtp: TestSmtpServer) {
  const taken = new Set<ReceivedMail>();
  const fresh = (pred: (m: Mail) => boolean) => smtp.received.filter((r) => !taken.has(r)).map((r) => [r, parseMail(r)] as const).filter(([, m]) => pred(m));
  return {
    async take(pred: (m: Mail) => boolean, count = 1, timeoutMs = 15_000): Promise<Mail[]> {
      const end = Date.now() + timeoutMs;
      let found = fresh(pred);
      while (found.length < count && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 25));
        found = fresh(pred);
      }
      if (found.length < count) throw new Error(`expected ${count} mail(s), got ${found.length}; unmatched mails: ${fresh(() => true).map(([, m]) => `${m.subject} → ${m.to.join(',')}`).join(' | ') || 'none'}`);
      await new Promise((r) => setTimeout(r, 50));
      found = fresh(pred);
      if (found.length > count) throw new Error(`expected ${count} mail(s), got ${found.length}: ${found.map(([, m]) => `${m.subject} → ${m.to.join(',')}`).join(' | ')}`);
      for (const [r] of found) taken.add(r);
      return found.map(([, m]) => m);
    },
    /** Mails nobody took yet. */
    untaken(): Mail[] {
      return fresh(() => true).map(([, m]) => m);
    },
  };
}

/** Matches a mail by subject (with or without 再発行 marks) and envelope recipient. */
export function isMail(subject: string, to?: string): (m: Mail) => boolean {
  const [ja, en] = subject.split(' / ');
  return (m) => m.subject.includes(ja!) && m.subject.includes(en!) && (to === undefined || m.to.includes(to));
}
