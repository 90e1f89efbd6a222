/**
 * WHOIS checks 303/304 (spec 02 §Validation against the system) against a WHOIS server this test
 * runs on 127.0.0.1 (WHOIS_SERVERS=jp=127.0.0.1:PORT,net=…): JPRS-style and generic answers, a
 * mismatch, a refused connection, a silent server (timeout injected), the DB cache and its expiry.
 * Through the real HTTPS API where the server's own client is wired, through the workflow where the
 * timeout is shortened. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { sql } from 'drizzle-orm';
import { backends } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { freePort, runCli, startTestServer, type TestServer } from '../helpers/server.ts';
import { addTestInstitution, authenticatedOfficer, enrollTestOfficer, SAMPLE_INSTITUTION, uploadViaApi, type OfficerCredentials } from '../helpers/officer.ts';
import { person } from '../unit/tsv-builders.ts';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { createWhoisClient, decodeWhois, whoisQuery } from '../../api/whois/client.ts';
import { uploadTsv } from '../../api/workflows/upload-tsv.ts';
import { writeSetting } from '../../db/repos/settings.ts';
import type { AuthenticatedOfficer } from '../../api/domain/officer.ts';

const JPRS_OK = [
  '[ JPRS database provides information on network administration. Its use is    ]',
  '[ restricted to network administration purposes.                                ]',
  '',
  'Domain Information:',
  'a. [Domain Name]                OK-U.AC.JP',
  'g. [Organization]               Sample  University',
  'l. [Organization Type]          University',
  'm. [Administrative Contact]     XX00000JP',
  '',
].join('\r\n');
const JPRS_OTHER = JPRS_OK.replace('OK-U.AC.JP', 'BAD-U.AC.JP').replace('Sample  University', 'Another Institute');
const GENERIC = 'Domain Name: GENERIC-U.NET\r\nRegistrar: Example Registrar\r\nRegistrant Organization: SAMPLE UNIVERSITY\r\nRegistrant Country: JP\r\n';

/** A WHOIS server (RFC 3912): reads the query line, answers by domain, closes. Counts connections per query. */
async function startWhoisServer() {
  const queries: string[] = [];
  const open = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    open.add(sock);
    sock.on('close', () => open.delete(sock));
    sock.on('error', () => {});
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (!buf.includes('\r\n')) return;
      const q = buf.slice(0, buf.indexOf('\r\n'));
      queries.push(q);
      if (q.startsWith('silent-u.')) return; // accepts, never answers
      const answer = q === 'ok-u.ac.jp' ? JPRS_OK : q === 'bad-u.ac.jp' ? JPRS_OTHER : q === 'generic-u.net' ? GENERIC : 'No match!!\r\n';
      sock.end(answer);
    });
  });
  const port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as net.AddressInfo).port)));
  return {
    port,
    queries,
    count: (q: string) => queries.filter((x) => x === q).length,
    close: () => new Promise<void>((r) => {
      for (const s of open) s.destroy();
      server.close(() => r());
    }),
  };
}

const DOMAINS = ['sample.ac.jp', 'ok-u.ac.jp', 'bad-u.ac.jp', 'silent-u.ac.jp', 'generic-u.net', 'off-u.org'];
let fileNo = 0;
/** One issuance file of `n` rows whose user mails lie under `domain` (a subdomain: WHOIS must ask the registered one). */
function fileFor(domain: string, n = 2) {
  const rows = Array.from({ length: n }, () => {
    const k = ++fileNo;
    return person(1000 + k, { 14: `user${k}@mail.${domain}` });
  });
  return { name: `whois-${fileNo}.tsv`, bytes: encodeTsv(rows) };
}

describe('WHOIS client pieces', () => {
  it('ok: JPRS gets /e, other servers the bare domain, as registered', () => {
    expect(whoisQuery('Sample.ac.jp', { host: 'whois.jprs.jp', port: 43 })).toBe('Sample.ac.jp/e\r\n');
    expect(whoisQuery('example.net', { host: 'whois.verisign-grs.com', port: 43 })).toBe('example.net\r\n');
  });
  it('ok: answers decode as ISO-2022-JP (JPRS Japanese), UTF-8, else Latin-1', () => {
    const iso = new Uint8Array([...Buffer.from('f. [\x1b$BAH?%L>\x1b(B] X\r\n', 'latin1')]);
    expect(decodeWhois(iso)).toBe('f. [組織名] X\r\n');
    expect(decodeWhois(new Uint8Array(Buffer.from('g. [Organization] Université')))).toContain('Université');
    expect(decodeWhois(new Uint8Array([0x41, 0xe9]))).toBe('Aé');
  });
  it('ok: off when no server is configured for the TLD (no connection at all)', async () => {
    const w = createWhoisClient({ servers: new Map([['jp', { host: '127.0.0.1', port: 9 }]]), db: null, clock: new FakeClock() });
    expect(await w('example.org')).toEqual({ status: 'off' });
  });
});

