/** PIN URL and pickup URL API (spec 04 §HTTP API, the fixed table). Token-authenticated, no CSRF header. */
import { Hono, type Context } from 'hono';
import { HakkoError } from '../errors.ts';
import { rateLimit } from '../http/rate-limit.ts';
import type { AppEnv } from '../http/types.ts';
import { pinInfo, retrievePins } from '../workflows/retrieve-pin.ts';
import { bulkPins, confirmPickup, pickupInfo, verifyPin } from '../workflows/pickup.ts';
import { submitCsrs } from '../workflows/pickup-csr.ts';

export interface PickupRouteOptions {
  /** Requests per minute and address: reads and PIN attempts (tests may raise them). */
  readonly readsPerMinute?: number;
  readonly attemptsPerMinute?: number;
}

async function jsonBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  try {
    const b = await c.req.json();
    if (b && typeof b === 'object' && !Array.isArray(b)) return b as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new HakkoError('BAD_REQUEST');
}

export function pickupRoutes(opts: PickupRouteOptions = {}) {
  const reads = rateLimit('token-read', { limit: opts.readsPerMinute ?? 120, windowMs: 60_000 });
  const attempts = rateLimit('pin-attempt', { limit: opts.attemptsPerMinute ?? 20, windowMs: 60_000 });
  const app = new Hono<AppEnv>();

  app.get('/pin/:token', reads, async (c) => c.json(await pinInfo(c.var.services, c.req.param('token'))));
  app.post('/pin/:token/retrieve', attempts, async (c) => c.json(await retrievePins(c.var.services, c.req.param('token'), c.var.clientIp)));

  app.get('/pickup/:token', reads, async (c) => c.json(await pickupInfo(c.var.services, c.req.param('token'))));
  app.post('/pickup/:token/verify', attempts, async (c) => {
    await verifyPin(c.var.services, c.req.param('token'), (await jsonBody(c)).pin);
    return c.body(null, 204);
  });
  app.post('/pickup/:token/csr', attempts, async (c) => {
    const out = await submitCsrs(c.var.services, c.req.param('token'), await jsonBody(c));
    return c.json(out.body, out.status);
  });
  app.post('/pickup/:token/pins', attempts, async (c) => {
    await jsonBody(c);
    return c.json(await bulkPins(c.var.services, c.req.param('token')));
  });
  app.post('/pickup/:token/confirm', attempts, async (c) => {
    await confirmPickup(c.var.services, c.req.param('token'), (await jsonBody(c)).pin);
    return c.body(null, 204);
  });
  return app;
}
