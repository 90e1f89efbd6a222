/**
 * A registration officer for tests, made the real way (spec 06 §Authentication): `hakko officer
 * enroll` through the CLI, then the enrollment pickup (tests/helpers/pickup-client.ts). Also the
 * officer's HTTPS calls with its client certificate (bytes in and out: multipart uploads, CP932
 * reports) and the `AuthenticatedOfficer` a workflow takes when a test calls it directly.
 */
import https from 'node:https';
import { and, eq, ne } from 'drizzle-orm';
import { institutions, officers } from '../../db/schema/index.ts';
import type { AuthenticatedOfficer } from '../../api/domain/officer.ts';
import { pickUp } from './pickup-client.ts';
import { runCli, type TestServer } from './server.ts';

export interface OfficerCredentials {
  readonly certPem: string;
  readonly keyPem: string;
  /** Hakko's root: the CA the test client trusts for the server's certificate. */
  readonly rootPem: string;
  /** Decimal serial of the officer certificate (the audit actor `cert:SERIAL`). */
  readonly serial: string;
  readonly email: string;
}

/** The sample institution of tests/fixtures/tsv (see its README): `hakko institution add --code sample-u …`. */
export const SAMPLE_INSTITUTION = {
  code: 'sample-u', ja: '見本大学', en: 'Sample University', o: 'Sample University', l: 'Bunkyo-ku', st: 'Tokyo', domains: ['sample.ac.jp'],
} as const;

export interface TestInstitution {
  readonly code: string;
  readonly ja: string;
  readonly en: string;
  readonly o: string;
  readonly l: string;
  readonly st?: string | null;
  readonly domains: readonly string[];
  readonly whoisOrg?: string;
  readonly keyAlgorithm?: 'RSA-2048' | 'P-256';
}

/** `hakko institution add` through the CLI (default: the sample institution). */
export async function addTestInstitution(srv: TestServer, inst: TestInstitution = SAMPLE_INSTITUTION): Promise<void> {
  const args = ['institution', 'add', '--code', inst.code, '--name-ja', inst.ja, '--name-en', inst.en, '--o', inst.o, '--l', inst.l];
  if (inst.st) args.push('--st', inst.st);
  for (const d of inst.domains) args.push('--domain', d);
  if (inst.whoisOrg) args.push('--whois-org', inst.whoisOrg);
  if (inst.keyAlgorithm) args.push('--key-algorithm', inst.keyAlgorithm);
  const r = await runCli(srv.env, args);
  if (r.code !== 0) throw new Error(`institution add failed (${r.code}): ${r.stderr}`);
}

/** Enrolls an officer of `institution` (code) via the CLI and picks the certificate up. */
export async function enrollTestOfficer(srv: TestServer, institution: string, name = '登録 担当', email = `officer@${institution}.example.ac.jp`): Promise<OfficerCredentials> {
  const e = await runCli(srv.env, ['officer', 'enroll', '--institution', institution, '--name', name, '--email', email, '--json']);
  if (e.code !== 0) throw new Error(`officer enroll failed (${e.code}): ${e.stderr}`);
  const { url, pin } = JSON.parse(e.stdout) as { url: string; pin: string };
  const picked = await pickUp(srv.httpUrl, url, pin, 'CN=ignored');
  return { certPem: picked.certPem, keyPem: picked.keyPem, rootPem: srv.services.ca.show().root.pem, serial: picked.serial, email };
}

/** Enrolls an operator (`hakko officer enroll --operator`) and picks its certificate up. */
export async function enrollTestOperator(srv: TestServer, name = '運用 担当', email = 'operator@hakko.example.jp'): Promise<OfficerCredentials> {
  const e = await runCli(srv.env, ['officer', 'enroll', '--operator', '--name', name, '--email', email, '--json']);
  if (e.code !== 0) throw new Error(`operator enroll failed (${e.code}): ${e.stderr}`);
  const { url, pin } = JSON.parse(e.stdout) as { url: string; pin: string };
  const picked = await pickUp(srv.httpUrl, url, pin, 'CN=ignored');
  return { certPem: picked.certPem, keyPem: picked.keyPem, rootPem: srv.services.ca.show().root.pem, serial: picked.serial, email };
}

/** What the officer-auth middleware would put in `c.var.officer`, for calling workflows directly. */
export async function authenticatedOfficer(srv: TestServer, o: OfficerCredentials): Promise<AuthenticatedOfficer> {
  const [r] = await srv.services.db
    .select({ o: officers, i: institutions })
    .from(officers)
    .leftJoin(institutions, eq(institutions.id, officers.institutionId))
    .where(and(eq(officers.email, o.email), ne(officers.status, 'revoked')));
  if (!r) throw new Error(`no officer ${o.email}`);
  return {
    officerId: r.o.id, role: r.o.role, name: r.o.name, email: r.o.email, institutionId: r.o.institutionId,
    institution: r.i ? { code: r.i.code, ja: r.i.nameJa, en: r.i.nameEn } : null, certSerial: o.serial,
  };
}

export interface OfficerAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly bytes: Buffer;
  readonly text: string;
  json<T = any>(): T;
}

/**
 * An HTTPS call with the officer's certificate; state changes carry the CSRF header (spec 06).
 * `extra` adds headers, or with null removes one (a CSRF test leaves `x-hakko-request` out).
 */
export function officerRequest(srv: TestServer, o: OfficerCredentials, method: string, path: string, body?: { bytes: Uint8Array; contentType: string }, extra: Record<string, string | null> = {}): Promise<OfficerAnswer> {
  const headers: Record<string, string> = method === 'GET' ? {} : { 'x-hakko-request': '1' };
  if (body) Object.assign(headers, { 'content-type': body.contentType, 'content-length': String(body.bytes.length) });
  for (const [k, v] of Object.entries(extra)) {
    if (v === null) delete headers[k];
    else headers[k] = v;
  }
  return new Promise((resolve, reject) => {
    const req = https.request(srv.httpsUrl + path, { method, headers, cert: o.certPem, key: o.keyPem, ca: o.rootPem, servername: 'localhost' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const text = bytes.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    if (body) req.write(body.bytes);
    req.end();
  });
}

export interface UploadFields {
  readonly file?: { readonly name: string; readonly bytes: Uint8Array } | null;
  readonly kind?: string;
  readonly mode?: string;
  readonly reviewed?: string;
  readonly lang?: string;
}

/** `POST /api/officer/uploads` as multipart/form-data; fields left undefined are not sent. */
export async function uploadViaApi(srv: TestServer, o: OfficerCredentials, fields: UploadFields): Promise<OfficerAnswer> {
  return officerRequest(srv, o, 'POST', '/api/officer/uploads', await uploadBody(fields));
}

/** The upload fields as a multipart/form-data body. */
export async function uploadBody(fields: UploadFields): Promise<{ bytes: Uint8Array; contentType: string }> {
  const form = new FormData();
  for (const k of ['kind', 'mode', 'reviewed', 'lang'] as const) if (fields[k] !== undefined) form.set(k, fields[k]);
  if (fields.file) form.set('file', new Blob([new Uint8Array(fields.file.bytes)]), fields.file.name);
  const encoded = new Request('http://multipart.invalid/', { method: 'POST', body: form });
  return { bytes: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}
