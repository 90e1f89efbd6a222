/** Public calls: health, the institution profile JSON, and the TLS self-check (spec README, spec 06 §API). */
import { z } from 'zod';
import { health, institutionProfile } from '../workflows/public-info.ts';
import { HakkoError } from '../errors.ts';
import { presentedCertificate } from '../http/client-cert.ts';
import { certificateStatus } from '../http/officer-auth.ts';
import { apiRouter, defineRoute } from '../http/openapi.ts';
import type { ProxyPolicy } from '../http/client-ip.ts';
import { Health, InstitutionCodeParam, InstitutionProfile, Whoami } from '../domain/api/public.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

export const publicRouteSpecs = {
  health: defineRoute('public', {
    method: 'get', path: '/health', operationId: 'getHealth', summary: 'Ready: the database and the CA answer (spec README)',
    responses: { 200: json(Health, '`ok` once the database and CA are ready; the HTTPS origin of the dashboard.') },
  }),
  profile: defineRoute('public', {
    method: 'get', path: '/institutions/{code}/profile', operationId: 'getInstitutionProfile', summary: 'An institution\'s profile JSON, which the TSV tool imports (spec 06, fixed)',
    request: { params: InstitutionCodeParam }, responses: { 200: json(InstitutionProfile, 'The registered O, L, ST, mail domains, profiles and methods.') }, errors: ['NOT_FOUND'],
  }),
  whoami: defineRoute('public', {
    method: 'get', path: '/tls/whoami', operationId: 'tlsWhoami', summary: 'Which client certificate this connection presented (spec 06, fixed)',
    description: 'Any client certificate, on PUBLIC_HTTPS_URL: lets a user (and the tests) check that a certificate works for TLS client authentication.',
    responses: { 200: json(Whoami, 'The presented certificate and whether Hakko issued it.') }, errors: ['NO_CERTIFICATE'],
  }),
};

export function publicRoutes(policy: ProxyPolicy, version: string) {
  const app = apiRouter();
  const r = publicRouteSpecs;
  app.openapi(r.health, async (c) => c.json(await health(c.var.services, version), 200));
  app.openapi(r.profile, async (c) => c.json(await institutionProfile(c.var.services, c.req.valid('param').code), 200));
  app.openapi(r.whoami, async (c) => {
    const presented = presentedCertificate(c, policy);
    if (!presented) throw new HakkoError('NO_CERTIFICATE');
    const st = await certificateStatus(c, presented.der);
    return c.json({ subject: st.subject, serial: st.serial, issuedByHakko: st.issuedByHakko, state: st.state }, 200);
  });
  return app;
}
