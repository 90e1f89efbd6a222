/**
 * `/dev/mailbox` — the built-in mailbox (spec 05 §Delivery). It holds live PIN and pickup URLs: who
 * may read it is decided before these routes, by api/http/mailbox-access.ts.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../http/types.ts';
import { mailboxList, mailboxMessage } from '../workflows/mailbox.ts';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function mailboxRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const list = await mailboxList(c.var.services);
    const rows = list
      .map((m) => `<tr><td>${esc(m.createdAt.toISOString().replace('T', ' ').slice(0, 19))}</td><td>${esc(m.recipients.join(', '))}</td><td><a href="/dev/mailbox/${m.id}">${esc(m.subject)}</a></td><td><a href="/dev/mailbox/${m.id}.eml" download>.eml</a></td></tr>`)
      .join('');
    return c.html(`<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>メールボックス / Mailbox — Hakko</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1c2430}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d8dee6;padding:.4rem .5rem;text-align:left;vertical-align:top}th{background:#f2f5f8}pre{white-space:pre-wrap;background:#f6f8fa;padding:1rem;border-radius:6px}</style></head>
<body><h1>メールボックス <small>/ Built-in mailbox</small></h1><p>SMTP_URL が未設定のため、通知メールはここに保存されます。 / Without SMTP_URL, notifications are kept here.</p>
<table><thead><tr><th>日時 / Time (UTC)</th><th>宛先 / To</th><th>件名 / Subject</th><th>raw</th></tr></thead><tbody>${rows || '<tr><td colspan="4">(なし / none)</td></tr>'}</tbody></table></body></html>`);
  });
  app.get('/:file{[0-9]+\\.eml}', async (c) => {
    const m = await mailboxMessage(c.var.services, Number(c.req.param('file').replace('.eml', '')));
    c.header('Content-Type', 'message/rfc822');
    c.header('Content-Disposition', `attachment; filename="hakko-mail-${m.id}.eml"`);
    return c.body(new Uint8Array(m.raw));
  });
  app.get('/:id{[0-9]+}', async (c) => {
    const m = await mailboxMessage(c.var.services, Number(c.req.param('id')));
    const text = Buffer.from(m.raw).toString('utf8');
    return c.html(`<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${esc(m.subject)}</title><style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem}pre{white-space:pre-wrap;background:#f6f8fa;padding:1rem;border-radius:6px}</style></head><body><p><a href="/dev/mailbox">← メールボックス / Mailbox</a> · <a href="/dev/mailbox/${m.id}.eml" download>.eml</a></p><h1>${esc(m.subject)}</h1><p>To: ${esc(m.recipients.join(', '))}</p><pre>${esc(text)}</pre></body></html>`);
  });
  return app;
}
