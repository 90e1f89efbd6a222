import { sql } from 'drizzle-orm';
import { openDatabase } from '../db/client.ts';
import { createPgDatabase } from '../tests/helpers/db.ts';
const c = await createPgDatabase();
const d = await openDatabase({ databaseUrl: c.url, dataDir: '/tmp/x', migrate: false });
for (const [name, q] of [
  ['date', sql`select ${new Date()}::timestamptz as x`],
  ['u8', sql`select ${new Uint8Array([1,2,3])}::bytea as x`],
  ['buf', sql`select ${Buffer.from([1,2,3])}::bytea as x`],
] as const) {
  try { console.log(name, await d.db.execute(q)); } catch (e) { console.log(name, 'ERR', (e as any).cause?.message ?? (e as Error).message.slice(0,100)); }
}
await d.close(); await c.dispose();
