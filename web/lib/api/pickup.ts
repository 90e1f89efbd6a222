/**
 * The PIN and pickup API as the pages call it (spec 04 §HTTP API): one function per call, typed
 * answers (api/domain/pickup-api.ts), errors as `ApiError`. Calls that are safe to repeat take a
 * retry policy: the CSR (the same CSR again returns the same certificate) and the confirmation
 * (a lost answer to a successful confirmation turns into 410 COMPLETED, which `confirm` accepts).
 * Retrieving a PIN is never retried: it works once.
 */
import type { BulkPins, CsrAnswerBody, PickupInfo, PinInfo, RetrievedPin } from '$domain/pickup-api.ts';
import { api as defaultClient, ApiError, type ApiClient, type RetryPolicy } from './client.ts';

const path = (kind: 'pin' | 'pickup', token: string, rest = '') => `/api/${kind}/${encodeURIComponent(token)}${rest}`;

/** The pickup API bound to a client (the browser's by default; tests pass one with a fake fetch). */
export function pickupApi(client: ApiClient = defaultClient) {
  return {
    pinInfo: async (token: string) => (await client.request<PinInfo>(path('pin', token))).data,
    retrievePins: async (token: string) => (await client.request<{ pins: RetrievedPin[] }>(path('pin', token, '/retrieve'), { method: 'POST' })).data.pins,
    info: async (token: string) => (await client.request<PickupInfo>(path('pickup', token))).data,
    verify: async (token: string, pin: string) => {
      await client.request(path('pickup', token, '/verify'), { json: { pin } });
    },
    /** Individual methods: `{pin, csr}`; 201 new certificate, 200 the same one again. */
    submitCsr: async (token: string, body: { pin: string; csr: string }, retry?: RetryPolicy) =>
      (await client.request<CsrAnswerBody>(path('pickup', token, '/csr'), { json: body, retry })).data,
    /** Bulk (method 2): `{csrs:[{id, csr}]}`; per-row `errors`, 422 when none was issued (the body is in `ApiError.body`). */
    submitCsrs: async (token: string, csrs: readonly { id: string; csr: string }[], retry?: RetryPolicy) =>
      (await client.request<CsrAnswerBody>(path('pickup', token, '/csr'), { json: { csrs }, retry })).data,
    bulkPins: async (token: string) => (await client.request<BulkPins>(path('pickup', token, '/pins'), { json: {} })).data.pins,
    /** "I have saved the file". A 410 COMPLETED after a retried attempt means the first one went through. */
    confirm: async (token: string, body: { pin?: string }, retry?: RetryPolicy) => {
      let attempts = 0;
      const counting: RetryPolicy | undefined = retry && { ...retry, onRetry: (i) => ((attempts = i.attempt), retry.onRetry?.(i)) };
      try {
        await client.request(path('pickup', token, '/confirm'), { json: body, retry: counting });
      } catch (e) {
        if (e instanceof ApiError && e.code === 'COMPLETED' && attempts > 1) return;
        throw e;
      }
    },
  };
}

export type PickupApi = ReturnType<typeof pickupApi>;
