/**
 * The pickup records (pickup-records.ts) in IndexedDB through `idb`, behind one wrapper that
 * survives a disabled store (STYLE.md §Practices 13): when IndexedDB is missing, refuses to open
 * (some private modes) or fails later (quota, a closed database), the records live in memory for
 * this page and `persistent` turns false, so the page can say that it cannot resume after a reload.
 *
 * Schema (database `hakko-pickup`, version 1):
 * - `pickups`: PickupRecord, key path `pickup`;
 * - `rows`: RowRecord, key path [`pickup`, `rowId`], index `byPickup` on `pickup`.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PickupRecord, RowRecord } from './pickup-records.ts';

export const DB_NAME = 'hakko-pickup';
export const DB_VERSION = 1;

interface PickupSchema extends DBSchema {
  pickups: { key: string; value: PickupRecord };
  rows: { key: [string, string]; value: RowRecord; indexes: { byPickup: string } };
}

/** The operations the pickup pages use; every one of them works, persistent or not. */
export interface PickupStore {
  /** True while records survive a reload (IndexedDB works). */
  readonly persistent: boolean;
  getPickup(pickup: string): Promise<PickupRecord | undefined>;
  putPickup(record: PickupRecord): Promise<void>;
  getRow(pickup: string, rowId: string): Promise<RowRecord | undefined>;
  putRow(record: RowRecord): Promise<void>;
  rows(pickup: string): Promise<RowRecord[]>;
  /** Deletes one row (its key was refused: the next attempt makes a new one). */
  deleteRow(pickup: string, rowId: string): Promise<void>;
  /** Deletes the pickup record and all its rows (after the user confirmed). */
  deletePickup(pickup: string): Promise<void>;
  /** Deletes every pickup (with its rows) whose URL expired before `now`; returns how many. */
  purgeExpired(now: Date): Promise<number>;
  /** Closes the database (the page is going away, or another tab needs to upgrade it). */
  close(): void;
}

/** Records in memory: the fallback, and what a test may use. */
export class MemoryPickupStore implements PickupStore {
  readonly persistent = false;
  readonly #pickups = new Map<string, PickupRecord>();
  readonly #rows = new Map<string, RowRecord>();

