/**
 * The worker pool with fake workers: one task per worker, queueing beyond the pool size, answers
 * matched by id, failures as CryptoError, a crashed worker failing only its task and being replaced,
 * and terminate() rejecting what is left.
 */
import { describe, expect, it } from 'vitest';
import { bulkPoolSize, CryptoPool, type WorkerLike } from './pool.ts';
import { CryptoError, type AnswerMessage, type TaskMessage } from './protocol.ts';

class FakeWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<AnswerMessage>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  received: TaskMessage[] = [];
  terminated = false;
  postMessage(message: TaskMessage): void {
    this.received.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(answer: AnswerMessage): void {
    this.onmessage?.({ data: answer } as MessageEvent<AnswerMessage>);
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
}

function fakePool(size: number) {
  const workers: FakeWorker[] = [];
  const pool = new CryptoPool(size, () => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  });
  return { pool, workers };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('CryptoPool', () => {
  it('ok: at most one task per worker; the rest wait and go to whichever worker frees up', async () => {
    const { pool, workers } = fakePool(2);
    const results = [1, 2, 3].map(() => pool.run({ op: 'ping' }));
    expect(workers).toHaveLength(2);
    expect(workers.map((w) => w.received.length)).toEqual([1, 1]);
    expect(pool.pending).toBe(3);
    workers[1]!.answer({ id: workers[1]!.received[0]!.id, ok: true, result: null });
    await flush();
    expect(workers.map((w) => w.received.length)).toEqual([1, 2]);
    workers[0]!.answer({ id: workers[0]!.received[0]!.id, ok: true, result: null });
    workers[1]!.answer({ id: workers[1]!.received[1]!.id, ok: true, result: null });
    await expect(Promise.all(results)).resolves.toEqual([null, null, null]);
    expect(pool.pending).toBe(0);
  });

  it('ok: a failed task rejects with its CryptoError failure; the worker serves the next task', async () => {
    const { pool, workers } = fakePool(1);
    const a = pool.run({ op: 'key', keyAlgorithm: 'RSA-2048', dn: 'CN=x' });
    const b = pool.run({ op: 'ping' });
    workers[0]!.answer({ id: workers[0]!.received[0]!.id, ok: false, failure: 'KEY_GENERATION', detail: 'nope' });
    await expect(a).rejects.toMatchObject({ name: 'CryptoError', failure: 'KEY_GENERATION' });
    await flush();
    workers[0]!.answer({ id: workers[0]!.received[1]!.id, ok: true, result: null });
    await expect(b).resolves.toBeNull();
  });

  it('ok: an answer with a stale id is ignored', async () => {
    const { pool, workers } = fakePool(1);
    const a = pool.run({ op: 'ping' });
    workers[0]!.answer({ id: 999, ok: true, result: null });
    expect(pool.pending).toBe(1);
    workers[0]!.answer({ id: workers[0]!.received[0]!.id, ok: true, result: null });
    await expect(a).resolves.toBeNull();
  });

  it('NG a crashed worker fails its task with WORKER and is replaced for the next one', async () => {
    const { pool, workers } = fakePool(1);
    const a = pool.run({ op: 'ping' });
    workers[0]!.crash('script failed to load');
    await expect(a).rejects.toMatchObject({ failure: 'WORKER', message: expect.stringContaining('script failed to load') });
    expect(workers[0]!.terminated).toBe(true);
    const b = pool.run({ op: 'ping' });
    expect(workers).toHaveLength(2);
    workers[1]!.answer({ id: workers[1]!.received[0]!.id, ok: true, result: null });
    await expect(b).resolves.toBeNull();
  });

  it('ok: terminate rejects queued and running tasks and stops the workers; later runs fail', async () => {
    const { pool, workers } = fakePool(1);
    const a = pool.run({ op: 'ping' });
    const b = pool.run({ op: 'ping' });
    pool.terminate();
    await expect(a).rejects.toBeInstanceOf(CryptoError);
    await expect(b).rejects.toBeInstanceOf(CryptoError);
    expect(workers[0]!.terminated).toBe(true);
    await expect(pool.run({ op: 'ping' })).rejects.toBeInstanceOf(CryptoError);
  });

  it('ok: warm() starts every worker', async () => {
    const { pool, workers } = fakePool(3);
    const warm = pool.warm();
    expect(workers).toHaveLength(3);
    for (const w of workers) w.answer({ id: w.received[0]!.id, ok: true, result: null });
    await expect(warm).resolves.toBeUndefined();
  });

  it.each([[undefined, 2], [1, 2], [4, 4], [64, 8]])('bulkPoolSize(%s) = %s', (cores, size) => {
    expect(bulkPoolSize(cores)).toBe(size);
  });
});
