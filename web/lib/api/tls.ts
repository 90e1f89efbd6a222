/**
 * `GET /api/tls/whoami` (spec 06 §API): which client certificate this HTTPS connection presented,
 * and whether Hakko issued it and still considers it valid. Used by the "check my certificate" page.
 */
import { api as defaultClient, type ApiClient } from './client.ts';

export interface WhoAmI {
  readonly subject: string;
  readonly serial: string;
  readonly issuedByHakko: boolean;
  readonly state: 'valid' | 'revoked' | 'expired' | 'unknown';
}

/** The presented certificate; an `ApiError` with code `NO_CERTIFICATE` (401) when there is none. */
export async function whoAmI(client: ApiClient = defaultClient): Promise<WhoAmI> {
  return (await client.request<WhoAmI>('/api/tls/whoami')).data;
}
