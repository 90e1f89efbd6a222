import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create('/tmp/pgl-show-' + process.pid);
const r = await db.query(`select name, setting, unit from pg_settings where name in ('shared_buffers','wal_buffers','synchronous_commit','fsync','full_page_writes','wal_level','checkpoint_timeout','max_wal_size','work_mem','maintenance_work_mem','temp_buffers','wal_writer_delay','commit_delay','effective_io_concurrency','huge_pages','wal_compression','wal_sync_method')`);
console.log(r.rows);
await db.close();
