/**
 * Issuance that cannot double-issue (spec 03 §CSR rules, STYLE.md practice 3), on PGlite and
 * PostgreSQL: two API processes racing on one request produce one certificate; the same CSR is
 * idempotent; key reuse, the replaced certificate's key, weak keys, bad signatures and closed
 * requests are refused with the fixed codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import { certificates, outbox, requests } from '../../db/schema/index.ts';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { unsealDeep } from '../../api/secrets/sealed.ts';
import { loadConfig } from '../../api/config.ts';
import { silentLogger } from '../../api/log.ts';
import { openServices } from '../../api/runtime/bootstrap.ts';
import { issueCertificate } from '../../api/workflows/issue-certificate.ts';
import { retrievePins } from '../../api/workflows/retrieve-pin.ts';
import { uploadTsv } from '../../api/workflows/upload-tsv.ts';
import { cancelRequest } from '../../api/workflows/reissue.ts';
import type { Services } from '../../api/services.ts';
import { backends } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addTestInstitution, authenticatedOfficer, enrollTestOfficer } from '../helpers/officer.ts';
import { keyAndCsr } from '../helpers/pickup-client.ts';
import type { AuthenticatedOfficer } from '../../api/domain/officer.ts';

let seq = 0;
function row(cn: string, serial = ''): string[] {
  return [`CN=${cn},O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP`, '5', '3', serial, '', '', '', '管理 花子', '情報基盤センター', 'admin@sample.ac.jp', '利用 者', '', '', `${cn.toLowerCase()}@sample.ac.jp`, ''];
}

describe.each(await backends())('issuance on $name', (backend) => {
  let srv: TestServer;
  let s: Services;
  let officer: AuthenticatedOfficer;

  /** Uploads one request and retrieves its PIN: the request is `ready`. */
  async function readyRequest(kind: 'issue' | 'renew' = 'issue', serial = ''): Promise<number> {
    const cn = `Person${++seq}x${backend.name}`;
    const up = await uploadTsv(s, officer, { file: { name: 'r.tsv', bytes: encodeTsv([row(kind === 'renew' ? renewCn : cn, serial)]) }, kind, mode: 'abort', lang: 'en' });
    expect(up.registered, JSON.stringify(up.rows)).toBe(1);
    const id = Number(up.rows[0]!.requestId);
    const [mail] = await s.db.select().from(outbox).where(eq(outbox.requestId, id)).orderBy(asc(outbox.id));
    const pinUrl = (unsealDeep(s.keys.pinEnc, mail!.data) as { pinUrl: string }).pinUrl;
    await retrievePins(s, pinUrl.split('/').pop()!, '127.0.0.1');
    return id;
  }
  let renewCn = '';

  beforeAll(async () => {
    srv = await startTestServer({ backend });
    s = srv.services;
    await addTestInstitution(srv);
    officer = await authenticatedOfficer(srv, await enrollTestOfficer(srv, 'sample-u'));
  });
  afterAll(async () => {
    await srv?.dispose();
  });

  it('ok: the same CSR twice returns the same certificate (idempotent pickup)', async () => {
    const id = await readyRequest();
    const k = await keyAndCsr();
    const a = await issueCertificate(s, id, k.csrPem, 'test');
    const b = await issueCertificate(s, id, k.csrPem, 'test');
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(Buffer.from(b.certificate.der!).equals(Buffer.from(a.certificate.der!))).toBe(true);
  });

  it('NG another key for an issued request → ALREADY_ISSUED', async () => {
    const id = await readyRequest();
    await issueCertificate(s, id, (await keyAndCsr()).csrPem, 'test');
    await expect(issueCertificate(s, id, (await keyAndCsr()).csrPem, 'test')).rejects.toMatchObject({ code: 'ALREADY_ISSUED' });
  });

  it('NG a key already certified for another request → KEY_REUSED', async () => {
    const k = await keyAndCsr();
    await issueCertificate(s, await readyRequest(), k.csrPem, 'test');
    const other = await readyRequest();
    await expect(issueCertificate(s, other, k.csrPem, 'test')).rejects.toMatchObject({ code: 'KEY_REUSED' });
    const [r] = await s.db.select().from(requests).where(eq(requests.id, other));
    expect(r!.state).toBe('ready');
  });

  it('NG renewal with the replaced certificate\'s key → KEY_SAME_AS_REPLACED; a new key works', async () => {
    const first = await readyRequest();
    renewCn = (await s.db.select().from(requests).where(eq(requests.id, first)))[0]!.dn.split(',')[0]!.slice(3);
    const k = await keyAndCsr();
    const old = await issueCertificate(s, first, k.csrPem, 'test');
    const renewal = await readyRequest('renew', old.certificate.serial);
    await expect(issueCertificate(s, renewal, k.csrPem, 'test')).rejects.toMatchObject({ code: 'KEY_SAME_AS_REPLACED' });
    const fresh = await issueCertificate(s, renewal, (await keyAndCsr()).csrPem, 'test');
    expect(fresh.certificate.renewalOf).toBe(old.certificate.serial);
    const [o] = await s.db.select().from(certificates).where(eq(certificates.serial, old.certificate.serial));
    expect(o!.renewedBy).toBe(fresh.certificate.serial);
  });

  it('NG weak keys, a tampered CSR and garbage → KEY_UNSUPPORTED / CSR_SIGNATURE / CSR_MALFORMED', async () => {
    const id = await readyRequest();
    const weak = await keyAndCsr('CN=x', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 1024 } as RsaHashedKeyGenParams);
    await expect(issueCertificate(s, id, weak.csrPem, 'test')).rejects.toMatchObject({ code: 'KEY_UNSUPPORTED' });
    const p521 = await keyAndCsr('CN=x', { name: 'ECDSA', namedCurve: 'P-521' });
    await expect(issueCertificate(s, id, p521.csrPem, 'test')).rejects.toMatchObject({ code: 'KEY_UNSUPPORTED' });
    const good = await keyAndCsr('CN=tamper-me');
    const der = Buffer.from(good.csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const at = der.indexOf(Buffer.from('tamper-me'));
    der[at] = der[at]! ^ 0x01;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    await expect(issueCertificate(s, id, tampered, 'test')).rejects.toMatchObject({ code: 'CSR_SIGNATURE' });
    await expect(issueCertificate(s, id, 'not a csr', 'test')).rejects.toMatchObject({ code: 'CSR_MALFORMED' });
    const [r] = await s.db.select().from(requests).where(eq(requests.id, id));
    expect(r!.state).toBe('ready');
  });

  it('NG a CSR for a cancelled request → CANCELLED, nothing issued', async () => {
    const id = await readyRequest();
    await cancelRequest(s, officer, id);
    await expect(issueCertificate(s, id, (await keyAndCsr()).csrPem, 'test')).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await s.db.select().from(certificates).where(eq(certificates.requestId, id))).toHaveLength(0);
  });

  it('ok: two processes racing on one request produce one certificate', async () => {
    // A second process: its own services on the same database (PostgreSQL), or the same PGlite.
    const second = backend.name === 'postgres' ? await openServices(loadConfig(srv.env), silentLogger) : null;
    const s2 = second?.services ?? s;
    try {
      for (let round = 0; round < 3; round++) {
        const id = await readyRequest();
        const same = await keyAndCsr();
        const results = await Promise.allSettled([issueCertificate(s, id, same.csrPem, 'p1'), issueCertificate(s2, id, same.csrPem, 'p2'), issueCertificate(s, id, same.csrPem, 'p1')]);
        const ok = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof issueCertificate>>>).value);
        expect(ok.length).toBeGreaterThanOrEqual(1);
        expect(new Set(ok.map((o) => o.certificate.serial)).size).toBe(1);
        for (const r of results) if (r.status === 'rejected') expect((r.reason as { code?: string }).code).toBe('CONFLICT');
        const rows = await s.db.select().from(certificates).where(eq(certificates.requestId, id));
        expect(rows).toHaveLength(1);
        expect(rows[0]!.state).toBe('issued');
        const other = await readyRequest();
        const race = await Promise.allSettled([issueCertificate(s, other, (await keyAndCsr()).csrPem, 'p1'), issueCertificate(s2, other, (await keyAndCsr()).csrPem, 'p2')]);
        expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect((race.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.code).toMatch(/ALREADY_ISSUED|CONFLICT/);
        expect(await s.db.select().from(certificates).where(eq(certificates.requestId, other))).toHaveLength(1);
      }
      const dup = await s.db.execute(sql`select serial, count(*) from certificates group by serial having count(*) > 1`);
      expect((((dup as unknown as { rows?: unknown[] }).rows ?? dup) as unknown[]).length).toBe(0);
    } finally {
      await second?.close();
    }
  });
});
