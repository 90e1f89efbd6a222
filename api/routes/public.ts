/** Public calls: health, the institution profile JSON, and the TLS self-check (spec README, spec 06 §API). */
import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import { findInstitutionByCode } from '../../db/repos/institutions.ts';
import { toProfile } from '../domain/institution.ts';
import { HakkoError } from '../errors.ts';
import { presentedCertificate } from '../http/client-cert.ts';
import { certificateStatus } from '../http/officer-auth.ts';
import type { ProxyPolicy } from '../http/client-ip.ts';
import type { AppEnv } from '../http/types.ts';

export function publicRoutes(policy: ProxyPolicy, version: string) {
  const app = new Hono<AppEnv>();

  app.get('/health', async (c) => {
    const s = c.var.services;
    await s.db.execute(sql`select 1`);
    return c.json({
      ok: true,
      version,
      database: s.dbKind,
      publicUrl: s.config.publicUrl,
      publicHttpsUrl: s.config.publicHttpsUrl,
      rootSha256: s.ca.show().root.sha256,
    });
  });

  app.get('/institutions/:code/profile', async (c) => {
    const inst = await findInstitutionByCode(c.var.services.db, c.req.param('code'));
    if (!inst) throw new HakkoError('NOT_FOUND');
    return c.json(toProfile(inst));
  });

  app.get('/tls/whoami', async (c) => {
    const presented = presentedCertificate(c, policy);
    if (!presented) throw new HakkoError('NO_CERTIFICATE');
    const st = await certificateStatus(c, presented.der);
    return c.json({ subject: st.subject, serial: st.serial, issuedByHakko: st.issuedByHakko, state: st.state });
  });

  return app;
}
