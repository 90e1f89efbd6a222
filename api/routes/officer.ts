/**
 * Officer API, the fixed calls of spec 06 §API: `/api/me`, the upload and its report, the information
 * file, revocation, and re-issue / cancel of a request's URLs. Behind client-certificate auth; state
 * changes behind CSRF (app.ts). The dashboard's other views are `officer-views.ts`.
 */
import { z } from 'zod';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { apiRouter, defineRoute } from '../http/openapi.ts';
import type { AppEnv } from '../http/types.ts';
import { IdString, SerialString } from '../domain/api/common.ts';
import { ExportQuery, Me, RequestsChanged, RevokeAnswer, RevokeBody, UploadAnswer, UploadForm } from '../domain/api/officer.ts';
import type { WhoisAnswer } from '../domain/tsv/index.ts';
import { tooLargeAnswer, uploadBodyLimit, uploadTsv } from '../workflows/upload-tsv.ts';
import { uploadReport } from '../workflows/upload-report.ts';
import { exportInfoFile } from '../workflows/export-info.ts';
import { revokeBySerial } from '../workflows/revoke.ts';
import { cancelRequest, reissueUrls } from '../workflows/reissue.ts';
import { download, streamOf } from './download.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const tsv = (description: string) => ({ description, content: { 'text/tab-separated-values': { schema: z.string().meta({ format: 'binary', description: 'CP932, CRLF.' }) } } });
const SerialParam = z.object({ serial: SerialString.meta({ param: { name: 'serial', in: 'path' } }) });
const IdParam = z.object({ id: IdString.meta({ param: { name: 'id', in: 'path' } }) });

/**
 * A body over `upload.maxBytes` (plus the multipart framing) is not read: it answers 216 in the
 * upload answer shape, 422, like a file the validator finds too large (spec 06 §API, spec 02 216).
 */
const uploadLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { maxBytes, maxBody } = await uploadBodyLimit(c.var.services);
  return bodyLimit({ maxSize: maxBody, onError: (c) => c.json(tooLargeAnswer(maxBytes), 422) })(c, next);
};

export const meRouteSpec = defineRoute('officer', {
  method: 'get', path: '/', operationId: 'getMe', summary: 'Who presented the certificate (spec 06, fixed)',
  responses: { 200: json(Me, 'The officer or operator, with the institution (null for operators).') },
});

