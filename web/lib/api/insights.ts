/**
 * The officer's statistics, mail log and audit view, and the operator API (issue 13), typed from the
 * server's wire schemas (types only). State changes carry the CSRF header.
 */
import type { AuditListJson, AuditVerificationJson, MailLogEntryJson, MailLogJson, MailState, StatisticsJson } from '$domain/api/insights.ts';
import type {
  CaOverviewJson, EnrollmentJson, InstitutionCreateInput, InstitutionPatchInput, OperatorInstitutionJson, OperatorInstitutionListJson, OperatorOfficerJson,
  OperatorOfficerListJson, SettingJson, SettingListJson,
} from '$domain/api/operator.ts';
import { api, type ApiClient } from './client.ts';
import { queryString } from './officer.ts';

export type { AuditListJson, AuditRecordJson, AuditVerificationJson, MailLogEntryJson, MailLogJson, MailState, StatisticsJson } from '$domain/api/insights.ts';
export type {
  CaOverviewJson, CaCertificateJson, EnrollmentJson, InstitutionCreateInput, InstitutionPatchInput, OperatorInstitutionJson, OperatorOfficerJson, SettingJson,
} from '$domain/api/operator.ts';

export interface AuditSearch {
  readonly action?: string;
  readonly actor?: string;
  readonly from?: string;
  readonly to?: string;
  readonly institution?: string;
  readonly page?: number;
  readonly size?: number;
}

/** Calls shared by the officer's and the operator's audit pages: `/api/officer/audit` or `/api/operator/audit`. */
export function auditApi(area: 'officer' | 'operator', client: ApiClient = api) {
  const get = async <T>(path: string, signal?: AbortSignal) => (await client.request<T>(path, { signal, retry: { attempts: 3 } })).data;
  return {
    list: (s: AuditSearch, signal?: AbortSignal) => get<AuditListJson>(`/api/${area}/audit${queryString({ ...s })}`, signal),
    verify: (signal?: AbortSignal) => get<AuditVerificationJson>(`/api/${area}/audit/verify`, signal),
  };
}

export function insightsApi(client: ApiClient = api) {
  const get = async <T>(path: string, signal?: AbortSignal) => (await client.request<T>(path, { signal, retry: { attempts: 3 } })).data;
  return {
    statistics: (q: { from?: string; to?: string }, signal?: AbortSignal) => get<StatisticsJson>(`/api/officer/statistics${queryString(q)}`, signal),
    mails: (q: { state?: MailState; q?: string; page?: number; size?: number }, signal?: AbortSignal) => get<MailLogJson>(`/api/officer/mails${queryString({ ...q })}`, signal),
    resend: async (id: string) => (await client.request<MailLogEntryJson>(`/api/officer/mails/${encodeURIComponent(id)}/resend`, { json: {}, csrf: true })).data,
  };
}

export const statisticsCsvUrl = (q: { from?: string; to?: string; lang: 'ja' | 'en' }) => `/api/officer/statistics.csv${queryString(q)}`;

export function operatorApi(client: ApiClient = api) {
  const get = async <T>(path: string, signal?: AbortSignal) => (await client.request<T>(path, { signal, retry: { attempts: 3 } })).data;
  const send = async <T>(method: 'POST' | 'PATCH' | 'PUT', path: string, json: unknown = {}) => (await client.request<T>(path, { method, json, csrf: true })).data;
  const inst = (code: string) => `/api/operator/institutions/${encodeURIComponent(code)}`;
  return {
    institutions: (signal?: AbortSignal) => get<OperatorInstitutionListJson>('/api/operator/institutions', signal),
    institution: (code: string, signal?: AbortSignal) => get<OperatorInstitutionJson>(inst(code), signal),
    createInstitution: (body: InstitutionCreateInput) => send<OperatorInstitutionJson>('POST', '/api/operator/institutions', body),
    updateInstitution: (code: string, patch: InstitutionPatchInput) => send<OperatorInstitutionJson>('PATCH', inst(code), patch),
    suspend: (code: string) => send<OperatorInstitutionJson>('POST', `${inst(code)}/suspend`),
    resume: (code: string) => send<OperatorInstitutionJson>('POST', `${inst(code)}/resume`),
    officers: (institution?: string, signal?: AbortSignal) => get<OperatorOfficerListJson>(`/api/operator/officers${queryString({ institution })}`, signal),
    enroll: (body: { institution: string | null; operator: boolean; name: string; email: string }) => send<EnrollmentJson>('POST', '/api/operator/officers', body),
    revokeOfficer: (id: string) => send<OperatorOfficerJson>('POST', `/api/operator/officers/${encodeURIComponent(id)}/revoke`),
    ca: (signal?: AbortSignal) => get<CaOverviewJson>('/api/operator/ca', signal),
    settings: (signal?: AbortSignal) => get<SettingListJson>('/api/operator/settings', signal),
    setSetting: (key: string, value: string) => send<SettingJson>('PUT', `/api/operator/settings/${encodeURIComponent(key)}`, { value }),
  };
}
