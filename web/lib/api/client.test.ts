/** The API client: JSON answers, coded errors, network failures, retry with backoff. */
import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from './client.ts';

const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function scripted(answers: Array<Response | Error>) {
  const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fetch = (async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  }) as typeof globalThis.fetch;
  const waits: number[] = [];
  const client = createApiClient({ fetch, sleep: async (ms) => void waits.push(ms), random: () => 0.5 });
  return { client, calls, waits };
}

describe('api client', () => {
  it('ok JSON answer, GET by default', async () => {
    const { client, calls } = scripted([json(200, { a: 1 })]);
    await expect(client.request('/api/x')).resolves.toEqual({ status: 200, data: { a: 1 } });
    expect(calls[0]?.init?.method).toBe('GET');
  });

  it('ok POST with a JSON body and the CSRF header', async () => {
    const { client, calls } = scripted([new Response(null, { status: 204 })]);
    await expect(client.request('/api/y', { json: { pin: 'P' }, csrf: true })).resolves.toEqual({ status: 204, data: null });
    const init = calls[0]?.init;
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"pin":"P"}');
    expect((init?.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect((init?.headers as Record<string, string>)['x-hakko-request']).toBe('1');
  });

  it('NG coded API error keeps code, message and body', async () => {
    const { client } = scripted([json(401, { code: 'WRONG_PIN', message: { ja: '違う', en: 'wrong' }, attemptsLeft: 3 })]);
    const error = await client.request('/api/z').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'WRONG_PIN', text: { ja: '違う', en: 'wrong' }, body: { attemptsLeft: 3 } });
    expect((error as ApiError).transient).toBe(false);
  });

  it('NG network failure is NETWORK and transient', async () => {
    const { client } = scripted([new TypeError('Failed to fetch')]);
    const error = (await client.request('/api/z').catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('NETWORK');
    expect(error.status).toBe(0);
    expect(error.transient).toBe(true);
    expect(error.text.ja).toContain('ネットワーク');
  });

  it('NG a non-JSON 502 is UNAVAILABLE', async () => {
    const { client } = scripted([new Response('<html>bad gateway</html>', { status: 502 })]);
    await expect(client.request('/api/z')).rejects.toMatchObject({ status: 502, code: 'UNAVAILABLE' });
  });

  it('retries transient failures with doubling delays, then succeeds', async () => {
    const seen: number[] = [];
    const { client, waits, calls } = scripted([new TypeError('x'), json(503, { code: 'UNAVAILABLE', message: { ja: 'a', en: 'b' } }), json(201, { ok: true })]);
    const answer = await client.request('/api/c', { json: {}, retry: { attempts: 5, baseDelayMs: 100, onRetry: (i) => seen.push(i.attempt) } });
    expect(answer).toEqual({ status: 201, data: { ok: true } });
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
    expect(seen).toEqual([2, 3]);
  });

  it('does not retry a refusal, and stops after the last attempt', async () => {
    const refused = scripted([json(422, { code: 'CSR_MALFORMED', message: { ja: 'a', en: 'b' } }), json(200, {})]);
    await expect(refused.client.request('/api/c', { retry: { attempts: 3 } })).rejects.toMatchObject({ code: 'CSR_MALFORMED' });
    expect(refused.calls).toHaveLength(1);
    const down = scripted([new TypeError('x'), new TypeError('x')]);
    await expect(down.client.request('/api/c', { retry: { attempts: 2, baseDelayMs: 10 } })).rejects.toMatchObject({ code: 'NETWORK' });
    expect(down.calls).toHaveLength(2);
  });
});
