/**
 * The operator API (spec 06 §Operator, issue 13) under `/api/operator`: operator certificate only
 * (an officer gets 403 NOT_AN_OPERATOR), CSRF on every state change (app.ts). The CLI's use cases
 * through the same workflows: institutions, officers, the CA, the settings, the audit log.
 */
import { z } from 'zod';
import { apiRouter, defineRoute } from '../http/openapi.ts';
import { IdString } from '../domain/api/common.ts';
import { AuditList, AuditQuery, AuditVerification } from '../domain/api/insights.ts';
import {
  CaOverview, Enrollment, InstitutionCreate, InstitutionPatch, OfficerEnroll, OfficerListQuery, OperatorInstitution, OperatorInstitutionList, OperatorOfficer,
  OperatorOfficerList, Setting, SettingBody, SettingList,
} from '../domain/api/operator.ts';
import { auditVerification, auditView } from '../workflows/insights.ts';
import {
  caOverview, changeInstitution, createInstitution, enrollFromDashboard, operatorInstitution, operatorInstitutions, operatorOfficers, revokeFromDashboard,
} from '../workflows/operator.ts';
import { configValues, setConfig } from '../workflows/settings.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const CodeParam = z.object({ code: z.string().max(32).meta({ param: { name: 'code', in: 'path' }, example: 'sample-u' }) });
const IdParam = z.object({ id: IdString.meta({ param: { name: 'id', in: 'path' } }) });
const KeyParam = z.object({ key: z.string().max(64).meta({ param: { name: 'key', in: 'path' }, example: 'pin.urlDays' }) });

export const operatorRouteSpecs = {
  listInstitutions: defineRoute('operator', {
    method: 'get', path: '/institutions', operationId: 'operatorListInstitutions', summary: 'Every institution (`hakko institution list`)',
    responses: { 200: json(OperatorInstitutionList, 'The institutions, by code.') },
  }),
  createInstitution: defineRoute('operator', {
    method: 'post', path: '/institutions', operationId: 'operatorCreateInstitution', summary: 'Register an institution (`hakko institution add`)',
    description: 'The CLI\'s rules: code 1–32 of a–z, 0–9 and -; O, L, ST by the DN value rules; domains; review complete|pending; approval expiry YYYY-MM-DD; profiles and methods; RSA-2048 or P-256. A bad field is 422 VALIDATION naming it in words and in `field` (the `hakko institution` option: code, name-ja, name-en, o, l, st, domain, review, approval-expires, profiles, methods, key-algorithm); an existing code is 422 with `duplicate: true` and `field: code`.',
    request: body(InstitutionCreate), responses: { 201: json(OperatorInstitution, 'Registered.') }, errors: ['VALIDATION', 'UNSUPPORTED_MEDIA_TYPE'],
  }),
  getInstitution: defineRoute('operator', {
    method: 'get', path: '/institutions/{code}', operationId: 'operatorGetInstitution', summary: 'One institution (`hakko institution show`)',
    request: { params: CodeParam }, responses: { 200: json(OperatorInstitution, 'The institution.') }, errors: ['NOT_FOUND'],
  }),
  updateInstitution: defineRoute('operator', {
    method: 'patch', path: '/institutions/{code}', operationId: 'operatorUpdateInstitution', summary: 'Change an institution (`hakko institution update`)',
    description: 'The given fields change, the rest stays; the whole result is checked by the rules of `create`. The code cannot change.',
    request: { params: CodeParam, ...body(InstitutionPatch) }, responses: { 200: json(OperatorInstitution, 'Changed.') }, errors: ['NOT_FOUND', 'VALIDATION', 'UNSUPPORTED_MEDIA_TYPE'],
  }),
  suspendInstitution: defineRoute('operator', {
    method: 'post', path: '/institutions/{code}/suspend', operationId: 'operatorSuspendInstitution', summary: 'Suspend an institution: its uploads are refused (`hakko institution suspend`)',
    request: { params: CodeParam }, responses: { 200: json(OperatorInstitution, 'Suspended.') }, errors: ['NOT_FOUND'],
  }),
  resumeInstitution: defineRoute('operator', {
    method: 'post', path: '/institutions/{code}/resume', operationId: 'operatorResumeInstitution', summary: 'Resume a suspended institution (`hakko institution resume`)',
    request: { params: CodeParam }, responses: { 200: json(OperatorInstitution, 'Active again.') }, errors: ['NOT_FOUND'],
  }),
  listOfficers: defineRoute('operator', {
    method: 'get', path: '/officers', operationId: 'operatorListOfficers', summary: 'Officers and operators (`hakko officer list`)',
    request: { query: OfficerListQuery }, responses: { 200: json(OperatorOfficerList, 'Oldest first.') }, errors: ['NOT_FOUND'],
  }),
  enrollOfficer: defineRoute('operator', {
    method: 'post', path: '/officers', operationId: 'operatorEnrollOfficer', summary: 'Enroll a registration officer or operator (`hakko officer enroll`)',
    description: 'Answers the enrollment URL and its PIN — once: neither is stored in readable form. The new officer also gets the enrollment mail (without the PIN).',
    request: body(OfficerEnroll), responses: { 201: json(Enrollment, 'Enrolled; the officer is pending until the certificate is picked up.') }, errors: ['NOT_FOUND', 'VALIDATION', 'UNSUPPORTED_MEDIA_TYPE'],
  }),
  revokeOfficer: defineRoute('operator', {
    method: 'post', path: '/officers/{id}/revoke', operationId: 'operatorRevokeOfficer', summary: 'Revoke an officer and its certificates (`hakko officer revoke`)',
    description: 'Access ends at once; open enrollment URLs stop working; the officer\'s certificates are revoked (cessationOfOperation). An operator cannot revoke itself (422).',
    request: { params: IdParam }, responses: { 200: json(OperatorOfficer, 'Revoked.') }, errors: ['NOT_FOUND', 'VALIDATION'],
  }),
  ca: defineRoute('operator', {
    method: 'get', path: '/ca', operationId: 'operatorCa', summary: 'Root, issuing, OCSP, mail and TLS certificates, the current CRLs (`hakko ca show`)',
    responses: { 200: json(CaOverview, 'The CA as it runs.') },
  }),
  listSettings: defineRoute('operator', {
    method: 'get', path: '/settings', operationId: 'operatorListSettings', summary: 'The settings (`hakko config get`)',
    responses: { 200: json(SettingList, 'Every key with its value, default and meaning.') },
  }),
  setSetting: defineRoute('operator', {
    method: 'put', path: '/settings/{key}', operationId: 'operatorSetSetting', summary: 'Change a setting (`hakko config set KEY VALUE`)',
    description: 'The value is given as text and checked as the CLI checks it; 422 VALIDATION says what is allowed. Audited as `config.set`.',
    request: { params: KeyParam, ...body(SettingBody) }, responses: { 200: json(Setting, 'Changed.') }, errors: ['NOT_FOUND', 'VALIDATION', 'UNSUPPORTED_MEDIA_TYPE'],
  }),
  audit: defineRoute('operator', {
    method: 'get', path: '/audit', operationId: 'operatorListAudit', summary: 'Audit records of every institution, newest first',
    description: 'Filters as the officer\'s, plus `institution` (code).',
    request: { query: AuditQuery }, responses: { 200: json(AuditList, 'One page of records.') }, errors: ['PAGE_TOO_DEEP', 'VALIDATION', 'NOT_FOUND'],
  }),
  auditVerify: defineRoute('operator', {
    method: 'get', path: '/audit/verify', operationId: 'operatorVerifyAudit', summary: 'Whether the audit hash chain verifies (`hakko audit verify`)',
    responses: { 200: json(AuditVerification, 'The result.') },
  }),
};