export const officerRouteSpecs = {
  upload: defineRoute('officer', {
    method: 'post', path: '/uploads', operationId: 'uploadTsv', summary: 'Upload a request file (spec 06, fixed)',
    description: 'Validated with the rules of spec 02; in ONE transaction the rows are registered (abort: all or none; valid-only: the error-free ones). 200 when something was registered, 422 when nothing was (both the upload answer). A missing or wrong kind, mode or reviewed is 400.',
    middleware: [uploadLimit] as const,
    request: { body: { required: true, content: { 'multipart/form-data': { schema: UploadForm } } } },
    responses: { 200: json(UploadAnswer, 'Something was registered.'), 422: json(UploadAnswer, 'Nothing was registered (file-level problems have empty `rows`).') },
    errors: ['UNSUPPORTED_MEDIA_TYPE'],
  }),
  report: defineRoute('officer', {
    method: 'get', path: '/uploads/{id}/report.tsv', operationId: 'getUploadReport', summary: 'The result table as CP932 TSV (spec 06, fixed)',
    description: 'SEQ, OK/NG, errors, institution, affiliation, name, mail; cells starting with = + - @ neutralised (spec 08).',
    request: { params: IdParam }, responses: { 200: tsv('The report.') }, errors: ['NOT_FOUND'],
  }),
  exportTsv: defineRoute('officer', {
    method: 'get', path: '/export.tsv', operationId: 'exportTsv', summary: 'The certificate information file, spec 02 §E (spec 06, fixed)',
    description: 'One row per issue or renewal request of the institution; CP932, CRLF, a header row in `lang`. Streamed.',
    request: { query: ExportQuery }, responses: { 200: tsv('The information file.') },
  }),
  revoke: defineRoute('officer', {
    method: 'post', path: '/certificates/{serial}/revoke', operationId: 'revokeCertificate', summary: 'Revoke a certificate (spec 06, fixed)',
    description: 'The comment follows the TSV column 6 rule (≤ 128 characters; reason 0 without one is W227, an error only when the operator set `tsv.w227IsError`): 422 VALIDATION with the codes in `problems`.',
    request: { params: SerialParam, body: { required: true, content: { 'application/json': { schema: RevokeBody } } } },
    responses: { 200: json(RevokeAnswer, 'Revoked; the CRL is re-issued within a second and OCSP answers revoked.') },
    errors: ['NOT_FOUND', 'ALREADY_REVOKED', 'VALIDATION', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE'],
  }),
  reissue: defineRoute('officer', {
    method: 'post', path: '/requests/{id}/reissue', operationId: 'reissueRequestUrls', summary: 'New PIN and URLs for an unfinished request; the old ones stop working',
    description: 'For P12一括 the whole user-administrator group gets them. The new URLs are mailed to the same recipients.',
    request: { params: IdParam }, responses: { 200: json(RequestsChanged, 'The requests that got new URLs.') }, errors: ['NOT_FOUND', 'ALREADY_ISSUED', 'CONFLICT'],
  }),
  cancel: defineRoute('officer', {
    method: 'post', path: '/requests/{id}/cancel', operationId: 'cancelRequest', summary: 'Cancel an unfinished request; its URLs stop working',
    request: { params: IdParam }, responses: { 200: json(RequestsChanged, 'Cancelled.') }, errors: ['NOT_FOUND', 'ALREADY_ISSUED', 'CONFLICT'],
  }),
};

/** `GET /api/me` */
export function meRoute() {
  const app = apiRouter();
  app.openapi(meRouteSpec, (c) => {
    const o = c.var.officer;
    return c.json({ name: o.name, email: o.email, role: o.role, institution: o.institution }, 200);
  });
  return app;
}

export function officerRoutes(whois?: (domain: string) => Promise<WhoisAnswer>) {
  const app = apiRouter();
  const r = officerRouteSpecs;
  app.openapi(r.upload, async (c) => {
    const form = c.req.valid('form');
    const f = Array.isArray(form.file) ? form.file[0] : form.file;
    const file = f instanceof File ? { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) } : null;
    const answer = await uploadTsv(c.var.services, c.var.officer, { file, kind: form.kind, mode: form.mode, lang: form.lang ?? 'ja' }, whois);
    return c.json(answer, answer.registered > 0 ? 200 : 422);
  });
  app.openapi(r.report, async (c) => {
    const f = await uploadReport(c.var.services, c.var.officer, Number(c.req.valid('param').id));
    return download(c, f.fileName, 'text/tab-separated-values; charset=Shift_JIS', new Uint8Array(f.bytes));
  });
  app.openapi(r.exportTsv, async (c) => {
    const f = await exportInfoFile(c.var.services, c.var.officer, c.req.valid('query').lang);
    return download(c, f.fileName, 'text/tab-separated-values; charset=Shift_JIS', streamOf(f.chunks));
  });
  app.openapi(r.revoke, async (c) => {
    const done = await revokeBySerial(c.var.services, c.var.officer, c.req.valid('param').serial, c.req.valid('json'));
    return c.json({ serial: done.serial, state: 'revoked' as const, revokedAt: done.revokedAt.toISOString(), reason: done.reason }, 200);
  });
  app.openapi(r.reissue, async (c) => c.json(await reissueUrls(c.var.services, c.var.officer, Number(c.req.valid('param').id)), 200));
  app.openapi(r.cancel, async (c) => c.json(await cancelRequest(c.var.services, c.var.officer, Number(c.req.valid('param').id)), 200));
  return app;
}
