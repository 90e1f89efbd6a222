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
import { jsonBodyLimit } from './http/body-limit.ts';
import { mailboxAccess } from './http/mailbox-access.ts';
import { createLoginLog } from './workflows/officer-auth.ts';
import { csrf } from './http/csrf.ts';
import { hstsApplies, pageCsp, securityHeaders } from './http/security-headers.ts';
import { webApp } from './http/web.ts';
import { apiRouter, registerSecuritySchemes } from './http/openapi.ts';
import { officerViews } from './routes/officer-views.ts';
import { officerInsights } from './routes/officer-insights.ts';
import { operatorRoutes } from './routes/operator.ts';
import { openApiDocument, openApiRoutes } from './routes/openapi-doc.ts';
import { publicRoutes } from './routes/public.ts';
import { meRoute, officerRoutes } from './routes/officer.ts';
import { mailboxRoutes } from './routes/mailbox.ts';
import { pickupRoutes, type PickupRouteOptions } from './routes/pickup.ts';
import { pkiRoutes } from './routes/pki.ts';
import { createOcspService, type OcspService } from './workflows/ocsp.ts';

/**
 * Body limits of the JSON API (api/http/body-limit.ts): 64 KiB, a bulk pickup's CSRs (≤ 1,000 per
 * call) 8 MiB; TSV uploads check `upload.maxBytes` themselves (216 in the upload answer).
 */
const BODY_LIMITS = {
  maxBytes: 64 * 1024,
  larger: [{ path: /^\/api\/pickup\/[^/]+\/csr$/, maxBytes: 8 * 1024 * 1024 }],
  ownLimit: [/^\/api\/officer\/uploads$/],
};

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
  api.use('*', jsonBodyLimit(BODY_LIMITS));
  api.route('/', publicRoutes(policy, opts.version));
  api.route('/', openApiRoutes(openApiDocument(api, config, opts.version)));
  api.route('/', pickupRoutes(opts.pickup));
  // One login record per officer, certificate and day, whichever route the officer reaches first.
  const logins = createLoginLog();
  const officerAuth = requireOfficer(policy, ['officer', 'operator'], logins);
  const operatorAuth = requireOfficer(policy, ['operator'], logins);
  const origins = [config.publicUrl, config.publicHttpsUrl];
  api.use('/me', officerAuth);
  api.use('/officer/*', officerAuth, csrf(origins));
  api.use('/operator/*', operatorAuth, csrf(origins));
  api.route('/me', meRoute());
  api.route('/officer', officerRoutes(opts.whois));
  api.route('/officer', officerViews());
  api.route('/officer', officerInsights());
  api.route('/operator', operatorRoutes());
  api.all('*', notFoundJson);
  app.route('/', api);
  app.use('/dev/mailbox/*', mailboxAccess({ publicUrl: config.publicUrl, policy, operatorOnly: operatorAuth }));
  app.route('/dev/mailbox', mailboxRoutes());
  app.route('/pki', pkiRoutes(opts.ocsp ?? createOcspService(services)));

  if (opts.webRoot) app.use('*', webApp(opts.webRoot));
  return app;
}
