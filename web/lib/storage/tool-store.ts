/**
 * The TSV tool's storage (spec 07 §Creating: drafts saved automatically, surviving reloads, offline
 * use and browser restarts): drafts and the institution profile in IndexedDB through `idb`, behind a
 * wrapper that survives a disabled or failing store — it then keeps everything in memory for the
 * session and says so (`persistent: false`), so the page can tell the user to export before leaving.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { InstitutionProfile } from '$domain/institution.ts';
import type { TsvEncoding, TsvKind } from '$domain/tsv/index.ts';

/** What the start page lists: everything of a draft except its rows. */
export interface DraftMeta {
  readonly id: string;
  readonly name: string;
  readonly kind: TsvKind;
  readonly rowCount: number;
  /** Error-level problems at the last validation; null before the first one. */
  readonly errors: number | null;
  readonly warnings: number | null;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The file a draft was opened from, if any, and how it was read. */
  readonly source: { readonly fileName: string; readonly encoding: TsvEncoding | null } | null;
}

/** A whole draft: its meta and its rows (15 values each, as the user left them). */
export interface Draft extends DraftMeta {
  readonly rows: readonly (readonly string[])[];
}

/** The institution profile in use and where it came from. */
export interface StoredProfile {
  readonly profile: InstitutionProfile;
  readonly source: 'server' | 'file';
  /** The file name, or the server's origin. */
  readonly sourceName: string;
  /** ISO 8601. */
  readonly loadedAt: string;
}

/** Why drafts are not kept across sessions. */
export type StoreProblem = 'unavailable' | 'write-failed';

export interface ToolStore {
  /** False when drafts live only in memory (IndexedDB disabled or failing). */
  readonly persistent: boolean;
  readonly problem: StoreProblem | null;
  listDrafts(): Promise<DraftMeta[]>;
  getDraft(id: string): Promise<Draft | null>;
  putDraft(draft: Draft): Promise<void>;
  deleteDraft(id: string): Promise<void>;
  getProfile(): Promise<StoredProfile | null>;
  putProfile(profile: StoredProfile | null): Promise<void>;
}

interface ToolDb extends DBSchema {
  drafts: { key: string; value: Draft };
  meta: { key: string; value: DraftMeta };
  settings: { key: string; value: StoredProfile };
}

const DB_NAME = 'hakko-tool';
const DB_VERSION = 1;
const PROFILE_KEY = 'profile';

function metaOf(d: Draft): DraftMeta {
  const { rows, ...meta } = d;
  return { ...meta, rowCount: rows.length };
}

const byUpdated = (a: DraftMeta, b: DraftMeta) => b.updatedAt.localeCompare(a.updatedAt);

/** Everything in memory: the fallback, and what a failing IndexedDB store continues with. */
function memoryStore(problem: StoreProblem, seed: { drafts?: Map<string, Draft>; profile?: StoredProfile | null } = {}): ToolStore {
  const drafts = seed.drafts ?? new Map<string, Draft>();
  let profile = seed.profile ?? null;
  return {
    persistent: false,
    problem,
    listDrafts: async () => [...drafts.values()].map(metaOf).sort(byUpdated),
    getDraft: async (id) => drafts.get(id) ?? null,
    putDraft: async (d) => void drafts.set(d.id, d),
    deleteDraft: async (id) => void drafts.delete(id),
    getProfile: async () => profile,
    putProfile: async (p) => void (profile = p),
  };
}

/**
 * The IndexedDB store. A call that fails (quota, a store closed by the browser) switches the whole
 * store to memory — keeping what was written in this session — and reports `write-failed`.
 */
function idbStore(db: IDBPDatabase<ToolDb>): ToolStore {
  let fallback: ToolStore | null = null;
  const session = new Map<string, Draft>();
  let sessionProfile: StoredProfile | null | undefined;
  const fail = (): ToolStore => (fallback ??= memoryStore('write-failed', { drafts: session, profile: sessionProfile ?? null }));
  const store: ToolStore = {
    get persistent() {
      return fallback === null;
    },
    get problem() {
      return fallback?.problem ?? null;
    },
    async listDrafts() {
      if (fallback) return fallback.listDrafts();
      try {
        return (await db.getAll('meta')).sort(byUpdated);
      } catch {
        return fail().listDrafts();
      }
    },
    async getDraft(id) {
      if (fallback) return fallback.getDraft(id);
      try {
        return (await db.get('drafts', id)) ?? null;
      } catch {
        return fail().getDraft(id);
      }
    },
    async putDraft(d) {
      session.set(d.id, d);
      if (fallback) return fallback.putDraft(d);
      try {
        const tx = db.transaction(['drafts', 'meta'], 'readwrite');
        await Promise.all([tx.objectStore('drafts').put(d), tx.objectStore('meta').put(metaOf(d)), tx.done]);
      } catch {
        fail();
      }
    },
    async deleteDraft(id) {
      session.delete(id);
      if (fallback) return fallback.deleteDraft(id);
      try {
        const tx = db.transaction(['drafts', 'meta'], 'readwrite');
        await Promise.all([tx.objectStore('drafts').delete(id), tx.objectStore('meta').delete(id), tx.done]);
      } catch {
        await fail().deleteDraft(id);
      }
    },
    async getProfile() {
      if (fallback) return fallback.getProfile();
      try {
        return (await db.get('settings', PROFILE_KEY)) ?? null;
      } catch {
        return fail().getProfile();
      }
    },
    async putProfile(p) {
      sessionProfile = p;
      if (fallback) return fallback.putProfile(p);
      try {
        if (p === null) await db.delete('settings', PROFILE_KEY);
        else await db.put('settings', p, PROFILE_KEY);
      } catch {
        fail();
      }
    },
  };
  return store;
}

let opened: Promise<ToolStore> | null = null;

/**
 * The tool's store, opened once per page. `indexedDB` missing, throwing (disabled storage) or not
 * answering within `timeoutMs` gives the memory store with `problem: 'unavailable'`.
 */
export function toolStore(factory: () => IDBFactory | undefined = () => globalThis.indexedDB, timeoutMs = 3000): Promise<ToolStore> {
  opened ??= (async () => {
    try {
      if (!factory()) return memoryStore('unavailable');
      const db = await Promise.race([
        openDB<ToolDb>(DB_NAME, DB_VERSION, {
          upgrade(database) {
            database.createObjectStore('drafts', { keyPath: 'id' });
            database.createObjectStore('meta', { keyPath: 'id' });
            database.createObjectStore('settings');
          },
        }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('IndexedDB did not open')), timeoutMs)),
      ]);
      return idbStore(db);
    } catch {
      return memoryStore('unavailable');
    }
  })();
  return opened;
}
