/**
 * `GET /api/openapi.json` (spec 06 §API): the OpenAPI 3.1 document of every `/api` route, generated
 * from the schemas that validate them (api/http/openapi.ts) once, on the first request. The human
 * reference page is the web app's `/docs/api`, which renders this document.
 */
import { z } from 'zod';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { apiRouter, defineRoute } from '../http/openapi.ts';
import type { AppEnv } from '../http/types.ts';
import type { Config } from '../config.ts';

export const openApiRoute = defineRoute('public', {
  method: 'get', path: '/openapi.json', operationId: 'getOpenApiDocument', summary: 'This document',
  responses: { 200: { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } } } },
});

const DESCRIPTION = [
  'The HTTP API of Hakko (発行): the fixed calls of spec 04 (PIN and pickup URLs) and spec 06 (officers), and the officer dashboard\'s calls.',
  '',
  '- Officer calls authenticate by client certificate on PUBLIC_HTTPS_URL (`clientCertificate`); state-changing ones also need `X-Hakko-Request: 1` (`csrfHeader`).',
  '- An officer sees their own institution only: objects of another institution are 404, exactly like objects that do not exist.',
  '- Errors are `{"code":"UPPER_SNAKE","message":{"ja":"…","en":"…"}}`; a request that does not fit its schema is 400 `BAD_REQUEST` with `issues`.',
  '- Times are ISO 8601 UTC, serials decimal strings, ids strings. Every answer carries `Cache-Control: no-store`.',
].join('\n');

/** The document of `api` (the router mounted at /api), built once. */
export function openApiDocument(api: OpenAPIHono<AppEnv>, config: Pick<Config, 'publicUrl' | 'publicHttpsUrl'>, version: string) {
  let doc: unknown = null;
  return () => (doc ??= api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Hakko API', version, description: DESCRIPTION },
    servers: [
      { url: config.publicHttpsUrl, description: 'HTTPS listener (officer calls with the client certificate)' },
      { url: config.publicUrl, description: 'PIN and pickup pages, public calls' },
    ],
    tags: [
      { name: 'Public', description: 'No authentication.' },
      { name: 'PIN and pickup', description: 'Authenticated by the one-time token in the URL (spec 04); rate-limited per address.' },
      { name: 'Officer', description: 'Registration officers (spec 06): client certificate; own institution only.' },
    ],
  }));
}

export function openApiRoutes(document: () => unknown) {
  const app = apiRouter();
  app.openapi(openApiRoute, (c) => c.json(document() as { openapi: string }, 200));
  return app;
}
