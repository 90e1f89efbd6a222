/**
 * No PIN or token in the log (issue 9 defect 3, spec 08 §Security), on PGlite and PostgreSQL: a whole
 * lifecycle against a real server logging at debug level into memory — an officer enrolled, uploads
 * of methods 1 and 2, PIN URLs, wrong PINs, pickups, a re-issue, a revocation — and, on token routes,
 * provoked 500s (a request whose escrowed PIN is missing) and 503s (the database unreachable). Then
 * every PIN and token used is looked for in the complete log: none may appear, while the 500 and 503
 * lines are there, with the route instead of the token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { backends } from '../helpers/db.ts';
import { keyAndCsr, pickUp } from '../helpers/pickup-client.ts';
import { officerRequest } from '../helpers/officer.ts';
import { runCli } from '../helpers/server.ts';
import { freshIp, freshPerson, isMail, linksIn, mailbox, pickupApi, requestTsv, startWorld, SUBJECTS, uploadRows, type World } from '../helpers/world.ts';

describe.each(await backends())('the log on $name', (backend) => {
  let w: World;
  let inbox: ReturnType<typeof mailbox>;
  const secrets = new Set<string>();

  /** Runs `f` while every database call fails as if PostgreSQL were down (ECONNREFUSED). */
  async function withDatabaseDown<T>(f: () => Promise<T>): Promise<T> {
    const s = w.srv.services as { db: Db };
    const real = s.db;
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    s.db = new Proxy(real, { get: () => { throw down; } });
    try {
      return await f();
    } finally {
      s.db = real;
    }
  }

  const links = async (subject: string, to: string) => {
    const [m] = await inbox.take(isMail(subject, to));
    const l = linksIn(m!.text);
    for (const t of [...l.pin, ...l.pickup]) secrets.add(t);
    return l;
  };

  beforeAll(async () => {
    w = await startWorld(backend);
    inbox = mailbox(w.smtp);
  });
  afterAll(async () => {
    await w?.dispose();
  });

  it('ok a whole lifecycle with provoked 500s and 503s on token routes leaves no PIN or token in the log', async () => {
    const api = pickupApi(w.srv.httpUrl, freshIp());
    // An officer enrolled: its link and PIN.
    const e = await runCli(w.srv.env, ['officer', 'enroll', '--institution', 'sample-u', '--name', '記録 担当', '--email', 'log-officer@sample.ac.jp', '--json']);
    const enrollment = JSON.parse(e.stdout) as { url: string; pin: string };
    secrets.add(enrollment.pin).add(enrollment.url.split('/').pop()!);
    await pickUp(w.srv.httpUrl, enrollment.url, enrollment.pin, 'CN=ignored');

    // Method 1: PIN URL, a wrong PIN, pickup, confirm, revoke.
    const admin = freshPerson('admin');
    const one = freshPerson();
    const up1 = await uploadRows(w, 'issue', requestTsv([{ cn: one.cn, method: 1, admin, user: one }]));
    expect(up1.status, up1.text).toBe(200);
    const pin1 = (await links(SUBJECTS.pinNotice, admin.mail)).pin[0]!;
    const pickup1 = (await links(SUBJECTS.pickupNotice, one.mail)).pickup[0]!;
    const pin = (await api.retrieve(pin1)).json.pins[0].pin as string;
    secrets.add(pin);
    expect((await api.verify(pickup1, 'WRONGPIN0000000x')).status).toBe(401);
    const k = await keyAndCsr();
    const issued = await api.csr(pickup1, { pin, csr: k.csrPem });
    expect(issued.status).toBe(201);
    expect((await api.confirm(pickup1, { pin })).status).toBe(204);
    const revoked = await officerRequest(w.srv, w.officer, 'POST', `/api/officer/certificates/${issued.json.certificates[0].serial}/revoke`, { bytes: new TextEncoder().encode('{"reason":1}'), contentType: 'application/json' });
    expect(revoked.status, revoked.text).toBe(200);

    // Method 2: a group with a supplied PIN, then a re-issue.
    const admin2 = freshPerson('admin');
    const users = [freshPerson(), freshPerson()];
    const up2 = await uploadRows(w, 'issue', requestTsv(users.map((u, i) => ({ cn: u.cn, method: 2 as const, admin: admin2, user: u, p12FileName: `f${i}`, ...(i === 0 ? { pin: 'Supplied-Pin-2026' } : {}) }))));
    expect(up2.status, up2.text).toBe(200);
    secrets.add('Supplied-Pin-2026');
    const ids = up2.json().rows.map((r: { requestId: string }) => r.requestId) as string[];
    await links(SUBJECTS.pinNotice, 'ra-officer@sample.ac.jp');
    await links(SUBJECTS.pickupNotice, admin2.mail);
    expect((await officerRequest(w.srv, w.officer, 'POST', `/api/officer/requests/${ids[0]}/reissue`)).status).toBe(200);
    const pin2 = (await links(SUBJECTS.pinNotice, 'ra-officer@sample.ac.jp')).pin[0]!;
    const pickup2 = (await links(SUBJECTS.pickupNotice, admin2.mail)).pickup[0]!;
    for (const p of (await api.retrieve(pin2)).json.pins) secrets.add(p.pin);
    expect((await api.pins(pickup2)).status).toBe(200);

    // Provoked 500s on token routes: the escrowed PINs are gone (as if erased under the request's feet).
    await w.srv.services.db.execute(sql`update requests set pin_enc = null where id = ${Number(ids[1])}`);
    expect((await api.pins(pickup2)).status).toBe(500);
    const three = freshPerson();
    expect((await uploadRows(w, 'issue', requestTsv([{ cn: three.cn, method: 1, admin, user: three }]))).status).toBe(200);
    const pin3 = (await links(SUBJECTS.pinNotice, admin.mail)).pin[0]!;
    const pickup3 = (await links(SUBJECTS.pickupNotice, three.mail)).pickup[0]!;
    await w.srv.services.db.execute(sql`update requests set pin_enc = null where user_mail = ${three.mail}`);
    expect((await api.retrieve(pin3)).status).toBe(500);

    // Provoked 503s on token routes: the database unreachable.
    await withDatabaseDown(async () => {
      expect((await api.pinInfo(pin3)).status).toBe(503);
      expect((await api.info(pickup3)).status).toBe(503);
      expect((await api.verify(pickup3, 'WRONGPIN0000000x')).status).toBe(503);
      expect((await api.pins(pickup2)).status).toBe(503);
    });
    expect((await api.info('A'.repeat(43))).status).toBe(404);

    const log = w.logLines.join('\n');
    expect(log).toMatch(/unhandled error \{"path":"\/api\/pickup\/:token\/pins"/);
    expect(log).toMatch(/unhandled error \{"path":"\/api\/pin\/:token\/retrieve"/);
    expect(log).toMatch(/database unavailable \{"path":"\/api\/pickup\/:token"/);
    expect(log).toMatch(/database unavailable \{"path":"\/api\/pin\/:token"/);
    expect(secrets.size).toBeGreaterThan(10);
    for (const secret of secrets) expect(log.includes(secret), `the log shows ${secret.length === 43 ? 'a token' : 'a PIN'}`).toBe(false);
  });
});
