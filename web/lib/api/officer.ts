/**
 * The officer API as the dashboard calls it (spec 06 §API), typed from the server's wire schemas
 * (`$domain/api`, types only — zod stays out of the bundle). State changes carry the CSRF header.
 * Downloads are plain links (`downloadUrl`): the browser presents the certificate, streams the file.
 */
import type {
  AdministratorAnswerJson, CertificateDetailJson, CertificateListJson, CertificateState, InstitutionDetailJson, MeJson, RequestListJson, RequestState,
  RevokeAnswerJson, UploadAnswerJson, UploadDetailJson, UploadListJson,
} from '$domain/api/officer.ts';
import type { InstitutionProfileJson } from '$domain/api/public.ts';
import { api, type ApiClient } from './client.ts';

export type {
  CertificateDetailJson, CertificateItemJson, CertificateListJson, CertificateState, InstitutionDetailJson, MailEntryJson, MeJson, HistoryEntryJson,
  RequestItemJson, RequestListJson, RequestState, UploadAnswerJson, UploadDetailJson, UploadListJson, UploadSummaryJson,
} from '$domain/api/officer.ts';

/** `?a=1&b=x` from the defined, non-empty values. */
export function queryString(params: Readonly<Record<string, string | number | undefined | null>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A list page's address: its filters, and the page only beyond the first. */
export function listHref(base: string, params: Readonly<Record<string, string | number | undefined>>): string {
  const { page, ...rest } = params;
  return base + queryString({ ...rest, page: typeof page === 'number' && page > 1 ? page : undefined });
}

export interface CertificateSearch {
  readonly q?: string;
  readonly state?: CertificateState;
  readonly page?: number;
  readonly size?: number;
}

export interface RequestSearch {
  readonly upload?: string;
  readonly state?: RequestState;
  readonly q?: string;
  readonly page?: number;
  readonly size?: number;
}

export interface UploadFields {
  readonly file: File;
  readonly kind: 'issue' | 'renew' | 'revoke' | 'admin';
  readonly mode: 'abort' | 'valid-only';
  readonly lang: 'ja' | 'en';
}

/** The officer calls, bound to a client (tests pass their own). */
export function officerApi(client: ApiClient = api) {
  const get = async <T>(path: string, signal?: AbortSignal) => (await client.request<T>(path, { signal, retry: { attempts: 3 } })).data;
  const post = async <T>(path: string, json: unknown) => (await client.request<T>(path, { json, csrf: true })).data;
  return {
    me: (signal?: AbortSignal) => get<MeJson>('/api/me', signal),
    institution: () => get<InstitutionDetailJson>('/api/officer/institution'),
    profile: (code: string) => get<InstitutionProfileJson>(`/api/institutions/${encodeURIComponent(code)}/profile`),
    certificates: (s: CertificateSearch, signal?: AbortSignal) => get<CertificateListJson>(`/api/officer/certificates${queryString({ ...s })}`, signal),
    certificate: (serial: string) => get<CertificateDetailJson>(`/api/officer/certificates/${encodeURIComponent(serial)}`),
    revoke: (serial: string, reason: number, comment: string) => post<RevokeAnswerJson>(`/api/officer/certificates/${encodeURIComponent(serial)}/revoke`, { reason, comment }),
    changeAdministrator: (serial: string, admin: { name: string; affiliation: string; mail: string }) =>
      post<AdministratorAnswerJson>(`/api/officer/certificates/${encodeURIComponent(serial)}/administrator`, admin),
    uploads: (page: number, size = 20) => get<UploadListJson>(`/api/officer/uploads${queryString({ page, size })}`),
    upload: (id: string) => get<UploadDetailJson>(`/api/officer/uploads/${encodeURIComponent(id)}`),
    requests: (s: RequestSearch, signal?: AbortSignal) => get<RequestListJson>(`/api/officer/requests${queryString({ ...s })}`, signal),
    reissue: (id: string) => post<{ requests: string[] }>(`/api/officer/requests/${encodeURIComponent(id)}/reissue`, {}),
    cancel: (id: string) => post<{ requests: string[] }>(`/api/officer/requests/${encodeURIComponent(id)}/cancel`, {}),
    /** The upload (spec 06: 200 when something was registered, 422 when nothing was — both are answers). */
    async submitUpload(f: UploadFields): Promise<UploadAnswerJson> {
      const form = new FormData();
      form.set('kind', f.kind);
      form.set('mode', f.mode);
      form.set('reviewed', 'true');
      form.set('lang', f.lang);
      form.set('file', f.file, f.file.name);
      try {
        return (await client.request<UploadAnswerJson>('/api/officer/uploads', { body: form, csrf: true })).data;
      } catch (e) {
        const body = (e as { status?: number; body?: unknown }).body as UploadAnswerJson | null;
        if ((e as { status?: number }).status === 422 && body && Array.isArray(body.rows)) return body;
        throw e;
      }
    },
  };
}

/** Links the browser downloads itself (GET, same origin, the certificate presented by the TLS layer). */
export const downloadUrl = {
  report: (uploadId: string) => `/api/officer/uploads/${encodeURIComponent(uploadId)}/report.tsv`,
  exportTsv: (lang: 'ja' | 'en') => `/api/officer/export.tsv?lang=${lang}`,
  exportZip: (lang: 'ja' | 'en') => `/api/officer/export.zip?lang=${lang}`,
  pem: (serial: string) => `/api/officer/certificates/${encodeURIComponent(serial)}/certificate.pem`,
  profile: (code: string) => `/api/institutions/${encodeURIComponent(code)}/profile`,
};
