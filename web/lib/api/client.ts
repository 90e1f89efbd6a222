/**
 * The one way the web app talks to the API: JSON in and out, errors as `ApiError` with the API's
 * stable `code` and `{ja, en}` message (spec 04 §HTTP API, spec 06 §API), network failures as
 * `ApiError` with code `NETWORK`, and an optional retry with backoff for calls that are safe to
 * repeat (spec 04 §Resuming: "a network error during submission is retried with backoff").
 * `fetch`, the clock and the wait are parameters so the behaviour is unit-tested without a server.
 */
import type { Localized } from '../i18n/translate.ts';

/** Codes the client itself produces (never sent by the server). */
export type ClientErrorCode = 'NETWORK' | 'BAD_RESPONSE';

/** An answer that is not 2xx, or no answer at all. */
export class ApiError extends Error {
  override name = 'ApiError';
  /** 0 for a network failure or an unreadable answer. */
  readonly status: number;
  /** The API's code (`WRONG_PIN`, `LOCKED`, …) or a `ClientErrorCode`. */
  readonly code: string;
  /** The API's message in both languages (a generic one for client codes). */
  readonly text: Localized;
  /** The whole JSON body of the error answer (e.g. `attemptsLeft`), or null. */
  readonly body: Readonly<Record<string, unknown>> | null;

  constructor(status: number, code: string, text: Localized, body: Readonly<Record<string, unknown>> | null = null) {
    super(`${status} ${code}: ${text.en}`);
    this.status = status;
    this.code = code;
    this.text = text;
    this.body = body;
  }

  /** True for failures a later attempt may not see: no connection, 429, 502–504. */
  get transient(): boolean {
    return this.code === 'NETWORK' || this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

const NETWORK_TEXT: Localized = {
  ja: 'サーバーに接続できませんでした。ネットワーク接続を確認してください。',
  en: 'Could not reach the server. Please check your network connection.',
};
const BAD_RESPONSE_TEXT: Localized = {
  ja: 'サーバーから予期しない応答がありました。しばらくしてからやり直してください。',
  en: 'The server sent an unexpected answer. Please try again in a moment.',
};

export interface RetryPolicy {
  /** Attempts in all, the first included (default 1: no retry). */
  readonly attempts: number;
  /** Delay before the second attempt in ms; doubled each time, with ±20 % jitter (default 500). */
  readonly baseDelayMs?: number;
  /** Upper bound of one delay (default 8,000). */
  readonly maxDelayMs?: number;
  /** Told before each wait, so the page can say "retrying in 4 s (attempt 2 of 5)". */
  readonly onRetry?: (info: { attempt: number; attempts: number; delayMs: number; error: ApiError }) => void;
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON with `content-type: application/json`. */
  readonly json?: unknown;
  /** Sent as is (multipart uploads); mutually exclusive with `json`. */
  readonly body?: BodyInit;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Retry transient failures (network, 429, 502–504). Only for calls that are safe to repeat. */
  readonly retry?: RetryPolicy;
  /** Add `X-Hakko-Request: 1` (the CSRF header of state-changing officer calls, spec 06). */
  readonly csrf?: boolean;
}

/** A successful answer: status and parsed JSON body (null for 204 or an empty body). */
export interface ApiAnswer<T> {
  readonly status: number;
  readonly data: T;
}

export interface ApiClientDeps {
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

function isLocalized(value: unknown): value is Localized {
  return !!value && typeof value === 'object' && typeof (value as Localized).ja === 'string' && typeof (value as Localized).en === 'string';
}

/** Turn a non-2xx answer into an ApiError, reading the API's `{code, message}` body when there is one. */
async function errorFrom(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = await response.json();
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    body = null;
  }
  const code = typeof body?.code === 'string' ? body.code : response.status >= 500 ? 'UNAVAILABLE' : 'BAD_RESPONSE';
  const text = isLocalized(body?.message) ? body.message : BAD_RESPONSE_TEXT;
  return new ApiError(response.status, code, text, body);
}

/** A client bound to a fetch implementation (the browser's by default). */
export function createApiClient(deps: ApiClientDeps = {}) {
  const doFetch = deps.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;

  async function once<T>(path: string, opts: RequestOptions): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.json !== undefined) headers['content-type'] = 'application/json';
    if (opts.csrf) headers['x-hakko-request'] = '1';
    let response: Response;
    try {
      response = await doFetch(path, {
        method: opts.method ?? (opts.json !== undefined || opts.body !== undefined ? 'POST' : 'GET'),
        headers,
        body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.body,
        signal: opts.signal,
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (error) {
      if (opts.signal?.aborted) throw error;
      throw new ApiError(0, 'NETWORK', NETWORK_TEXT);
    }
    if (!response.ok) throw await errorFrom(response);
    if (response.status === 204) return { status: 204, data: null as T };
    const text = await response.text().catch(() => {
      throw new ApiError(0, 'NETWORK', NETWORK_TEXT);
    });
    if (text === '') return { status: response.status, data: null as T };
    try {
      return { status: response.status, data: JSON.parse(text) as T };
    } catch {
      throw new ApiError(response.status, 'BAD_RESPONSE', BAD_RESPONSE_TEXT);
    }
  }

  /** Call `path`; with `opts.retry`, transient failures are retried with exponential backoff. */
  async function request<T>(path: string, opts: RequestOptions = {}): Promise<ApiAnswer<T>> {
    const attempts = Math.max(1, opts.retry?.attempts ?? 1);
    const base = opts.retry?.baseDelayMs ?? 500;
    const max = opts.retry?.maxDelayMs ?? 8_000;
    for (let attempt = 1; ; attempt++) {
      try {
        return await once<T>(path, opts);
      } catch (error) {
        if (!(error instanceof ApiError) || !error.transient || attempt >= attempts) throw error;
        const delayMs = Math.round(Math.min(max, base * 2 ** (attempt - 1)) * (0.8 + 0.4 * random()));
        opts.retry?.onRetry?.({ attempt: attempt + 1, attempts, delayMs, error });
        await sleep(delayMs, opts.signal);
      }
    }
  }

  return { request };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The browser's client. */
export const api: ApiClient = createApiClient();
