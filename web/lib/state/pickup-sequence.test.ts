/**
 * The issuance sequence with fakes (memory store, a pool that records tasks, an API that records
 * calls): the key is stored before the CSR leaves, a stored key or certificate is reused (resume),
 * a key refusal forgets the key, a network failure keeps it, and retries are reported.
 */
import { describe, expect, it } from 'vitest';
import type { PickupInfo } from '$domain/pickup-api.ts';
import { ApiError } from '../api/client.ts';
import type { PickupApi } from '../api/pickup.ts';
import type { CryptoPool } from '../crypto/pool.ts';
import type { CryptoTask } from '../crypto/protocol.ts';
import { MemoryPickupStore } from '../storage/pickup-store.ts';
import { issueIndividual, p12ForRow, type SequenceDeps } from './pickup-sequence.ts';

const INFO: PickupInfo = {
  kind: 'user', method: 1, keyAlgorithm: 'P-256', expiresAt: '2099-01-01T00:00:00Z', institution: { code: 'x', ja: 'X大学', en: 'X University' },
  rows: [{ id: '42', dn: 'CN=Taro,O=X,C=JP', profile: 13, name: '太郎', mail: 'taro@x.ac.jp', p12FileName: null, state: 'ready' }],
};
const INPUT = { token: 'tok', pickup: 'pk', info: INFO, pin: 'PIN12345' };
const ISSUED = { id: '42', serial: '123', certificate: 'CERT', chain: ['ISSUING', 'ROOT'] as [string, string] };

function fakes(submit: (body: { pin: string; csr: string }, store: MemoryPickupStore) => Promise<unknown>) {
  const store = new MemoryPickupStore();
  const tasks: CryptoTask[] = [];
  const submitted: string[] = [];
  let keys = 0;
  const pool = {
    async run(task: CryptoTask) {
      tasks.push(task);
      if (task.op === 'key') return { privateKey: { fake: ++keys } as unknown as CryptoKey, csrPem: `CSR-${keys}` };
      if (task.op === 'p12') return { p12: new Uint8Array([1, 2, 3]) };
      return null;
    },
  } as unknown as CryptoPool;
  const api = {
    submitCsr: async (_token: string, body: { pin: string; csr: string }, retry?: { onRetry?: (i: { attempt: number; attempts: number; delayMs: number }) => void }) => {
      submitted.push(body.csr);
      retry?.onRetry?.({ attempt: 2, attempts: 5, delayMs: 500 });
      return submit(body, store);
    },
  } as unknown as PickupApi;
  const deps: SequenceDeps = { store, pool, api, now: () => new Date('2026-06-01T00:00:00Z') };
  return { deps, store, tasks, submitted };
}

const events = () => {
  const seen: string[] = [];
  return { seen, events: { step: (s: string) => seen.push(s), retry: (i: { attempt: number }) => seen.push(`retry ${i.attempt}`) } };
};

