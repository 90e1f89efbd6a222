/**
 * The operator API (spec 06 §Operator, spec 08 §Security "operator-only functions refuse officers";
 * issue 13) on PGlite and PostgreSQL, over HTTPS with real certificates. Every `/api/operator`
 * operation is taken from `/api/openapi.json` and called as a registration officer: each is 403
 * NOT_AN_OPERATOR and changes nothing; without a certificate 401. The operator acts on any
 * institution through the CLI's workflows: creates one, edits another's domains, suspends and
 * resumes, enrolls an officer (URL and PIN answered once; the pickup works), revokes it, reads the
 * CA (fingerprints as `hakko ca show`), changes a setting the CLI then reads, and sees the audit of
 * all of it; the same bad input gets the same message from the CLI and the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.ts';
import { httpsRequest, runCli, startTestServer, type TestServer } from '../helpers/server.ts';
import { addTestInstitution, enrollTestOfficer, enrollTestOperator, officerRequest, SAMPLE_INSTITUTION, type OfficerCredentials } from '../helpers/officer.ts';
import { jsonBody } from '../helpers/officer-fixture.ts';
import { pickUp } from '../helpers/pickup-client.ts';

type Op = { method: string; path: string; operationId: string; requestBody?: { content: Record<string, { schema: { $ref?: string } }> } };

const NEW_U = { code: 'new-u', ja: '新設大学', en: 'New University', o: 'New University', l: 'Meguro-ku', st: 'Tokyo', domains: ['new-u.ac.jp'] };

describe.each(await backends())('operator API on $name', (backend) => {
  let srv: TestServer;
  let officer: OfficerCredentials;
  let operator: OfficerCredentials;
  let ops: Op[];
  let schemas: Record<string, { example?: unknown }>;
  const as = (who: () => OfficerCredentials) => (method: string, path: string, body?: unknown, extra?: Record<string, string | null>) =>
    officerRequest(srv, who(), method, path, body === undefined ? undefined : jsonBody(body), extra);
  const op = as(() => operator);
  const cliJson = async (args: string[]) => {
    const r = await runCli(srv.env, [...args, '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    srv = await startTestServer({ backend, env: { TRUSTED_PROXIES: '127.0.0.1' } });
    await addTestInstitution(srv);
    officer = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code, '登録 太郎', 'ra@sample.ac.jp');
    operator = await enrollTestOperator(srv);
    const doc = (await (await fetch(`${srv.httpUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, Omit<Op, 'method' | 'path'>>>; components: { schemas: Record<string, { example?: unknown }> } };
    schemas = doc.components.schemas;
    ops = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/api/operator/'))
      .flatMap(([p, item]) => Object.entries(item).map(([method, o]) => ({ ...o, method: method.toUpperCase(), path: p })));
  }, 240_000);
  afterAll(async () => {
    await srv?.dispose();
  });

  /** A real call of each operation: real path parameters and the documented example body. */
  function callFor(o: Op): { path: string; body: unknown } {
    const params: Record<string, string> = { code: SAMPLE_INSTITUTION.code, id: '1', key: 'pin.urlDays' };
    const path = o.path.replace(/\{(\w+)\}/g, (_, n: string) => {
      if (!(n in params)) throw new Error(`${o.operationId}: path parameter ${n} unknown to this test`);
      return params[n]!;
    });
    const ref = o.requestBody?.content['application/json']?.schema.$ref;
    const body = ref ? schemas[ref.split('/').pop()!]?.example : o.method === 'GET' ? undefined : {};
    if (ref && body === undefined) throw new Error(`${o.operationId}: the body schema has no example`);
    return { path, body };
  }

  it('ok the document lists the operator operations, each behind the client certificate and, when it changes state, the CSRF header', () => {
    expect(ops.map((o) => o.operationId).sort()).toEqual([
      'operatorCa', 'operatorCreateInstitution', 'operatorEnrollOfficer', 'operatorGetInstitution', 'operatorListAudit', 'operatorListInstitutions', 'operatorListOfficers',
      'operatorListSettings', 'operatorResumeInstitution', 'operatorRevokeOfficer', 'operatorSetSetting', 'operatorSuspendInstitution', 'operatorUpdateInstitution', 'operatorVerifyAudit',
    ]);
    for (const o of ops) {
      const security = (o as unknown as { security: Record<string, unknown>[] }).security;
      expect(Object.keys(security[0]!).sort(), o.operationId).toEqual(o.method === 'GET' ? ['clientCertificate'] : ['clientCertificate', 'csrfHeader']);
    }
  });

  it('NG every operator operation as a registration officer: 403 NOT_AN_OPERATOR, and nothing changed; without a certificate 401', async () => {
    const before = { institutions: await cliJson(['institution', 'list']), officers: await cliJson(['officer', 'list']), pinDays: (await runCli(srv.env, ['config', 'get', 'pin.urlDays'])).stdout };
    for (const o of ops) {
      const { path, body } = callFor(o);
      const r = await as(() => officer)(o.method, path, body);
      expect([r.status, r.json().code], `${o.operationId} ${r.text.slice(0, 200)}`).toEqual([403, 'NOT_AN_OPERATOR']);
      expect(r.json().message.ja, o.operationId).toContain('オペレータ');
      const bare = await httpsRequest(srv.httpsUrl + path, { method: o.method, headers: { 'x-hakko-request': '1', 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), ca: officer.rootPem });
      expect([bare.status, JSON.parse(bare.body).code], o.operationId).toEqual([401, 'NO_CERTIFICATE']);
    }
    expect(await cliJson(['institution', 'list'])).toEqual(before.institutions);
    expect(await cliJson(['officer', 'list'])).toEqual(before.officers);
    expect((await runCli(srv.env, ['config', 'get', 'pin.urlDays'])).stdout).toBe(before.pinDays);
  });

  it('NG every operator state change without X-Hakko-Request, or from a foreign Origin, is 403 CSRF even for the operator; nothing changed', async () => {
    const before = { institutions: await cliJson(['institution', 'list']), officers: await cliJson(['officer', 'list']) };
    const changing = ops.filter((o) => o.method !== 'GET');
    expect(changing).toHaveLength(7);
    for (const o of changing) {
      const { path, body } = callFor(o);
      const bare = await op(o.method, path, body, { 'x-hakko-request': null });
      expect([bare.status, bare.json().code], o.operationId).toEqual([403, 'CSRF']);
      const cross = await op(o.method, path, body, { origin: 'https://evil.example' });
      expect([cross.status, cross.json().code], o.operationId).toEqual([403, 'CSRF']);
    }
    expect(await cliJson(['institution', 'list'])).toEqual(before.institutions);
    expect(await cliJson(['officer', 'list'])).toEqual(before.officers);
  });

  it('ok the operator creates an institution and edits another\'s domains, ST, review, expiry, WHOIS, profiles, methods, key; suspend and resume', async () => {
    const created = await op('POST', '/api/operator/institutions', NEW_U);
    expect(created.status, created.text).toBe(201);
    expect(created.json()).toMatchObject({ ...NEW_U, review: 'complete', status: 'active', profiles: [5, 7, 13, 14, 15, 16], methods: [1, 2, 3], keyAlgorithm: 'RSA-2048', officers: 0 });
    expect(await cliJson(['institution', 'show', 'new-u'])).toMatchObject(NEW_U);
    const patch = { domains: ['sample.ac.jp', 'Mail.Sample.ac.jp'], st: null, review: 'pending', approvalExpires: '2027-03-31', whoisOrg: 'Sample University', profiles: [13, 15], methods: [1, 3], keyAlgorithm: 'P-256' };
    const edited = await op('PATCH', '/api/operator/institutions/sample-u', patch);
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json()).toMatchObject({ ...patch, domains: ['sample.ac.jp', 'mail.sample.ac.jp'], o: SAMPLE_INSTITUTION.o, officers: 1 });
    expect(await cliJson(['institution', 'show', 'sample-u'])).toMatchObject({ domains: ['sample.ac.jp', 'mail.sample.ac.jp'], st: null, review: 'pending', keyAlgorithm: 'P-256' });
    expect((await op('POST', '/api/operator/institutions/new-u/suspend')).json().status).toBe('suspended');
    expect((await cliJson(['institution', 'show', 'new-u'])).status).toBe('suspended');
    expect((await op('POST', '/api/operator/institutions/new-u/resume')).json().status).toBe('active');
    const list = (await op('GET', '/api/operator/institutions')).json();
    expect(list.items.map((i: { code: string }) => i.code)).toEqual(['new-u', 'sample-u']);
  });

  it('NG the same bad input gets the same rule and message from the CLI and the API; a duplicate code, an unknown institution, no CSRF header', async () => {
    const api = await op('PATCH', '/api/operator/institutions/sample-u', { domains: ['not a domain'] });
    expect([api.status, api.json().code]).toEqual([422, 'VALIDATION']);
    const cli = await runCli(srv.env, ['institution', 'update', 'sample-u', '--domain', 'not a domain']);
    expect(cli.code).toBe(2);
    expect(api.json()).toMatchObject({ field: 'domain', message: { en: 'A mail domain is not a domain name: not a domain', ja: 'メールドメインがドメイン名ではありません: not a domain' } });
    expect(cli.stderr.trim()).toBe(`hakko: --domain: ${api.json().message.en}`);
    const dup = await op('POST', '/api/operator/institutions', NEW_U);
    expect([dup.status, dup.json().duplicate]).toEqual([422, true]);
    expect((await op('PATCH', '/api/operator/institutions/nope', { review: 'pending' })).status).toBe(404);
    const extra = await op('PATCH', '/api/operator/institutions/sample-u', { code: 'renamed' });
    expect([extra.status, extra.json().code]).toEqual([400, 'BAD_REQUEST']);
    const noCsrf = await op('PATCH', '/api/operator/institutions/sample-u', { review: 'complete' }, { 'x-hakko-request': null });
    expect([noCsrf.status, noCsrf.json().code]).toEqual([403, 'CSRF']);
    expect((await cliJson(['institution', 'show', 'sample-u'])).review).toBe('pending');
  });

  it('ok enroll an officer for the new institution: URL and PIN once, the pickup gives a certificate that signs in; list; revoke ends it', async () => {
    const r = await op('POST', '/api/operator/officers', { institution: 'new-u', operator: false, name: '新設 担当', email: 'ra@new-u.ac.jp' });
    expect(r.status, r.text).toBe(201);
    const e = r.json();
    expect(e.url).toMatch(/\/pickup\/[A-Za-z0-9_-]{43}$/);
    expect(e.pin).toMatch(/^\S{6,}$/);
    expect(e.officer).toMatchObject({ email: 'ra@new-u.ac.jp', role: 'officer', status: 'pending', institution: 'new-u' });
    expect(r.headers['cache-control']).toBe('no-store');
    const listed = (await op('GET', '/api/operator/officers?institution=new-u')).text;
    expect(listed).not.toContain(e.pin);
    expect(listed).not.toContain(e.url.split('/').pop());
    const picked = await pickUp(srv.httpUrl, e.url, e.pin, 'CN=ignored');
    const newOfficer: OfficerCredentials = { certPem: picked.certPem, keyPem: picked.keyPem, rootPem: officer.rootPem, serial: picked.serial, email: 'ra@new-u.ac.jp' };
    const me = await officerRequest(srv, newOfficer, 'GET', '/api/me');
    expect(me.json()).toMatchObject({ role: 'officer', institution: { code: 'new-u' } });
    expect((await op('GET', '/api/operator/institutions/new-u')).json().officers).toBe(1);
    const both = (await op('GET', '/api/operator/officers')).json().items.map((o: { email: string; role: string }) => `${o.role}:${o.email}`);
    expect(both).toEqual(['officer:ra@sample.ac.jp', 'operator:operator@hakko.example.jp', 'officer:ra@new-u.ac.jp']);
    const bad = await op('POST', '/api/operator/officers', { institution: 'new-u', operator: true, name: 'x', email: 'x@new-u.ac.jp' });
    expect([bad.status, bad.json().code]).toEqual([422, 'VALIDATION']);
    const self = await op('POST', `/api/operator/officers/${(await op('GET', '/api/operator/officers')).json().items[1].id}/revoke`);
    expect([self.status, self.json().code]).toEqual([422, 'VALIDATION']);
    const revoked = await op('POST', `/api/operator/officers/${e.officer.id}/revoke`);
    expect(revoked.json()).toMatchObject({ status: 'revoked' });
    expect((await officerRequest(srv, newOfficer, 'GET', '/api/me')).status).toBe(403);
    expect((await op('POST', `/api/operator/officers/${e.officer.id}/revoke`)).status).toBe(404);
  });

  it('ok the CA: five certificates with fingerprints as `hakko ca show`, expiry and the service certificates\' renewal; the current CRLs', async () => {
    await fetch(`${srv.httpUrl}/pki/crl/issuing.crl`);
    const ca = (await op('GET', '/api/operator/ca')).json();
    const show = await cliJson(['ca', 'show']);
    expect(ca.certificates.map((c: { name: string }) => c.name)).toEqual(['root', 'issuing', 'ocsp', 'mail', 'tls']);
    for (const c of ca.certificates) {
      expect(c.sha256.replaceAll(':', '').toLowerCase(), c.name).toBe(show[c.name].sha256);
      expect(Date.parse(c.notAfter)).toBeGreaterThan(Date.now());
      if (c.name === 'root' || c.name === 'issuing') expect(c.renewsAt).toBeNull();
      else expect(Date.parse(c.renewsAt)).toBeLessThan(Date.parse(c.notAfter));
    }
    expect(ca.crls.map((c: { ca: string }) => c.ca)).toContain('issuing');
  });

  it('ok settings: listed with defaults; a change is validated like the CLI, read by the CLI, audited; an unknown key 404', async () => {
    const list = (await op('GET', '/api/operator/settings')).json();
    expect(list.items.find((s: { key: string }) => s.key === 'pin.urlDays')).toMatchObject({ value: 30, default: 30 });
    const bad = await op('PUT', '/api/operator/settings/pin.urlDays', { value: '0' });
    expect([bad.status, bad.json().code]).toEqual([422, 'VALIDATION']);
    const cli = await runCli(srv.env, ['config', 'set', 'pin.urlDays', '0']);
    expect(cli.stderr.trim()).toBe(`hakko: ${bad.json().message.en}`);
    const ok = await op('PUT', '/api/operator/settings/pin.urlDays', { value: '14' });
    expect(ok.json()).toMatchObject({ key: 'pin.urlDays', value: 14 });
    expect((await runCli(srv.env, ['config', 'get', 'pin.urlDays'])).stdout.trim()).toBe('14');
    expect((await op('PUT', '/api/operator/settings/no.such', { value: '1' })).status).toBe(404);
    const audit = (await op('GET', '/api/operator/audit?action=config.set')).json();
    expect(audit.items[0]).toMatchObject({ action: 'config.set', object: 'pin.urlDays', actor: `cert:${operator.serial}`, actorName: '運用 担当', details: { from: 30, to: 14 } });
  });

  it('ok the operator\'s audit covers every institution and verifies; the officer\'s stays in its own', async () => {
    const all = (await op('GET', '/api/operator/audit?size=200')).json();
    expect(new Set(all.items.map((r: { institution: string | null }) => r.institution))).toEqual(new Set(['sample-u', 'new-u', null]));
    expect(all.items.filter((r: { actor: string }) => r.actor === `cert:${operator.serial}`).map((r: { action: string }) => r.action)).toEqual(
      expect.arrayContaining(['institution.add', 'institution.update', 'officer.enroll', 'officer.revoke', 'config.set']),
    );
    expect((await op('GET', '/api/operator/audit?institution=new-u')).json().items.every((r: { institution: string }) => r.institution === 'new-u')).toBe(true);
    expect((await op('GET', '/api/operator/audit/verify')).json()).toMatchObject({ ok: true, brokenAt: null });
    const own = (await officerRequest(srv, officer, 'GET', '/api/officer/audit?size=200')).json();
    expect(own.items.every((r: { institution: string }) => r.institution === 'sample-u')).toBe(true);
  });
});
