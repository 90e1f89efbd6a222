/**
 * Cached WHOIS answers (spec 02 §Validation against the system: "WHOIS answers are cached", default
 * 24 h, `whois.cacheHours`). One row per registered domain; the organisations an answer named are
 * kept newline-separated (a WHOIS line never holds one), null when the answer named none.
 */
import { eq } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { whoisCache } from '../schema/index.ts';

export interface CachedWhois {
  /** `host:port` that gave the answer: a cached answer from another server does not count. */
  readonly server: string;
  readonly organisations: readonly string[];
  readonly fetchedAt: Date;
}

export async function readWhoisCache(db: Queryable, domain: string): Promise<CachedWhois | null> {
  const [r] = await db.select().from(whoisCache).where(eq(whoisCache.domain, domain));
  if (!r) return null;
  return { server: r.server, organisations: r.organisation === null ? [] : r.organisation.split('\n'), fetchedAt: r.fetchedAt };
}

export async function writeWhoisCache(db: Queryable, domain: string, entry: CachedWhois): Promise<void> {
  const row = { server: entry.server, organisation: entry.organisations.length === 0 ? null : entry.organisations.join('\n'), fetchedAt: entry.fetchedAt };
  await db.insert(whoisCache).values({ domain, ...row }).onConflictDoUpdate({ target: whoisCache.domain, set: row });
}
