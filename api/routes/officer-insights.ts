/**
 * The officer's statistics, mail log and audit view (spec 06 §Dashboard: Statistics, Mail; §Audit
 * log). Mounted under `/api/officer` behind the officer's certificate and CSRF (app.ts); own
 * institution only.
 */
import { z } from 'zod';
import { apiRouter, defineRoute } from '../http/openapi.ts';
import { IdString } from '../domain/api/common.ts';
import { AuditList, AuditQuery, AuditVerification, MailLog, MailLogEntry, MailQuery, Statistics, StatisticsCsvQuery, StatisticsQuery } from '../domain/api/insights.ts';
import { auditVerification, auditView, officerMails, officerStatistics, resendMail, statisticsCsv } from '../workflows/insights.ts';
import { download } from './download.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const IdParam = z.object({ id: IdString.meta({ param: { name: 'id', in: 'path' } }) });

export const officerInsightRoutes = {
  statistics: defineRoute('officer', {
    method: 'get', path: '/statistics', operationId: 'getStatistics', summary: 'Issued, valid, revoked and expired certificates per month and profile',
    description: 'Certificates issued in the months `from`–`to` (Japan time, at most 120 months; default the last 12), counted by the month they were issued and their profile; valid, revoked and expired say what became of them by now. One aggregate query.',
    request: { query: StatisticsQuery }, responses: { 200: json(Statistics, 'The counts.') }, errors: ['VALIDATION'],
  }),
  statisticsCsv: defineRoute('officer', {
    method: 'get', path: '/statistics.csv', operationId: 'getStatisticsCsv', summary: 'The statistics as CSV (UTF-8 with BOM, one row per month and profile)',
    request: { query: StatisticsCsvQuery },
    responses: { 200: { description: 'CSV.', content: { 'text/csv': { schema: z.string().meta({ example: '\uFEFFMonth,Profile,Profile name,Issued,Valid,Revoked,Expired\r\n2026-04,13,Client authentication (13 months),12,11,1,0\r\n' }) } } } },
    errors: ['VALIDATION'],
  }),
  mails: defineRoute('officer', {
    method: 'get', path: '/mails', operationId: 'listMails', summary: 'The notifications sent for the institution and their delivery',
    description: 'Newest first: kind, recipients, time, state (queued, sending, sent, retrying with the next attempt, failed with the SMTP answer). Never the body, a link or a PIN.',
    request: { query: MailQuery }, responses: { 200: json(MailLog, 'One page of mails.') }, errors: ['PAGE_TOO_DEEP'],
  }),
  resendMail: defineRoute('officer', {
    method: 'post', path: '/mails/{id}/resend', operationId: 'resendMail', summary: 'Queue a failed (or retrying) mail again, now',
    description: 'The same mail (same recipients, Message-ID and content) goes through the outbox again; audited as `mail.resend`. Sent mails are not resent (409 CONFLICT): re-issue a request\'s URLs instead.',
    request: { params: IdParam }, responses: { 200: json(MailLogEntry, 'The mail, queued.') }, errors: ['NOT_FOUND', 'CONFLICT'],
  }),
  audit: defineRoute('officer', {
    method: 'get', path: '/audit', operationId: 'listAudit', summary: 'The institution\'s audit records, newest first',
    description: 'Filters: `action` (exact, or a prefix ending in a dot), `actor` (exact), `from`/`to` (days, Japan time). `institution` is for operators only and ignored here.',
    request: { query: AuditQuery }, responses: { 200: json(AuditList, 'One page of records.') }, errors: ['PAGE_TOO_DEEP', 'VALIDATION'],
  }),
  auditVerify: defineRoute('officer', {
    method: 'get', path: '/audit/verify', operationId: 'verifyAudit', summary: 'Whether the audit hash chain verifies (`hakko audit verify`)',
    description: 'The whole chain is checked (it is one for the instance); the answer says only whether it holds and how many records it has.',
    responses: { 200: json(AuditVerification, 'The result.') },
  }),
};

export function officerInsights() {
  const app = apiRouter();
  const r = officerInsightRoutes;
  app.openapi(r.statistics, async (c) => c.json(await officerStatistics(c.var.services, c.var.officer, c.req.valid('query')), 200));
  app.openapi(r.statisticsCsv, async (c) => {
    const q = c.req.valid('query');
    const f = statisticsCsv(await officerStatistics(c.var.services, c.var.officer, q), q.lang);
    return download(c, f.fileName, 'text/csv; charset=utf-8', f.bytes);
  });
  app.openapi(r.mails, async (c) => c.json(await officerMails(c.var.services, c.var.officer, c.req.valid('query')), 200));
  app.openapi(r.resendMail, async (c) => c.json(await resendMail(c.var.services, c.var.officer, Number(c.req.valid('param').id)), 200));
  app.openapi(r.audit, async (c) => c.json(await auditView(c.var.services, c.var.officer, { ...c.req.valid('query'), institution: undefined }), 200));
  app.openapi(r.auditVerify, async (c) => c.json(await auditVerification(c.var.services), 200));
  return app;
}
