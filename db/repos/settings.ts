/** Settings and instance metadata in the `settings` table. Keys `instance.*` are not operator config. */
import { eq, like, not } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { settings } from '../schema/index.ts';
import { defaultSettings, type SettingKey, type SettingValues } from '../../api/domain/settings.ts';

export async function readSettings(db: Queryable): Promise<SettingValues> {
  const values = defaultSettings() as Record<string, unknown>;
  const rows = await db.select().from(settings).where(not(like(settings.key, 'instance.%')));
  for (const r of rows) if (Object.hasOwn(values, r.key)) values[r.key] = r.value;
  return values as SettingValues;
}

export async function writeSetting(db: Queryable, key: SettingKey | `instance.${string}`, value: unknown, now: Date): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value: value as object, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value: value as object, updatedAt: now } });
}

export async function readInstanceValue<T>(db: Queryable, key: `instance.${string}`): Promise<T | null> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  return row ? (row.value as T) : null;
}

/** Inserts only when absent; returns the stored value (the first writer wins under concurrency). */
export async function initInstanceValue<T>(db: Queryable, key: `instance.${string}`, value: T, now: Date): Promise<T> {
  await db.insert(settings).values({ key, value: value as object, updatedAt: now }).onConflictDoNothing();
  return (await readInstanceValue<T>(db, key)) as T;
}
