/**
 * The officer's views and their few actions beyond spec 06's fixed table (spec 06 §Dashboard):
 * uploads and their results, requests, the certificate list, detail, PEM and administrator change,
 * the ZIP download and the allowlist. Mounted under `/api/officer` behind the officer's client
 * certificate and CSRF (app.ts); every answer is the officer's own institution only.
 */
import { z } from 'zod';
import { defineRoute, apiRouter } from '../http/openapi.ts';
import { IdString, PageQuery, SerialString } from '../domain/api/common.ts';
import {
  AdministratorAnswer, AdministratorBody, CertificateDetail, CertificateList, CertificateQuery, ExportQuery, InstitutionDetail, RequestList, RequestQuery,
  UploadDetail, UploadList,
} from '../domain/api/officer.ts';
import { changeCertificateAdministrator, officerCertificateDetail, officerCertificatePem, officerCertificates } from '../workflows/officer-certificates.ts';
import { officerRequests, officerUpload, officerUploads } from '../workflows/officer-requests.ts';
import { exportZip } from '../workflows/export-zip.ts';
import { officerInstitution } from '../workflows/public-info.ts';
import { download, streamOf } from './download.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const SerialParam = z.object({ serial: SerialString.meta({ param: { name: 'serial', in: 'path' } }) });
const IdParam = z.object({ id: IdString.meta({ param: { name: 'id', in: 'path' } }) });

export const officerViewRoutes = {
  listUploads: defineRoute('officer', {
    method: 'get', path: '/uploads', operationId: 'listUploads', summary: 'The institution\'s uploads, newest first',
    request: { query: PageQuery }, responses: { 200: json(UploadList, 'One page of uploads (without their result tables).') }, errors: ['PAGE_TOO_DEEP'],
  }),
  getUpload: defineRoute('officer', {
    method: 'get', path: '/uploads/{id}', operationId: 'getUpload', summary: 'One upload with its result table (SEQ, OK/NG, errors, institution, affiliation, name, mail)',
    request: { params: IdParam }, responses: { 200: json(UploadDetail, 'The upload as recorded.') }, errors: ['NOT_FOUND'],
  }),
  listRequests: defineRoute('officer', {
    method: 'get', path: '/requests', operationId: 'listRequests', summary: 'Requests with their state, URL expiry and pickup, newest first',
    description: 'Issue and renewal requests; `upload` narrows to one upload, `state` to one state (`ready` includes requests being signed), `q` searches the DN, user name and mail.',
    request: { query: RequestQuery }, responses: { 200: json(RequestList, 'One page of requests.') }, errors: ['PAGE_TOO_DEEP'],
  }),
  listCertificates: defineRoute('officer', {
    method: 'get', path: '/certificates', operationId: 'listCertificates', summary: 'Search and filter the institution\'s certificates (spec 06, fixed)',
    description: '`q` matches part of the CN, an OU or the mail address, or the serial (decimal; hex as `0x…` or `1B:6E:…` matches exactly). Newest first; pages from 1, `size` ≤ 200; paging stops at row 100,000 (narrow the search).',
    request: { query: CertificateQuery }, responses: { 200: json(CertificateList, 'One page of certificates.') }, errors: ['PAGE_TOO_DEEP'],
  }),
  getCertificate: defineRoute('officer', {
    method: 'get', path: '/certificates/{serial}', operationId: 'getCertificate', summary: 'One certificate: decoded, its request, history and mails',
    request: { params: SerialParam }, responses: { 200: json(CertificateDetail, 'The certificate.') }, errors: ['NOT_FOUND'],
  }),
  getCertificatePem: defineRoute('officer', {
    method: 'get', path: '/certificates/{serial}/certificate.pem', operationId: 'getCertificatePem', summary: 'The certificate as PEM',
    request: { params: SerialParam },
    responses: { 200: { description: 'PEM CERTIFICATE.', content: { 'application/x-pem-file': { schema: z.string().meta({ example: '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n' }) } } } },
    errors: ['NOT_FOUND'],
  }),
  changeAdministrator: defineRoute('officer', {
    method: 'post', path: '/certificates/{serial}/administrator', operationId: 'changeAdministrator', summary: 'Change the user administrator of one certificate',
    description: 'The same rules as columns 8–10 of an administrator-change file (spec 02, format D); 422 `VALIDATION` lists the TSV codes in `problems`. Later notifications go to the new administrator.',
    request: { params: SerialParam, body: { required: true, content: { 'application/json': { schema: AdministratorBody } } } },
    responses: { 200: json(AdministratorAnswer, 'The administrator was changed.') }, errors: ['NOT_FOUND', 'VALIDATION', 'UNSUPPORTED_MEDIA_TYPE'],
  }),
  exportZip: defineRoute('officer', {
    method: 'get', path: '/export.zip', operationId: 'exportZip', summary: 'Certificate information as a ZIP, streamed',
    description: 'README.txt, the certificate information file (as `export.tsv`), certificates.pem and csrs.pem (every certificate and CSR, each block after its serial and DN) and administrators.tsv (CP932).',
    request: { query: ExportQuery },
    responses: { 200: { description: 'The ZIP.', content: { 'application/zip': { schema: z.string().meta({ format: 'binary' }) } } } },
  }),
  getInstitution: defineRoute('officer', {
    method: 'get', path: '/institution', operationId: 'getInstitution', summary: 'The officer\'s institution as registered (allowlist)',
    description: 'O, ST, L, mail domains, profiles and methods, review status and approval expiry. The profile JSON the TSV tool imports is `GET /api/institutions/{code}/profile`.',
    responses: { 200: json(InstitutionDetail, 'The institution.') },
  }),
};

export function officerViews() {
  const app = apiRouter();
  const r = officerViewRoutes;
  app.openapi(r.listUploads, async (c) => c.json(await officerUploads(c.var.services, c.var.officer, c.req.valid('query')), 200));
  app.openapi(r.getUpload, async (c) => c.json(await officerUpload(c.var.services, c.var.officer, c.req.valid('param').id), 200));
  app.openapi(r.listRequests, async (c) => c.json(await officerRequests(c.var.services, c.var.officer, c.req.valid('query')), 200));
  app.openapi(r.listCertificates, async (c) => c.json(await officerCertificates(c.var.services, c.var.officer, c.req.valid('query')), 200));
  app.openapi(r.getCertificate, async (c) => c.json(await officerCertificateDetail(c.var.services, c.var.officer, c.req.valid('param').serial), 200));
  app.openapi(r.getCertificatePem, async (c) => {
    const f = await officerCertificatePem(c.var.services, c.var.officer, c.req.valid('param').serial);
    return download(c, f.fileName, 'application/x-pem-file', f.pem);
  });
  app.openapi(r.changeAdministrator, async (c) => {
    const { serial } = c.req.valid('param');
    return c.json(await changeCertificateAdministrator(c.var.services, c.var.officer, serial, c.req.valid('json')), 200);
  });
  app.openapi(r.exportZip, async (c) => {
    const f = await exportZip(c.var.services, c.var.officer, c.req.valid('query').lang);
    return download(c, f.fileName, 'application/zip', streamOf(f.chunks));
  });
  app.openapi(r.getInstitution, async (c) => c.json(await officerInstitution(c.var.services, c.var.officer), 200));
  return app;
}