export function operatorRoutes() {
  const app = apiRouter();
  const r = operatorRouteSpecs;
  app.openapi(r.listInstitutions, async (c) => c.json({ items: await operatorInstitutions(c.var.services) }, 200));
  app.openapi(r.createInstitution, async (c) => c.json(await createInstitution(c.var.services, c.var.officer, c.req.valid('json')), 201));
  app.openapi(r.getInstitution, async (c) => c.json(await operatorInstitution(c.var.services, c.req.valid('param').code), 200));
  app.openapi(r.updateInstitution, async (c) => c.json(await changeInstitution(c.var.services, c.var.officer, c.req.valid('param').code, c.req.valid('json')), 200));
  app.openapi(r.suspendInstitution, async (c) => c.json(await changeInstitution(c.var.services, c.var.officer, c.req.valid('param').code, { status: 'suspended' }), 200));
  app.openapi(r.resumeInstitution, async (c) => c.json(await changeInstitution(c.var.services, c.var.officer, c.req.valid('param').code, { status: 'active' }), 200));
  app.openapi(r.listOfficers, async (c) => c.json({ items: await operatorOfficers(c.var.services, c.req.valid('query').institution) }, 200));
  app.openapi(r.enrollOfficer, async (c) => c.json(await enrollFromDashboard(c.var.services, c.var.officer, c.req.valid('json')), 201));
  app.openapi(r.revokeOfficer, async (c) => c.json(await revokeFromDashboard(c.var.services, c.var.officer, Number(c.req.valid('param').id)), 200));
  app.openapi(r.ca, async (c) => c.json(await caOverview(c.var.services), 200));
  app.openapi(r.listSettings, async (c) => c.json({ items: await configValues(c.var.services) }, 200));
  app.openapi(r.setSetting, async (c) => c.json(await setConfig(c.var.services, c.req.valid('param').key, c.req.valid('json').value, `cert:${c.var.officer.certSerial}`), 200));
  app.openapi(r.audit, async (c) => c.json(await auditView(c.var.services, c.var.officer, c.req.valid('query')), 200));
  app.openapi(r.auditVerify, async (c) => c.json(await auditVerification(c.var.services), 200));
  return app;
}
