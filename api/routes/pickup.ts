/** PIN URL and pickup URL API (spec 04 §HTTP API, the fixed table). Token-authenticated, no CSRF header. */
import { z } from 'zod';
import { rateLimit } from '../http/rate-limit.ts';
import { apiRouter, defineRoute } from '../http/openapi.ts';
import { BulkPins, CsrAnswer, CsrBody, PickupInfo, PinBody, PinInfo, RetrievedPins, TokenParam } from '../domain/api/pickup.ts';
import { pinInfo, retrievePins } from '../workflows/retrieve-pin.ts';
import { bulkPins, confirmPickup, pickupInfo, verifyPin } from '../workflows/pickup.ts';
import { submitCsrs } from '../workflows/pickup-csr.ts';

export interface PickupRouteOptions {
  /** Requests per minute and address: reads and PIN attempts (tests may raise them). */
  readonly readsPerMinute?: number;
  readonly attemptsPerMinute?: number;
}

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const GONE = ['NOT_FOUND', 'EXPIRED', 'CANCELLED', 'REISSUED'] as const;

export const pickupRouteSpecs = {
  pinInfo: defineRoute('pickup', {
    method: 'get', path: '/pin/{token}', operationId: 'getPinUrl', summary: 'What a PIN URL is for, before it reveals the PIN',
    request: { params: TokenParam }, responses: { 200: json(PinInfo, 'The rows whose PINs the URL reveals.') }, errors: [...GONE, 'ALREADY_USED'],
  }),
  retrieve: defineRoute('pickup', {
    method: 'post', path: '/pin/{token}/retrieve', operationId: 'retrievePins', summary: 'Reveal the access PIN(s), once',
    request: { params: TokenParam }, responses: { 200: json(RetrievedPins, 'The PINs; the URL is used up.') }, errors: [...GONE, 'ALREADY_USED'],
  }),
  pickupInfo: defineRoute('pickup', {
    method: 'get', path: '/pickup/{token}', operationId: 'getPickupUrl', summary: 'What a pickup URL will issue',
    request: { params: TokenParam }, responses: { 200: json(PickupInfo, 'The request(s) of the URL.') }, errors: [...GONE, 'PIN_NOT_RETRIEVED', 'LOCKED', 'COMPLETED'],
  }),
  verify: defineRoute('pickup', {
    method: 'post', path: '/pickup/{token}/verify', operationId: 'verifyPin', summary: 'Check the access PIN (methods 1, 3)',
    description: 'A wrong PIN answers 401 WRONG_PIN with `attemptsLeft`; the 5th locks the URL (423 LOCKED).',
    request: { params: TokenParam, body: body(PinBody) }, responses: { 204: { description: 'The PIN is right.' } },
    errors: [...GONE, 'WRONG_PIN', 'PIN_NOT_RETRIEVED', 'LOCKED', 'COMPLETED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
  }),
  csr: defineRoute('pickup', {
    method: 'post', path: '/pickup/{token}/csr', operationId: 'submitCsr', summary: 'Have the CSR(s) signed',
    description: '`{pin, csr}` (methods 1, 3) or `{csrs:[{id, csr}]}` (method 2, a report per row). The same CSR again: 200 with the same certificate.',
    request: { params: TokenParam, body: body(CsrBody) },
    responses: { 201: json(CsrAnswer, 'Issued.'), 200: json(CsrAnswer, 'Already issued for this CSR.'), 422: json(CsrAnswer, 'Method 2: none of the rows was issued (their errors listed).') },
    errors: [...GONE, 'WRONG_PIN', 'PIN_NOT_RETRIEVED', 'LOCKED', 'COMPLETED', 'ALREADY_ISSUED', 'CSR_MALFORMED', 'CSR_SIGNATURE', 'KEY_UNSUPPORTED', 'KEY_REUSED', 'KEY_SAME_AS_REPLACED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
  }),
  pins: defineRoute('pickup', {
    method: 'post', path: '/pickup/{token}/pins', operationId: 'bulkPins', summary: 'The PINs of a bulk pickup, to encrypt each P12 (method 2)',
    request: { params: TokenParam, body: body(z.looseObject({}).meta({ id: 'EmptyBody' })) }, responses: { 200: json(BulkPins, 'One PIN per row.') },
    errors: [...GONE, 'PIN_NOT_RETRIEVED', 'LOCKED', 'COMPLETED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
  }),
  confirm: defineRoute('pickup', {
    method: 'post', path: '/pickup/{token}/confirm', operationId: 'confirmPickup', summary: 'The file was saved: close the URL, queue the pickup notice',
    request: { params: TokenParam, body: body(PinBody) }, responses: { 204: { description: 'Confirmed.' } },
    errors: [...GONE, 'WRONG_PIN', 'NOT_ISSUED', 'LOCKED', 'COMPLETED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
  }),
};

export function pickupRoutes(opts: PickupRouteOptions = {}) {
  const reads = rateLimit('token-read', { limit: opts.readsPerMinute ?? 120, windowMs: 60_000 });
  const attempts = rateLimit('pin-attempt', { limit: opts.attemptsPerMinute ?? 20, windowMs: 60_000 });
  const app = apiRouter();
  // Rate limits first (spec 08 §Security: per address), before anything is read.
  app.use('/pin/:token', reads);
  app.use('/pin/:token/retrieve', attempts);
  app.use('/pickup/:token', reads);
  // `/:action`, not `/*`: Hono's `/*` also matches `/pickup/:token` itself, which made every read of
  // a pickup URL count as a PIN attempt (20 a minute instead of 120; tests/security/limits.test.ts).
  app.use('/pickup/:token/:action', attempts);
  const r = pickupRouteSpecs;

  app.openapi(r.pinInfo, async (c) => c.json(await pinInfo(c.var.services, c.req.valid('param').token), 200));
  app.openapi(r.retrieve, async (c) => c.json(await retrievePins(c.var.services, c.req.valid('param').token, c.var.clientIp), 200));
  app.openapi(r.pickupInfo, async (c) => c.json(await pickupInfo(c.var.services, c.req.valid('param').token), 200));
  app.openapi(r.verify, async (c) => {
    await verifyPin(c.var.services, c.req.valid('param').token, c.req.valid('json').pin);
    return c.body(null, 204);
  });
  app.openapi(r.csr, async (c) => {
    const out = await submitCsrs(c.var.services, c.req.valid('param').token, c.req.valid('json'));
    return c.json(out.body, out.status);
  });
  app.openapi(r.pins, async (c) => c.json(await bulkPins(c.var.services, c.req.valid('param').token), 200));
  app.openapi(r.confirm, async (c) => {
    await confirmPickup(c.var.services, c.req.valid('param').token, c.req.valid('json').pin);
    return c.body(null, 204);
  });
  return app;
}