describe('issueIndividual', () => {
  it('ok new pickup: key made, stored before the CSR is sent, certificate stored', async () => {
    let storedAtSubmit: unknown;
    const f = fakes(async (body, store) => {
      storedAtSubmit = (await store.getRow('pk', '42'))?.csrPem;
      expect(body).toEqual({ pin: 'PIN12345', csr: 'CSR-1' });
      return { certificates: [ISSUED], errors: [] };
    });
    const e = events();
    const row = await issueIndividual(f.deps, INPUT, e.events);
    expect(storedAtSubmit).toBe('CSR-1');
    expect(row.certificate).toEqual({ serial: '123', pem: 'CERT', chain: ['ISSUING', 'ROOT'] });
    expect((await f.store.getRow('pk', '42'))?.certificate?.serial).toBe('123');
    expect(await f.store.getPickup('pk')).toMatchObject({ method: 1, keyAlgorithm: 'P-256', expiresAt: INFO.expiresAt });
    expect(f.tasks).toEqual([{ op: 'key', keyAlgorithm: 'P-256', dn: 'CN=Taro,O=X,C=JP' }]);
    expect(e.seen).toEqual(['key', 'send', 'retry 2']);
  });

  it('ok a key prepared before the click: used instead of a new one, stored before the CSR is sent', async () => {
    let storedAtSubmit: unknown;
    const f = fakes(async (_body, store) => {
      storedAtSubmit = (await store.getRow('pk', '42'))?.csrPem;
      return { certificates: [ISSUED], errors: [] };
    });
    const prepared = Promise.resolve({ privateKey: { early: true } as unknown as CryptoKey, csrPem: 'CSR-early' });
    const row = await issueIndividual(f.deps, { ...INPUT, prepared }, events().events);
    expect(f.tasks).toEqual([]);
    expect(f.submitted).toEqual(['CSR-early']);
    expect(storedAtSubmit).toBe('CSR-early');
    expect(row.privateKey).toEqual({ early: true });
  });

  it('ok a prepared key task that failed: a new key is made', async () => {
    const f = fakes(async () => ({ certificates: [ISSUED], errors: [] }));
    const prepared = Promise.reject(new Error('worker died'));
    prepared.catch(() => undefined); // the page does the same when it starts the task
    await issueIndividual(f.deps, { ...INPUT, prepared }, events().events);
    expect(f.tasks).toEqual([{ op: 'key', keyAlgorithm: 'P-256', dn: 'CN=Taro,O=X,C=JP' }]);
    expect(f.submitted).toEqual(['CSR-1']);
  });

  it('ok a prepared key is ignored when this browser already stored one, or its algorithm no longer matches the record', async () => {
    const f = fakes(async () => ({ certificates: [ISSUED], errors: [] }));
    await f.store.putRow({ pickup: 'pk', rowId: '42', privateKey: {} as CryptoKey, csrPem: 'CSR-before', createdAt: 'x' });
    await issueIndividual(f.deps, { ...INPUT, prepared: Promise.resolve({ privateKey: {} as CryptoKey, csrPem: 'CSR-early' }) }, events().events);
    expect(f.submitted).toEqual(['CSR-before']);

    const g = fakes(async () => ({ certificates: [ISSUED], errors: [] }));
    await g.store.putPickup({ pickup: 'pk', method: 1, keyAlgorithm: 'RSA-2048', expiresAt: INFO.expiresAt, createdAt: 'x' });
    await issueIndividual(g.deps, { ...INPUT, prepared: Promise.resolve({ privateKey: {} as CryptoKey, csrPem: 'CSR-early-p256' }) }, events().events);
    expect(g.tasks).toEqual([{ op: 'key', keyAlgorithm: 'RSA-2048', dn: 'CN=Taro,O=X,C=JP' }]);
    expect(g.submitted).toEqual(['CSR-1']);
  });

  it('ok resume after the CSR was sent: no new key, the same CSR again', async () => {
    const f = fakes(async () => ({ certificates: [ISSUED], errors: [] }));
    await f.store.putRow({ pickup: 'pk', rowId: '42', privateKey: {} as CryptoKey, csrPem: 'CSR-before', createdAt: 'x' });
    await issueIndividual(f.deps, INPUT, events().events);
    expect(f.tasks).toEqual([]);
    expect(f.submitted).toEqual(['CSR-before']);
  });

  it('ok resume after the certificate came: nothing made, nothing sent', async () => {
    const f = fakes(async () => {
      throw new Error('must not be called');
    });
    await f.store.putRow({ pickup: 'pk', rowId: '42', privateKey: {} as CryptoKey, csrPem: 'CSR', createdAt: 'x', certificate: { serial: '9', pem: 'C', chain: ['I', 'R'] } });
    const row = await issueIndividual(f.deps, INPUT, events().events);
    expect(row.certificate.serial).toBe('9');
    expect(f.tasks).toEqual([]);
    expect(f.submitted).toEqual([]);
  });

  it('NG key refused (KEY_REUSED): the stored key is forgotten, the next attempt makes a new one', async () => {
    let first = true;
    const f = fakes(async () => {
      if (first) {
        first = false;
        throw new ApiError(422, 'KEY_REUSED', { ja: 'x', en: 'x' });
      }
      return { certificates: [ISSUED], errors: [] };
    });
    await expect(issueIndividual(f.deps, INPUT, events().events)).rejects.toMatchObject({ code: 'KEY_REUSED' });
    expect(await f.store.getRow('pk', '42')).toBeUndefined();
    await issueIndividual(f.deps, INPUT, events().events);
    expect(f.submitted).toEqual(['CSR-1', 'CSR-2']);
  });

  it('NG network failure after the retries: the key stays, trying again sends the same CSR', async () => {
    let first = true;
    const f = fakes(async () => {
      if (first) {
        first = false;
        throw new ApiError(0, 'NETWORK', { ja: 'x', en: 'x' });
      }
      return { certificates: [ISSUED], errors: [] };
    });
    await expect(issueIndividual(f.deps, INPUT, events().events)).rejects.toMatchObject({ code: 'NETWORK' });
    expect((await f.store.getRow('pk', '42'))?.csrPem).toBe('CSR-1');
    await issueIndividual(f.deps, INPUT, events().events);
    expect(f.submitted).toEqual(['CSR-1', 'CSR-1']);
  });

  it('NG ALREADY_ISSUED (another key got the certificate): the error goes up, the key is kept', async () => {
    const f = fakes(async () => {
      throw new ApiError(409, 'ALREADY_ISSUED', { ja: 'x', en: 'x' });
    });
    await expect(issueIndividual(f.deps, INPUT, events().events)).rejects.toMatchObject({ code: 'ALREADY_ISSUED' });
    expect(await f.store.getRow('pk', '42')).toBeDefined();
  });
});

describe('p12ForRow', () => {
  it('ok: the chain after the end-entity, and the CSR for the worker to check the key', async () => {
    const f = fakes(async () => null);
    const row = { pickup: 'pk', rowId: '42', privateKey: {} as CryptoKey, csrPem: 'CSR', createdAt: 'x', certificate: { serial: '9', pem: 'C', chain: ['I', 'R'] } };
    await p12ForRow(f.deps.pool, row, { password: 'pw', variant: 'compatible', friendlyName: 'Taro' });
    expect(f.tasks).toEqual([{ op: 'p12', privateKey: row.privateKey, certificates: ['C', 'I', 'R'], password: 'pw', friendlyName: 'Taro', variant: 'compatible', csrPem: 'CSR' }]);
  });
});
