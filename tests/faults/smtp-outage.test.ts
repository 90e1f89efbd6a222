/**
 * Fault suite — SMTP down while 100 mails are queued (spec 08 §Reliability, spec 05: "an SMTP outage
 * delays mail, loses none, duplicates none"). A real server process whose SMTP_URL points at a port
 * where nothing listens; an upload of 50 rows queues 100 notices (a PIN URL mail and a pickup URL
 * mail per row); every first attempt fails. Then a real SMTP server (tests/helpers/smtp-server.ts)
 * comes up on that port, and the worker's retry (first backoff 30 s, api/mail/worker.ts) delivers.
 * Counted in the SMTP server: exactly 100 messages, 100 distinct Message-IDs, each the one the outbox
 * row holds; the outbox says all sent.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { tempDir } from '../helpers/db.ts';
import { hakkoEnv, officerOf, proxyHeaders, startHakkoProcess } from '../helpers/hakko-process.ts';
import { uploadBody } from '../helpers/officer.ts';
import { freePort } from '../helpers/server.ts';
import { startSmtpServer } from '../helpers/smtp-server.ts';
import { BENCH_INSTITUTION, issuanceFile } from '../../bench/upload.ts';
import { openDatabase } from '../../db/client.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('SMTP outage with 100 mails queued', () => {
  it('NG SMTP down → every attempt fails and is kept; SMTP back → 100 delivered, none lost, none twice', async () => {
    const dataDir = tempDir('hakko-smtp-outage-');
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const smtpPort = await freePort(); // nothing listens here until the outage ends
    const env = await hakkoEnv({ dataDir, env: { TRUSTED_PROXIES: '127.0.0.1', SMTP_URL: `smtp://127.0.0.1:${smtpPort}` } });
    const p = await startHakkoProcess(env, 'smtp-outage');
    cleanups.push(() => p.kill());
    const officer = await officerOf(p, BENCH_INSTITUTION, 'ra@bench.ac.jp');
    const body = await uploadBody({ file: { name: 'outage.tsv', bytes: issuanceFile(50, 'SMTP') }, kind: 'issue', mode: 'abort', reviewed: 'true' });
    const r = await fetch(`${p.httpUrl}/api/officer/uploads`, { method: 'POST', headers: { ...proxyHeaders(officer.certPem), 'content-type': body.contentType }, body: new Uint8Array(body.bytes) });
    expect(r.status).toBe(200);
    expect((await r.json()).registered).toBe(50);

    // The worker tried each queued mail and failed (the log names the outbox row, never the PIN or link).
    const failed = () => new Set([...p.log().matchAll(/mail delivery failed \{"outbox":(\d+)/g)].map((m) => m[1]));
    let end = Date.now() + 60_000;
    while (failed().size < 100 && Date.now() < end) await delay(50);
    const queued = failed().size;
    expect(queued).toBeGreaterThanOrEqual(100);

    // SMTP comes back on the same port; the retry (30 s after the first attempt) delivers.
    const smtp = await startSmtpServer(() => false, { port: smtpPort });
    cleanups.push(() => smtp.close());
    end = Date.now() + 150_000;
    while (smtp.received.length < queued && Date.now() < end) await delay(100);
    // Let the process finish what it holds, then stop it cleanly and count in the database.
    await p.kill('SIGTERM');
    const d = await openDatabase({ databaseUrl: null, dataDir });
    cleanups.push(() => d.close());
    const rows = ((await d.db.execute(sql`select message_id as "messageId", state, attempts from outbox order by id`)) as unknown as { rows: { messageId: string; state: string; attempts: number }[] }).rows;
    const ids = smtp.received.map((m) => /^Message-ID:\s*(<[^>]+>)/im.exec(m.raw.toString('latin1'))?.[1]);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length); // none twice
    expect(rows.every((row) => row.state === 'sent')).toBe(true); // none lost
    expect(rows.length).toBeGreaterThanOrEqual(100);
    expect(smtp.received.length).toBe(rows.length); // every outbox row delivered exactly once
    expect(new Set(ids)).toEqual(new Set(rows.map((row) => row.messageId)));
    expect(rows.filter((row) => row.attempts >= 2).length).toBeGreaterThanOrEqual(100); // delivered on a retry, after the outage
    console.info(`SMTP outage: ${rows.length} outbox rows (100 upload notices${rows.length > 100 ? ` + ${rows.length - 100} others` : ''}), ${smtp.received.length} delivered after the outage, ${new Set(ids).size} distinct Message-IDs`);
  });
});
