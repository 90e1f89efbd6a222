import { getTableColumns, getTableName } from 'drizzle-orm';
import { requests, outbox, urlTokens, auditLog, certificates } from '../db/schema/index.ts';
for (const t of [requests, outbox, urlTokens, auditLog, certificates]) {
  console.log(getTableName(t));
  for (const [k, c] of Object.entries(getTableColumns(t))) console.log('  ', k, c.name, c.getSQLType(), (c as any).generatedIdentity?.type ?? '', c.hasDefault);
}
