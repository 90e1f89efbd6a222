/** Officer API (spec 06 §API). Every route is behind client-certificate auth; state changes behind CSRF. */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HakkoError } from '../errors.ts';
import type { AppEnv } from '../http/types.ts';
import { TSV_KINDS, type TsvKind } from '../domain/tsv/index.ts';
import { tooLargeAnswer, uploadBodyLimit, uploadTsv } from '../workflows/upload-tsv.ts';
import { uploadReport } from '../workflows/upload-report.ts';
import { exportInfoFile } from '../workflows/export-info.ts';
import { revokeBySerial } from '../workflows/revoke.ts';
import { cancelRequest, reissueUrls } from '../workflows/reissue.ts';
import type { WhoisAnswer } from '../domain/tsv/index.ts';
import { download, streamOf } from './download.ts';

/** `GET /api/me` */
export function meRoute() {
  const app = new Hono<AppEnv>();
  app.get('/', (c) => {
    const o = c.var.officer;
    return c.json({ name: o.name, email: o.email, role: o.role, institution: o.institution });
  });
  return app;
}

const badRequest = (en: string, ja: string) => new HakkoError('BAD_REQUEST', { text: { en, ja } });

export function officerRoutes(whois?: (domain: string) => Promise<WhoisAnswer>) {
  const app = new Hono<AppEnv>();
  // A body over `upload.maxBytes` (plus the multipart framing) is not read: it answers 216 in the
  // upload answer shape, 422, like a file the validator finds too large (spec 06 §API, spec 02 216).
  const limit: MiddlewareHandler<AppEnv> = async (c, next) => {
    const { maxBytes, maxBody } = await uploadBodyLimit(c.var.services);
    return bodyLimit({ maxSize: maxBody, onError: (c) => c.json(tooLargeAnswer(maxBytes), 422) })(c, next);
  };

  app.post('/uploads', limit, async (c) => {
    let form: Record<string, string | File | (string | File)[]>;
    try {
      form = await c.req.parseBody({ all: true });
    } catch {
      throw badRequest('the body must be multipart/form-data', 'multipart/form-data で送信してください');
    }
    const kind = form.kind;
    const mode = form.mode;
    if (typeof kind !== 'string' || !TSV_KINDS.includes(kind as TsvKind)) throw badRequest('kind must be issue, renew, revoke or admin', 'kind は issue, renew, revoke, admin のいずれかです');
    if (mode !== 'abort' && mode !== 'valid-only') throw badRequest('mode must be abort or valid-only', 'mode は abort か valid-only です');
    if (form.reviewed !== 'true') throw badRequest('reviewed=true is required (review checklist confirmed)', 'reviewed=true が必要です(確認項目のチェック)');
    const lang = form.lang === undefined ? 'ja' : form.lang;
    if (lang !== 'ja' && lang !== 'en') throw badRequest('lang must be ja or en', 'lang は ja か en です');
    const f = form.file;
    const file = f instanceof File ? { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) } : null;
    const answer = await uploadTsv(c.var.services, c.var.officer, { file, kind: kind as TsvKind, mode, lang }, whois);
    return c.json(answer, answer.registered > 0 ? 200 : 422);
  });

  app.get('/uploads/:id/report.tsv', async (c) => {
    const r = await uploadReport(c.var.services, c.var.officer, Number(c.req.param('id')));
    c.header('Content-Type', 'text/tab-separated-values; charset=Shift_JIS');
    c.header('Content-Disposition', `attachment; filename="${r.fileName}"`);
    return c.body(new Uint8Array(r.bytes));
  });

  // The certificate information file (spec 02 §E); `lang` picks the header and texts (default ja).
  app.get('/export.tsv', async (c) => {
    const lang = c.req.query('lang') ?? 'ja';
    if (lang !== 'ja' && lang !== 'en') throw badRequest('lang must be ja or en', 'lang は ja か en です');
    const r = await exportInfoFile(c.var.services, c.var.officer, lang);
    return download(c, r.fileName, 'text/tab-separated-values; charset=Shift_JIS', streamOf(r.chunks));
  });

  app.post('/certificates/:serial/revoke', async (c) => {
    let body: Record<string, unknown>;
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      throw badRequest('the body must be JSON {"reason":…,"comment":…}', 'JSON {"reason":…,"comment":…} で送信してください');
    }
    const r = await revokeBySerial(c.var.services, c.var.officer, c.req.param('serial'), body ?? {});
    return c.json({ serial: r.serial, state: 'revoked', revokedAt: r.revokedAt.toISOString(), reason: r.reason });
  });

  app.post('/requests/:id/reissue', async (c) => c.json(await reissueUrls(c.var.services, c.var.officer, Number(c.req.param('id')))));
  app.post('/requests/:id/cancel', async (c) => c.json(await cancelRequest(c.var.services, c.var.officer, Number(c.req.param('id')))));
  return app;
}
