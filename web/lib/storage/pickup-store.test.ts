/**
 * The pickup store on fake-indexeddb (real IndexedDB semantics in Node, CryptoKeys by structured
 * clone): records survive reopening, rows belong to their pickup, delete and purge remove a pickup
 * with its rows; and the fallbacks: no IndexedDB, `open` throwing, a write failing later.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteDB } from 'idb';
import { DB_NAME, MemoryPickupStore, openPickupStore, type PickupStore } from './pickup-store.ts';
import { pickupKey, type PickupRecord, type RowRecord } from './pickup-records.ts';

const opened: PickupStore[] = [];
async function open(opts?: Parameters<typeof openPickupStore>[0]): Promise<PickupStore> {
  const s = await openPickupStore(opts);
  opened.push(s);
  return s;
}

afterEach(async () => {
  for (const s of opened.splice(0)) s.close();
  await deleteDB(DB_NAME);
});

async function key(): Promise<CryptoKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return pair.privateKey;
}

const pickup = (id: string, expiresAt = '2099-01-01T00:00:00Z'): PickupRecord => ({ pickup: id, method: 1, keyAlgorithm: 'P-256', expiresAt, createdAt: '2026-01-01T00:00:00Z' });
const row = async (p: string, rowId: string): Promise<RowRecord> => ({ pickup: p, rowId, privateKey: await key(), csrPem: `CSR ${rowId}`, createdAt: '2026-01-01T00:00:00Z' });

describe('IndexedDB store', () => {
  it('ok: records and the CryptoKey survive closing and reopening; the key still signs', async () => {
    const a = await open();
    expect(a.persistent).toBe(true);
    await a.putPickup(pickup('p1'));
    const r = await row('p1', '7');
    await a.putRow(r);
    await a.putRow({ ...r, certificate: { serial: '123', pem: 'CERT', chain: ['I', 'R'] } });

    const b = await open();
    expect(await b.getPickup('p1')).toEqual(pickup('p1'));
    const back = await b.getRow('p1', '7');
    expect(back?.certificate).toEqual({ serial: '123', pem: 'CERT', chain: ['I', 'R'] });
    expect(back?.privateKey.type).toBe('private');
    expect(back?.privateKey.extractable).toBe(true);
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, back!.privateKey, new Uint8Array([1, 2, 3]));
    expect(sig.byteLength).toBe(64);
  });

  it('ok: rows() lists only that pickup; deletePickup removes it with its rows and nothing else', async () => {
    const s = await open();
    await s.putPickup(pickup('p1'));
    await s.putPickup(pickup('p2'));
    for (const [p, id] of [['p1', '1'], ['p1', '2'], ['p2', '1']] as const) await s.putRow(await row(p, id));
    expect((await s.rows('p1')).map((r) => r.rowId).sort()).toEqual(['1', '2']);
    await s.deleteRow('p1', '2');
    expect((await s.rows('p1')).map((r) => r.rowId)).toEqual(['1']);
    await s.deletePickup('p1');
    expect(await s.getPickup('p1')).toBeUndefined();
    expect(await s.rows('p1')).toEqual([]);
    expect((await s.rows('p2')).map((r) => r.rowId)).toEqual(['1']);
  });

  it('ok: purgeExpired removes pickups whose URL expired, with their rows', async () => {
    const s = await open();
    await s.putPickup(pickup('old', '2026-01-01T00:00:00Z'));
    await s.putPickup(pickup('live', '2026-03-01T00:00:00Z'));
    await s.putRow(await row('old', '1'));
    expect(await s.purgeExpired(new Date('2026-02-01T00:00:00Z'))).toBe(1);
    expect(await s.getPickup('old')).toBeUndefined();
    expect(await s.rows('old')).toEqual([]);
    expect(await s.getPickup('live')).toBeDefined();
  });

  it('ok: a failing write switches to memory, tells once, and the operation still succeeds', async () => {
    let told = 0;
    const s = await open({ onDegraded: () => told++ });
    const original = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    try {
      await s.putPickup(pickup('p1'));
      await s.putPickup(pickup('p2'));
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect(s.persistent).toBe(false);
    expect(told).toBe(1);
    expect(await s.getPickup('p1')).toEqual(pickup('p1'));
    expect(await s.getPickup('p2')).toEqual(pickup('p2'));
  });
});

describe('fallbacks', () => {
  it('ok: indexedDB.open throwing (private mode) gives a working memory store', async () => {
    const original = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function () {
      throw new DOMException('not allowed', 'InvalidStateError');
    };
    try {
      const s = await open();
      expect(s.persistent).toBe(false);
      await s.putPickup(pickup('p1'));
      expect(await s.getPickup('p1')).toEqual(pickup('p1'));
    } finally {
      IDBFactory.prototype.open = original;
    }
  });

  it('ok: an open that never completes times out to memory', async () => {
    const original = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function () {
      return { addEventListener() {}, removeEventListener() {} } as unknown as IDBOpenDBRequest;
    };
    try {
      const s = await open({ timeoutMs: 20 });
      expect(s.persistent).toBe(false);
    } finally {
      IDBFactory.prototype.open = original;
    }
  });

  it('ok: the memory store does what the IndexedDB one does', async () => {
    const s = new MemoryPickupStore();
    await s.putPickup(pickup('old', '2026-01-01T00:00:00Z'));
    await s.putRow(await row('old', '1'));
    await s.putRow(await row('other', '1'));
    expect((await s.rows('old')).length).toBe(1);
    expect(await s.purgeExpired(new Date('2026-02-01T00:00:00Z'))).toBe(1);
    expect(await s.rows('old')).toEqual([]);
    expect((await s.rows('other')).length).toBe(1);
  });
});

describe('pickupKey', () => {
  it('ok: base64url SHA-256 of the token, never the token itself', async () => {
    const token = 'a'.repeat(43);
    const k = await pickupKey(token);
    expect(k).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(k).not.toBe(token);
    expect(await pickupKey(token)).toBe(k);
    expect(await pickupKey('b'.repeat(43))).not.toBe(k);
  });
});
