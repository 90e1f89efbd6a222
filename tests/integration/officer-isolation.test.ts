/**
 * Officer isolation (spec 06 §Authentication: "a test tries every officer endpoint across
 * institutions"; spec 08 §Security), on PGlite and PostgreSQL. Every officer operation is taken from
 * `/api/openapi.json` — an operation this test does not know fails it, so a new endpoint cannot be
 * forgotten — and called as the officer of institution B on the objects of institution A: none
 * succeeds, none leaks A's data, A's objects stay as they were. Every state-changing operation is
 * refused without `X-Hakko-Request` (and with a foreign Origin) even on the officer's own objects.
 */
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { backends } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { officerRequest, uploadBody, type OfficerAnswer, type OfficerCredentials } from '../helpers/officer.ts';
import { buildOfficerFixture, jsonBody, type OfficerFixture } from '../helpers/officer-fixture.ts';

type Op = { method: string; path: string; operationId: string; requestBody?: { content: Record<string, { schema: { $ref?: string } }> } };
type Body = { bytes: Uint8Array; contentType: string };

/** How each operation is called on A's objects: the path, and the body (null: none). */
interface Call {
  readonly path: string;
  readonly body: Body | null;
}

describe.each(await backends())('officer isolation on $name', (backend) => {
  let srv: TestServer;
  let f: OfficerFixture;
  let ops: Op[];
  let schemas: Record<string, { example?: unknown }>;
  /** A's objects. */
  let a: { serial: string; upload: string; request: string; dn: string; mail: string };

  beforeAll(async () => {
    srv = await startTestServer({ backend, env: { TRUSTED_PROXIES: '127.0.0.1' } });
    f = await buildOfficerFixture(srv);
    const reqs = (await officerRequest(srv, f.a, 'GET', `/api/officer/requests?upload=${f.openUpload}`)).json();
    const mails = (await officerRequest(srv, f.a, 'GET', '/api/officer/mails')).json();
    a = { serial: f.issued[0]!.serial, upload: f.openUpload, request: reqs.items[0].id, dn: f.issued[0]!.dn, mail: mails.items[0].id };
    const doc = (await (await fetch(`${srv.httpUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, Omit<Op, 'method' | 'path'>>>; components: { schemas: Record<string, { example?: unknown }> } };
    schemas = doc.components.schemas;
    ops = Object.entries(doc.paths)
      .filter(([p]) => p === '/api/me' || p.startsWith('/api/officer/'))
      .flatMap(([p, item]) => Object.entries(item).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path: p })));
  }, 240_000);
  afterAll(async () => {
    await srv?.dispose();
  });

  /** The documented example of the JSON body (so the examples must be valid requests). */
  function exampleBody(op: Op): Body | null {
    const ref = op.requestBody?.content['application/json']?.schema.$ref;
    if (!ref) return op.method === 'GET' ? null : jsonBody({});
    const example = schemas[ref.split('/').pop()!]?.example;
    if (example === undefined) throw new Error(`${op.operationId}: the body schema has no example`);
    return jsonBody(example);
  }

  /** A revocation file that names A's certificate: B uploading it must not revoke it. */
  async function foreignRevocationFile(): Promise<Body> {
    const row = [a.dn, '', '', a.serial, '3', '', '', '', '', '', '', '', '', '', ''];
    return uploadBody({ file: { name: 'revoke.tsv', bytes: encodeTsv([row]) }, kind: 'revoke', mode: 'abort', reviewed: 'true' });
  }

  async function callFor(op: Op): Promise<Call> {
    const params: Record<string, string> = { serial: a.serial, id: op.path.includes('/uploads/') ? a.upload : op.path.includes('/mails/') ? a.mail : a.request };
    const unknown = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((n) => !(n in params));
    if (unknown.length > 0) throw new Error(`${op.operationId}: path parameter(s) ${unknown.join(', ')} unknown to this test — add how to point them at A's objects`);
    const path = op.path.replace(/\{(\w+)\}/g, (_, n: string) => params[n]!);
    if (op.operationId === 'uploadTsv') return { path, body: await foreignRevocationFile() };
    return { path, body: exampleBody(op) };
  }

  /** What B may get from each operation: 404 for A's objects; B's own lists and files, without A in them. */
  const KNOWN: Record<string, (r: OfficerAnswer) => void> = {
    getMe: (r) => expect(r.json().institution.code).toBe('other-u'),
    uploadTsv: (r) => {
      expect(r.status).toBe(422);
      expect(r.json().rows[0].errors.map((e: { code: string }) => e.code)).toEqual(['223']);
    },
    listUploads: (r) => expect(r.json().items.map((u: { id: string }) => u.id)).not.toContain(a.upload),
    getUpload: (r) => expect(r.status).toBe(404),
    getUploadReport: (r) => expect(r.status).toBe(404),
    listRequests: (r) => expect(r.json().items.map((x: { id: string }) => x.id)).not.toContain(a.request),
    reissueRequestUrls: (r) => expect(r.status).toBe(404),
    cancelRequest: (r) => expect(r.status).toBe(404),
    listCertificates: (r) => expect(r.json().items.map((c: { serial: string }) => c.serial)).not.toContain(a.serial),
    getCertificate: (r) => expect(r.status).toBe(404),
    getCertificatePem: (r) => expect(r.status).toBe(404),
    revokeCertificate: (r) => expect(r.status).toBe(404),
    changeAdministrator: (r) => expect(r.status).toBe(404),
    exportTsv: (r) => expect(r.status).toBe(200),
    exportZip: (r) => {
      const files = unzipSync(new Uint8Array(r.bytes));
      for (const [name, bytes] of Object.entries(files)) expect(strFromU8(bytes, true), name).not.toContain(a.serial);
    },
    getInstitution: (r) => expect(r.json().code).toBe('other-u'),
    getStatistics: (r) => expect(r.status).toBe(200),
    getStatisticsCsv: (r) => expect(r.status).toBe(200),
    listMails: (r) => expect(r.json().items.map((m: { id: string }) => m.id)).not.toContain(a.mail),
    resendMail: (r) => expect(r.status).toBe(404),
    listAudit: (r) => expect(r.json().items.map((x: { institution: string | null }) => x.institution).filter((c: string | null) => c !== 'other-u')).toEqual([]),
    verifyAudit: (r) => expect(r.json().ok).toBe(true),
  };

  it('ok the document lists every officer operation this test knows, and no other', () => {
    expect(ops.map((o) => o.operationId).sort()).toEqual(Object.keys(KNOWN).sort());
  });

  it('NG as B on A\'s objects: nothing succeeds, nothing of A appears in any answer', async () => {
    for (const op of ops) {
      const call = await callFor(op);
      const r = await officerRequest(srv, f.b, op.method, call.path, call.body ?? undefined);
      expect(r.status, `${op.operationId} ${r.text.slice(0, 200)}`).toBeLessThan(500);
      KNOWN[op.operationId]!(r);
      if (r.status === 404) expect(r.json().code, op.operationId).toBe('NOT_FOUND');
      expect(r.text, op.operationId).not.toContain(a.serial);
      expect(r.text, op.operationId).not.toContain('sample.ac.jp');
      expect(r.text, op.operationId).not.toContain('Sample University');
    }
  });

  it('NG every state change without X-Hakko-Request, or from a foreign Origin, is 403 CSRF — even as A on A\'s own objects', async () => {
    const changing = ops.filter((o) => o.method !== 'GET');
    expect(changing.map((o) => o.operationId).sort()).toEqual(['cancelRequest', 'changeAdministrator', 'reissueRequestUrls', 'resendMail', 'revokeCertificate', 'uploadTsv']);
    for (const op of changing) {
      const call = await callFor(op);
      const bare = await officerRequest(srv, f.a, op.method, call.path, call.body ?? undefined, { 'x-hakko-request': null });
      expect([bare.status, bare.json().code], op.operationId).toEqual([403, 'CSRF']);
      const cross = await officerRequest(srv, f.a, op.method, call.path, call.body ?? undefined, { origin: 'https://evil.example' });
      expect([cross.status, cross.json().code], op.operationId).toEqual([403, 'CSRF']);
    }
  });

  it('ok afterwards A\'s objects are as they were: the certificate valid, the request waiting for its PIN, the administrator unchanged', async () => {
    const cert = (await officerRequest(srv, f.a, 'GET', `/api/officer/certificates/${a.serial}`)).json();
    expect(cert.certificate.state).toBe('valid');
    expect(cert.request.admin.mail).not.toBe('admin-b@sample.ac.jp');
    const reqs = (await officerRequest(srv, f.a, 'GET', `/api/officer/requests?upload=${a.upload}`)).json();
    expect(reqs.items[0]).toMatchObject({ id: a.request, state: 'pin-pending' });
    const ups = (await officerRequest(srv, f.a, 'GET', '/api/officer/uploads?size=200')).json();
    expect(ups.total).toBe(3);
  });
});
