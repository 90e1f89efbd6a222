import { freshDatabase, uploadServices, prepareUploader, issuanceFile } from '../bench/upload.ts';
import { uploadTsv } from '../api/workflows/upload-tsv.ts';
const kind = (process.argv[2] ?? 'postgres') as 'postgres' | 'pglite';
const bytes = issuanceFile();
for (let k = 0; k < Number(process.argv[3] ?? 1); k++) {
const fresh = await freshDatabase(kind);
const s = uploadServices(fresh.database, { now: () => new Date() });
const officer = await prepareUploader(s.db, s.clock);
const t0 = performance.now(); const c0 = process.cpuUsage();
const a = await uploadTsv(s, officer, { file: { name: 'b.tsv', bytes }, kind: 'issue', mode: 'abort', lang: 'ja' });
const c = process.cpuUsage(c0);
console.log(kind, 'total', (performance.now() - t0).toFixed(0), 'ms; node cpu', ((c.user + c.system) / 1000).toFixed(0), 'ms; registered', a.registered);
await fresh.dispose();
}
