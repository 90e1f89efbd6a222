/**
 * Small key/value preferences (UI language…) in localStorage, behind a wrapper that survives a
 * disabled or full store: reads then return null and writes are kept in memory for the session.
 */

/** A synchronous string store; `browserPreferences()` is the real one, tests pass a Map-backed one. */
export interface PreferenceStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

/**
 * Preferences in `localStorage`. Accessing `localStorage` itself throws when storage is disabled
 * (SecurityError), and `setItem` throws when it is full: both fall back to memory.
 */
export function browserPreferences(
  getStorage: () => Storage | undefined = () => globalThis.localStorage,
): PreferenceStore {
  const memory = new Map<string, string>();
  const storage = (): Storage | undefined => {
    try {
      return getStorage();
    } catch {
      return undefined;
    }
  };
  return {
    get(key) {
      if (memory.has(key)) return memory.get(key) ?? null;
      try {
        return storage()?.getItem(key) ?? null;
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        const s = storage();
        if (s) {
          s.setItem(key, value);
          memory.delete(key);
          return;
        }
      } catch {
        // fall through to memory
      }
      memory.set(key, value);
    },
  };
}
