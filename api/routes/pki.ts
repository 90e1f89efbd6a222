/**
 * /pki — issuer certificates (AIA), CRLs and OCSP (spec 03 §Revocation status). Plain HTTP is what
 * CRL and OCSP fetchers expect; nothing here is secret.
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../http/types.ts';
import { currentCrl } from '../workflows/publish-crl.ts';
import type { OcspAnswer, OcspService } from '../workflows/ocsp.ts';
import { HakkoError } from '../errors.ts';
import { fromPem, toPem } from '../pki/pem.ts';

/** ETag of a response (RFC 5019 §6.2: e.g. its SHA-1); cached per response object, as the pre-signed ones are reused. */
const etags = new WeakMap<Uint8Array, string>();
function etagOf(der: Uint8Array): string {
  let tag = etags.get(der);
  if (!tag) etags.set(der, (tag = `"${createHash('sha1').update(der).digest('hex')}"`));
  return tag;
}

/**
 * RFC 5019 §6.2 caching headers for a pre-signed (nonce-less, one certificate) response, fresh until
 * its nextUpdate — the same bytes for every client, by GET or POST (a POST answer is not reused by
 * HTTP caches anyway: no Content-Location, RFC 9110 §9.3.3). Anything else — a nonce'd answer,
 * several certificates, an error — is for this client only: `no-store`, no validators.
 */
function ocspReply(c: Context<AppEnv>, a: OcspAnswer) {
  c.header('Content-Type', 'application/ocsp-response');
  if (a.cacheable && a.nextUpdate && a.thisUpdate) {
    const maxAge = Math.max(0, Math.floor((a.nextUpdate.getTime() - c.var.services.clock.now().getTime()) / 1000));
    c.header('Cache-Control', `public, max-age=${maxAge}, no-transform, must-revalidate`);
    c.header('Last-Modified', a.thisUpdate.toUTCString());
    c.header('Expires', a.nextUpdate.toUTCString());
    c.header('ETag', etagOf(a.der));
  } else c.header('Cache-Control', 'no-store');
  return c.body(new Uint8Array(a.der));
}

export function pkiRoutes(ocsp: OcspService) {
  const app = new Hono<AppEnv>();
  app.get('/ca/:name{(root|issuing)\\.(crt|pem)}', (c) => {
    const [name, ext] = c.req.param('name').split('.') as ['root' | 'issuing', 'crt' | 'pem'];
    const info = c.var.services.ca.show()[name];
    c.header('Cache-Control', 'public, max-age=3600');
    if (ext === 'pem') {
      c.header('Content-Type', 'application/x-pem-file');
      return c.body(info.pem);
    }
    c.header('Content-Type', 'application/pkix-cert');
    return c.body(fromPem(info.pem, ['CERTIFICATE'])!);
  });
  app.get('/crl/:name{(root|issuing)\\.(crl|pem)}', async (c) => {
    const [name, ext] = c.req.param('name').split('.') as ['root' | 'issuing', 'crl' | 'pem'];
    const crl = await currentCrl(c.var.services, name);
    if (!crl) throw new HakkoError('NOT_FOUND');
    c.header('Cache-Control', 'public, max-age=60');
    c.header('Last-Modified', crl.thisUpdate.toUTCString());
    if (ext === 'pem') {
      c.header('Content-Type', 'application/x-pem-file');
      return c.body(toPem(crl.der, 'X509 CRL'));
    }
    c.header('Content-Type', 'application/pkix-crl');
    return c.body(new Uint8Array(crl.der));
  });
  const limit = bodyLimit({ maxSize: 64 * 1024, onError: () => { throw new HakkoError('PAYLOAD_TOO_LARGE'); } });
  app.post('/ocsp', limit, async (c) => ocspReply(c, await ocsp.respond(new Uint8Array(await c.req.arrayBuffer()))));
  app.get('/ocsp/:req{.+}', async (c) => ocspReply(c, await ocsp.respondGet(c.req.path.slice('/pki/ocsp/'.length))));
  return app;
}
