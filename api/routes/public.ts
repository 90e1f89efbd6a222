/** Public calls: health, the institution profile JSON, and the TLS self-check (spec README, spec 06 §API). */
import { Hono } from 'hono';
import { health, institutionProfile } from '../workflows/public-info.ts';
import { HakkoError } from '../errors.ts';
import { presentedCertificate } from '../http/client-cert.ts';
import { certificateStatus } from '../http/officer-auth.ts';
import type { ProxyPolicy } from '../http/client-ip.ts';
import type { AppEnv } from '../http/types.ts';

export function publicRoutes(policy: ProxyPolicy, version: string) {
  const app = new Hono<AppEnv>();

  app.get('/health', async (c) => c.json(await health(c.var.services, version)));
  app.get('/institutions/:code/profile', async (c) => c.json(await institutionProfile(c.var.services, c.req.param('code'))));

  app.get('/tls/whoami', async (c) => {
    const presented = presentedCertificate(c, policy);
    if (!presented) throw new HakkoError('NO_CERTIFICATE');
    const st = await certificateStatus(c, presented.der);
    return c.json({ subject: st.subject, serial: st.serial, issuedByHakko: st.issuedByHakko, state: st.state });
  });

  return app;
}