  async getPickup(pickup: string) {
    return this.#pickups.get(pickup);
  }
  async putPickup(record: PickupRecord) {
    this.#pickups.set(record.pickup, record);
  }
  async getRow(pickup: string, rowId: string) {
    return this.#rows.get(JSON.stringify([pickup, rowId]));
  }
  async putRow(record: RowRecord) {
    this.#rows.set(JSON.stringify([record.pickup, record.rowId]), record);
  }
  async rows(pickup: string) {
    return [...this.#rows.values()].filter((r) => r.pickup === pickup);
  }
  async deleteRow(pickup: string, rowId: string) {
    this.#rows.delete(JSON.stringify([pickup, rowId]));
  }
  async deletePickup(pickup: string) {
    this.#pickups.delete(pickup);
    for (const [k, r] of this.#rows) if (r.pickup === pickup) this.#rows.delete(k);
  }
  async purgeExpired(now: Date) {
    const expired = [...this.#pickups.values()].filter((p) => Date.parse(p.expiresAt) < now.getTime());
    for (const p of expired) await this.deletePickup(p.pickup);
    return expired.length;
  }
  close() {}
}

class IdbPickupStore implements PickupStore {
  readonly persistent = true;
  readonly #db: IDBPDatabase<PickupSchema>;
  constructor(db: IDBPDatabase<PickupSchema>) {
    this.#db = db;
  }
  async getPickup(pickup: string) {
    return this.#db.get('pickups', pickup);
  }
  async putPickup(record: PickupRecord) {
    await this.#db.put('pickups', record);
  }
  async getRow(pickup: string, rowId: string) {
    return this.#db.get('rows', [pickup, rowId]);
  }
  async putRow(record: RowRecord) {
    await this.#db.put('rows', record);
  }
  async rows(pickup: string) {
    return this.#db.getAllFromIndex('rows', 'byPickup', pickup);
  }
  async deleteRow(pickup: string, rowId: string) {
    await this.#db.delete('rows', [pickup, rowId]);
  }
  async deletePickup(pickup: string) {
    const tx = this.#db.transaction(['pickups', 'rows'], 'readwrite');
    const rows = tx.objectStore('rows');
    for (const key of await rows.index('byPickup').getAllKeys(pickup)) await rows.delete(key);
    await tx.objectStore('pickups').delete(pickup);
    await tx.done;
  }
  async purgeExpired(now: Date) {
    const expired = (await this.#db.getAll('pickups')).filter((p) => Date.parse(p.expiresAt) < now.getTime());
    for (const p of expired) await this.deletePickup(p.pickup);
    return expired.length;
  }
  close() {
    this.#db.close();
  }
}

/**
 * IndexedDB first; on any failure the operation is repeated on a memory store, which serves from
 * then on (already written records stay in IndexedDB, but nothing new is written there: `persistent`
 * is false, and `onDegraded` tells the page once).
 */
class ResilientPickupStore implements PickupStore {
  #current: PickupStore;
  readonly #fallback = new MemoryPickupStore();
  readonly #onDegraded: () => void;
  constructor(primary: PickupStore, onDegraded: () => void) {
    this.#current = primary;
    this.#onDegraded = onDegraded;
  }
  get persistent() {
    return this.#current.persistent;
  }
  async #do<T>(op: (s: PickupStore) => Promise<T>): Promise<T> {
    if (this.#current === this.#fallback) return op(this.#fallback);
    try {
      return await op(this.#current);
    } catch {
      this.#current = this.#fallback;
      this.#onDegraded();
      return op(this.#fallback);
    }
  }
  getPickup = (pickup: string) => this.#do((s) => s.getPickup(pickup));
  putPickup = (record: PickupRecord) => this.#do((s) => s.putPickup(record));
  getRow = (pickup: string, rowId: string) => this.#do((s) => s.getRow(pickup, rowId));
  putRow = (record: RowRecord) => this.#do((s) => s.putRow(record));
  rows = (pickup: string) => this.#do((s) => s.rows(pickup));
  deleteRow = (pickup: string, rowId: string) => this.#do((s) => s.deleteRow(pickup, rowId));
  deletePickup = (pickup: string) => this.#do((s) => s.deletePickup(pickup));
  purgeExpired = (now: Date) => this.#do((s) => s.purgeExpired(now));
  close = () => this.#current.close();
}

export interface OpenOptions {
  /** Give up opening after this long (a blocked upgrade must not hang the page); default 3 s. */
  readonly timeoutMs?: number;
  /** Told once when a working store stops working. */
  readonly onDegraded?: () => void;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('IndexedDB did not open in time')), ms);
    p.then((v) => (clearTimeout(timer), resolve(v)), (e) => (clearTimeout(timer), reject(e)));
  });
}

/** The pickup store: IndexedDB when it works, else memory (`persistent` false). Never throws. */
export async function openPickupStore(opts: OpenOptions = {}): Promise<PickupStore> {
  // Reading `indexedDB` itself throws in some sandboxed frames; `idb` uses the global.
  let available = false;
  try {
    available = typeof globalThis.indexedDB?.open === 'function';
  } catch {
    available = false;
  }
  if (!available) return new MemoryPickupStore();
  let opened: IDBPDatabase<PickupSchema> | undefined;
  try {
    const db = await withTimeout(
      openDB<PickupSchema>(DB_NAME, DB_VERSION, {
        upgrade(database) {
          database.createObjectStore('pickups', { keyPath: 'pickup' });
          database.createObjectStore('rows', { keyPath: ['pickup', 'rowId'] }).createIndex('byPickup', 'pickup');
        },
        // Another tab upgrading or deleting the database: let it (this page then works from memory).
        blocking() {
          opened?.close();
        },
      }),
      opts.timeoutMs ?? 3000,
    );
    opened = db;
    return new ResilientPickupStore(new IdbPickupStore(db), opts.onDegraded ?? (() => {}));
  } catch {
    return new MemoryPickupStore();
  }
}
