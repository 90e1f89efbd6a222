/**
 * Builds the Hono app from its dependencies (no globals, STYLE.md): API under /api, PKI under /pki,
 * the built PWA with SPA fallback for everything else.
 */
import { Hono } from 'hono';
import type { Services } from './services.ts';
import type { WhoisAnswer } from './domain/tsv/index.ts';
import type { AppEnv } from './http/types.ts';
import { onError, notFoundJson } from './http/error-handler.ts';
import { clientIp, proxyPolicy } from './http/client-ip.ts';
import { requireOfficer } from './http/officer-auth.ts';
import { csrf } from './http/csrf.ts';
import { hstsApplies, pageCsp, securityHeaders } from './http/security-headers.ts';
import { webApp } from './http/web.ts';
import { apiRouter, registerSecuritySchemes } from './http/openapi.ts';
import { officerViews } from './routes/officer-views.ts';
import { openApiDocument, openApiRoutes } from './routes/openapi-doc.ts';
import { publicRoutes } from './routes/public.ts';
import { meRoute, officerRoutes } from './routes/officer.ts';
import { mailboxRoutes } from './routes/mailbox.ts';
import { pickupRoutes, type PickupRouteOptions } from './routes/pickup.ts';
import { pkiRoutes } from './routes/pki.ts';
import { createOcspService, type OcspService } from './workflows/ocsp.ts';

export interface AppOptions {
  /** Folder of the built web app (`build/`), or null to serve the API only. */
  readonly webRoot: string | null;
  readonly version: string;
  readonly pickup?: PickupRouteOptions;
  /** WHOIS lookup for the upload checks (303/304); absent: the check is off. */
  readonly whois?: (domain: string) => Promise<WhoisAnswer>;
  /** The OCSP service (shared with the revocation signal); created here when absent. */
  readonly ocsp?: OcspService;
}

export function createApp(services: Services, opts: AppOptions): Hono<AppEnv> {
  const { config, log } = services;
  const policy = proxyPolicy(config.trustedProxies);
  const app = new Hono<AppEnv>();
  app.onError(onError(log));
  app.use('*', securityHeaders({ csp: pageCsp(opts.webRoot), hsts: hstsApplies(config.publicUrl, config.publicHttpsUrl) }));
  app.use('*', async (c, next) => {
    c.set('services', services);
    await next();
  });
  app.use('*', clientIp(policy));

  // Every /api route is declared with its schemas (api/http/openapi.ts) and lands in /api/openapi.json.
  const api = apiRouter().basePath('/api');
  registerSecuritySchemes(api);
  api.route('/', publicRoutes(policy, opts.version));
  api.route('/', openApiRoutes(openApiDocument(api, config, opts.version)));
  api.route('/', pickupRoutes(opts.pickup));
  const officerAuth = requireOfficer(policy);
  const origins = [config.publicUrl, config.publicHttpsUrl];
  api.use('/me', officerAuth);
  api.use('/officer/*', officerAuth, csrf(origins));
  api.use('/operator/*', requireOfficer(policy, ['operator']), csrf(origins));
  api.route('/me', meRoute());
  api.route('/officer', officerRoutes(opts.whois));
  api.route('/officer', officerViews());
  api.all('*', notFoundJson);
  app.route('/', api);
  app.route('/dev/mailbox', mailboxRoutes(policy));
  app.route('/pki', pkiRoutes(opts.ocsp ?? createOcspService(services)));

  if (opts.webRoot) app.use('*', webApp(opts.webRoot));
  return app;
}