describe.each(await backends())('WHOIS checks on $name', (backend) => {
  let whois: Awaited<ReturnType<typeof startWhoisServer>>;
  let srv: TestServer;
  let officer: OfficerCredentials;
  let who: AuthenticatedOfficer;
  const clock = new FakeClock(new Date());

  beforeAll(async () => {
    whois = await startWhoisServer();
    srv = await startTestServer({ backend, clock, env: { WHOIS_SERVERS: `jp=127.0.0.1:${whois.port},net=127.0.0.1:${whois.port}` } });
    await addTestInstitution(srv, { ...SAMPLE_INSTITUTION, domains: DOMAINS, whoisOrg: 'Sample University' });
    officer = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code);
    who = await authenticatedOfficer(srv, officer);
  });
  afterAll(async () => {
    await srv?.dispose();
    await whois?.close();
  });

  const upload = (domain: string, n = 2) => uploadViaApi(srv, officer, { file: fileFor(domain, n), kind: 'issue', mode: 'abort', reviewed: 'true' });
  const codes = (answer: { readonly rows: readonly { readonly errors: readonly { code: string; column: number }[] }[] }) => answer.rows.flatMap((r) => r.errors.map((e) => `${e.code}:${e.column}`));

  it('ok: JPRS-style answer naming the registered organisation (after NFKC, case and space folding) → registered; the registered domain is asked once', async () => {
    const r = await upload('ok-u.ac.jp', 3);
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ registered: 3, rejected: 0 });
    expect(whois.count('ok-u.ac.jp')).toBe(1);
    expect(whois.queries.some((q) => q.includes('mail.'))).toBe(false);
  });

  it('ok: a second upload within whois.cacheHours makes no new connection (DB cache)', async () => {
    const r = await upload('ok-u.ac.jp');
    expect(r.status).toBe(200);
    expect(whois.count('ok-u.ac.jp')).toBe(1);
    const rows = await srv.services.db.execute(sql`select domain, organisation from whois_cache where domain = 'ok-u.ac.jp'`);
    const list = ((rows as unknown as { rows?: unknown[] }).rows ?? rows) as { organisation: string }[];
    expect(list).toEqual([{ domain: 'ok-u.ac.jp', organisation: 'Sample  University' }]);
  });

  it('ok: after whois.cacheHours the answer is fetched again', async () => {
    clock.advance(25 * 3_600_000);
    expect((await upload('ok-u.ac.jp')).status).toBe(200);
    expect(whois.count('ok-u.ac.jp')).toBe(2);
  });

  it('NG 304 a registrant that no longer matches: nothing registered, 304 on column 14 of every row', async () => {
    const r = await upload('bad-u.ac.jp');
    expect(r.status).toBe(422);
    expect(r.json().registered).toBe(0);
    expect(codes(r.json())).toEqual(['304:14', '304:14']);
    expect(r.json().rows[0].errors[0].message).toMatch(/^304:14,/);
  });

  it('ok: generic "Registrant Organization:" answer from the server of another TLD', async () => {
    const r = await upload('generic-u.net');
    expect(r.status).toBe(200);
    expect(whois.count('generic-u.net')).toBe(1);
  });

  it('ok: a TLD without a configured server: the check is off, rows register', async () => {
    const before = whois.queries.length;
    const r = await upload('off-u.org');
    expect(r.status).toBe(200);
    expect(whois.queries.length).toBe(before);
  });

  it('NG 303 connection refused (workflow with the same client on a closed port); not cached', async () => {
    const closed = await freePort();
    const w = createWhoisClient({ servers: new Map([['jp', { host: '127.0.0.1', port: closed }]]), db: srv.services.db, clock, timeoutMs: 2000 });
    const a = await uploadTsv(srv.services, who, { file: fileFor('sample.ac.jp'), kind: 'issue', mode: 'valid-only', lang: 'en' }, w);
    expect(a.registered).toBe(0);
    expect(codes(a)).toEqual(['303:14', '303:14']);
    expect(a.rows[0]!.errors[0]!.message).toMatch(/^303:14,/);
    const rows = await srv.services.db.execute(sql`select count(*)::int as n from whois_cache where domain = 'sample.ac.jp'`);
    expect((((rows as unknown as { rows?: unknown[] }).rows ?? rows) as { n: number }[])[0]!.n).toBe(0);
  });

  it('NG 303 a silent server (accepts, never answers) after the (injected) timeout, well before 5 s; not cached', async () => {
    const w = createWhoisClient({ servers: srv.services.config.whoisServers, db: srv.services.db, clock, timeoutMs: 150 });
    const t0 = performance.now();
    const a = await uploadTsv(srv.services, who, { file: fileFor('silent-u.ac.jp'), kind: 'issue', mode: 'abort', lang: 'ja' }, w);
    const elapsed = performance.now() - t0;
    expect(codes(a)).toEqual(['303:14', '303:14']);
    expect(a.registered).toBe(0);
    expect(whois.count('silent-u.ac.jp')).toBe(1); // it did connect and ask
    expect(elapsed).toBeLessThan(4000);
    // Not cached: the next lookup asks again.
    await w('silent-u.ac.jp');
    expect(whois.count('silent-u.ac.jp')).toBe(2);
  });

  it('ok: whois.cacheHours 0 turns the cache off', async () => {
    await writeSetting(srv.services.db, 'whois.cacheHours', 0, clock.now());
    const n = whois.count('generic-u.net');
    expect((await upload('generic-u.net')).status).toBe(200);
    expect(whois.count('generic-u.net')).toBe(n + 1);
    await writeSetting(srv.services.db, 'whois.cacheHours', 24, clock.now());
  });

  it('NG hakko tsv check uses the same client: 304 → exit 1', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(srv.dataDir, 'chk-'));
    const f = fileFor('bad-u.ac.jp', 1);
    writeFileSync(path.join(dir, f.name), f.bytes);
    const r = await runCli(srv.env, ['tsv', 'check', path.join(dir, f.name), '--institution', SAMPLE_INSTITUTION.code, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).errors.map((e: { code: string }) => e.code)).toEqual(['304']);
  });
});
