/**
 * The built-in mailbox cannot be read from afar (issue 9 defect 2, spec 05 §Delivery), on PGlite and
 * PostgreSQL: it answers only requests whose Host is a loopback name (a DNS-rebinding page or a
 * same-host proxy forwarding the public name gets 404), only while PUBLIC_URL is on a loopback host,
 * and its stored bodies are sealed, so a database dump shows no link (spec 04 §Secrets).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { resultRows } from '../../db/repos/bulk.ts';
import { backends } from '../helpers/db.ts';
import { runCli, startTestServer, type TestServer } from '../helpers/server.ts';
import { addTestInstitution } from '../helpers/officer.ts';
import { linksIn, parseMail } from '../helpers/world.ts';

/** GET with a Host header of our choosing (as a rebinding page or a proxy would send it). */
function get(url: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers: { ...headers, host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(await backends())('built-in mailbox on $name', (backend) => {
  let srv: TestServer;
  let token: string;
  let id: string;
  let port: string;

  beforeAll(async () => {
    srv = await startTestServer({ backend });
    port = new URL(srv.httpUrl).port;
    await addTestInstitution(srv);
    const e = await runCli(srv.env, ['officer', 'enroll', '--institution', 'sample-u', '--name', '受信 担当', '--email', 'mailbox@sample.ac.jp', '--json']);
    token = (JSON.parse(e.stdout) as { url: string }).url.split('/').pop()!;
    srv.worker?.kick();
    for (let i = 0; i < 200; i++) {
      const page = (await get(`${srv.httpUrl}/dev/mailbox`, `localhost:${port}`)).body.toString();
      const m = /href="\/dev\/mailbox\/(\d+)"/.exec(page);
      if (m) {
        id = m[1]!;
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(id).toBeDefined();
  });
  afterAll(async () => {
    await srv?.dispose();
  });

  it('ok a loopback Host on a loopback connection reads it', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, 'localhost', `hakko.localhost:${port}`]) {
      expect((await get(`${srv.httpUrl}/dev/mailbox`, host)).status, host).toBe(200);
    }
    const eml = await get(`${srv.httpUrl}/dev/mailbox/${id}.eml`, `localhost:${port}`);
    expect(eml.status).toBe(200);
    expect(linksIn(parseMail({ from: '', to: [], raw: eml.body }).text).pickup).toEqual([token]);
  });

  it('NG a non-loopback Host (DNS rebinding, a proxy forwarding the public name) → 404, even on a loopback connection', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, 'hakko.example.ac.jp', '127.0.0.1.nip.io', `[::2]:${port}`]) {
      for (const path of ['/dev/mailbox', `/dev/mailbox/${id}`, `/dev/mailbox/${id}.eml`]) {
        const r = await get(srv.httpUrl + path, host);
        expect(r.status, `${host} ${path}`).toBe(404);
        expect(r.body.toString()).not.toContain(token);
      }
    }
  });

  it('NG a relayed request (X-Forwarded-For) with a loopback Host → 403 MAILBOX_LOOPBACK_ONLY', async () => {
    const r = await get(`${srv.httpUrl}/dev/mailbox`, `localhost:${port}`, { 'x-forwarded-for': '203.0.113.9' });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body.toString()).code).toBe('MAILBOX_LOOPBACK_ONLY');
  });

  it('ok the stored bodies are sealed: the database holds no link', async () => {
    const stored = resultRows<{ raw: Uint8Array }>(await srv.services.db.execute(sql`select raw from mailbox`));
    expect(stored.length).toBeGreaterThan(0);
    for (const r of stored) {
      const bytes = Buffer.from(r.raw);
      // Neither in the bytes nor in the mail they would make (its text part is base64 or QP encoded).
      let text = '';
      try {
        text = parseMail({ from: '', to: [], raw: bytes }).text;
      } catch {
        /* not a mail: sealed */
      }
      expect(text).not.toContain(token);
      expect(bytes.includes(token)).toBe(false);
      expect(bytes.includes('/pickup/')).toBe(false);
      expect(bytes.includes('Content-Type')).toBe(false);
    }
  });
});

describe('built-in mailbox with a public PUBLIC_URL', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ env: { PUBLIC_URL: 'https://hakko.example.ac.jp', PUBLIC_HTTPS_URL: 'https://hakko.example.ac.jp:8443' } });
  });
  afterAll(async () => {
    await srv?.dispose();
  });

  it('NG it is not served at all (404), whatever the Host', async () => {
    for (const host of ['localhost', '127.0.0.1', 'hakko.example.ac.jp']) {
      expect((await get(`${srv.httpUrl}/dev/mailbox`, host)).status, host).toBe(404);
    }
  });
});
