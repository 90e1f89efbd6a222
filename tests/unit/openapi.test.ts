/**
 * The OpenAPI document (spec 06 §API) covers every /api route the app registers — so a new endpoint
 * cannot be left out — with an operation id, a summary, a tag, security on officer calls, and error
 * answers whose examples are real catalogue codes; and a malformed request gets 400 BAD_REQUEST naming
 * the field in Japanese and English.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../api/app.ts';
import { loadConfig } from '../../api/config.ts';
import { silentLogger } from '../../api/log.ts';
import { API_ERRORS } from '../../api/domain/api-errors.ts';
import { malformedRequest } from '../../api/http/openapi.ts';
import type { Services } from '../../api/services.ts';

const config = loadConfig({ HAKKO_DATA_DIR: '/tmp/hakko-openapi-unit' });
// The document and the route table need no database or CA: nothing here answers a real request.
const app = createApp({ config, log: silentLogger } as unknown as Services, { webRoot: null, version: '9.9.9', ocsp: {} as never });
type Doc = { openapi: string; info: { version: string }; paths: Record<string, Record<string, Record<string, any>>>; components: { securitySchemes: Record<string, unknown> } };
const doc = (await (await app.request('/api/openapi.json')).json()) as Doc;

describe('the OpenAPI document', () => {
  it('ok is OpenAPI 3.1 with the product version and both security schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('9.9.9');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['clientCertificate', 'csrfHeader']);
  });

  it('ok lists exactly the /api routes the app registers (method and path)', () => {
    const registered = app.routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && !r.path.includes('*'))
      .map((r) => `${r.method} ${r.path}`);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(new Set(registered)).toEqual(new Set(documented));
    expect(registered.length).toBeGreaterThanOrEqual(26);
    for (const fixed of ['GET /api/health', 'GET /api/me', 'GET /api/tls/whoami', 'GET /api/institutions/:code/profile', 'POST /api/pickup/:token/csr', 'GET /api/officer/export.zip']) {
      expect(documented, fixed).toContain(fixed);
    }
  });

  it('ok every operation has an id, a summary, a tag; officer calls need the certificate, state changes the CSRF header', () => {
    const ids = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        expect(op.operationId, `${m} ${p}`).toMatch(/^[a-z][A-Za-z]+$/);
        expect(ids.has(op.operationId), op.operationId).toBe(false);
        ids.add(op.operationId);
        expect(op.summary, `${m} ${p}`).toBeTruthy();
        expect(op.tags).toHaveLength(1);
        const operator = p.startsWith('/api/operator/');
        const officer = p === '/api/me' || p.startsWith('/api/officer/') || operator;
        expect(op.tags[0], `${m} ${p}`).toBe(operator ? 'Operator' : officer ? 'Officer' : p.startsWith('/api/pin/') || p.startsWith('/api/pickup/') ? 'PIN and pickup' : 'Public');
        const schemes = (op.security ?? []).flatMap((s: object) => Object.keys(s));
        expect(schemes, `${m} ${p}`).toEqual(officer ? (m === 'get' ? ['clientCertificate'] : ['clientCertificate', 'csrfHeader']) : []);
        if (officer) expect(Object.keys(op.responses), `${m} ${p}`).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
  });

  it('ok every error example is a catalogue code with its status and both texts; inputs can answer BAD_REQUEST', () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        for (const [status, answer] of Object.entries(op.responses as Record<string, any>)) {
          for (const [code, ex] of Object.entries((answer.content?.['application/json']?.examples ?? {}) as Record<string, any>)) {
            const spec = API_ERRORS[code as keyof typeof API_ERRORS];
            expect(spec, `${m} ${p} ${code}`).toBeDefined();
            expect(String(spec.status)).toBe(status);
            expect(ex.value).toEqual({ code, message: { ja: spec.ja, en: spec.en } });
          }
        }
        if (op.parameters?.length || op.requestBody) expect(op.responses['400']?.content['application/json'].examples.BAD_REQUEST, `${m} ${p}`).toBeDefined();
      }
    }
  });
});

describe('malformed requests', () => {
  it('NG a query out of range → 400 BAD_REQUEST naming the field in both languages, with issues for programs', async () => {
    const schema = z.object({ size: z.coerce.number().int().max(200), state: z.enum(['valid', 'revoked']).optional(), name: z.string() });
    const r = schema.safeParse({ size: '500', state: 'lost' });
    const e = malformedRequest('query', r.error!, { size: '500', state: 'lost' });
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.status).toBe(400);
    expect(e.extra).toEqual({ issues: [{ in: 'query', field: 'size', problem: 'too_big' }, { in: 'query', field: 'state', problem: 'invalid_value' }, { in: 'query', field: 'name', problem: 'invalid_type' }] });
    expect(e.text.ja).toBe('リクエストの形式が正しくありません。クエリの size は200以下にしてください。クエリの state は"valid", "revoked" のいずれかを指定してください。クエリの name は必須です。');
    expect(e.text.en).toBe('The request is malformed. The query field size must be at most 200; the query field state must be one of "valid", "revoked"; the query field name is required.');
  });

  it('NG through the app: authentication answers before the schema (401 for an officer call without certificate); a malformed public path is 400', async () => {
    const r = await app.request('/api/officer/certificates?state=lost');
    expect(r.status).toBe(401);
    const h = await app.request('/api/institutions/Not%20A%20Code/profile');
    expect(h.status).toBe(400);
    expect(await h.json()).toMatchObject({ code: 'BAD_REQUEST', issues: [{ in: 'param', field: 'code', problem: 'invalid_format' }] });
  });
});
