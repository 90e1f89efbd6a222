/**
 * Gives requests their access PINs, PIN URLs and pickup URLs, and the notices that carry them
 * (spec 01 §New issuance step 4, spec 04 §Secrets, spec 05). Used by uploads and by re-issue:
 * - methods 1 and 3: per request one PIN URL (→ user administrator) and one pickup URL (→ user);
 * - method 2: one PIN URL for all given rows (→ the uploading officer) and one pickup URL per user
 *   administrator (rows grouped by column 10, → that administrator).
 */
import type { Queryable } from '../../db/client.ts';
import { insertUrlTokens, reserveUrlTokenIds, setRequestSecrets, type RequestRow, type RequestSecrets } from '../../db/repos/requests.ts';
import type { MailIntent } from '../../db/repos/outbox.ts';
import { encryptPin, hashPin, newPin } from '../secrets/pin.ts';
import { newUrlTokens } from '../secrets/tokens.ts';
import { seal } from '../secrets/sealed.ts';
import type { Services } from '../services.ts';
import { pinAad } from './retrieve-pin.ts';

export interface UrlContext {
  readonly s: Pick<Services, 'config' | 'keys'>;
  readonly now: Date;
  readonly pinDays: number;
  readonly pickupDays: number;
  readonly institution: { readonly id: number; readonly ja: string; readonly en: string };
  /** The acting officer: who uploaded, or who re-issued (method-2 PIN notices go to them). */
  readonly uploader: { readonly name: string; readonly email: string } | null;
  readonly reissued: boolean;
}

interface Grouped {
  readonly pinRows: RequestRow[][];
  readonly pickupRows: RequestRow[][];
}

function group(rows: readonly RequestRow[]): Grouped {
  if (rows[0]!.method !== 2) return { pinRows: rows.map((r) => [r]), pickupRows: rows.map((r) => [r]) };
  const byAdmin = new Map<string, RequestRow[]>();
  for (const r of rows) {
    const key = r.adminMail ?? '';
    const list = byAdmin.get(key);
    if (list === undefined) byAdmin.set(key, [r]);
    else list.push(r); // not a copy per row: 10,000 rows of one administrator stay linear
  }
  return { pinRows: [[...rows]], pickupRows: [...byAdmin.values()] };
}

/** A URL token row to insert, its id reserved. */
export type NewUrlToken = Parameters<typeof insertUrlTokens>[1][number];

/**
 * What `prepareUrls` made: the tokens to insert, then — functions, so that an upload can compute
 * them while the database stores what came before — the secrets to store on the requests (PINs,
 * their hashes and escrowed copies) and the notices to queue (their links sealed).
 */
export interface PreparedUrls {
  readonly tokens: NewUrlToken[];
  secrets(): RequestSecrets[];
  mails(): MailIntent[];
}

/**
 * Makes the URL tokens (ids reserved, not yet inserted) and the PINs for `rows` (all of one method,
 * ids known — uploads reserve them before inserting); writes nothing else, so that an upload can
 * write tokens, requests and notices each in one go (spec 08 §Performance). `suppliedPins` maps a
 * request id to the PIN its TSV row brought (method 2).
 */
export async function prepareUrls(tx: Queryable, ctx: UrlContext, rows: readonly RequestRow[], suppliedPins: ReadonlyMap<number, string> = new Map()): Promise<PreparedUrls> {
  if (rows.length === 0) return { tokens: [], secrets: () => [], mails: () => [] };
  const { pinRows, pickupRows } = group(rows);
  const pinExp = new Date(ctx.now.getTime() + ctx.pinDays * 86_400_000);
  const pickupExp = new Date(ctx.now.getTime() + ctx.pickupDays * 86_400_000);
  const ids = await reserveUrlTokenIds(tx, pinRows.length + pickupRows.length);
  const tokens = newUrlTokens(pinRows.length + pickupRows.length);
  const pinTokens = tokens.slice(0, pinRows.length);
  const pickupTokens = tokens.slice(pinRows.length);
  const pinUrls = pinTokens.map((t, i) => ({ id: ids[i]!, purpose: 'pin' as const, tokenHash: t.hash, state: 'active' as const, expiresAt: pinExp, createdAt: ctx.now }));
  const pickupUrls = pickupTokens.map((t, i) => ({ id: ids[pinRows.length + i]!, purpose: 'pickup' as const, tokenHash: t.hash, state: 'active' as const, expiresAt: pickupExp, createdAt: ctx.now }));
  const pinUrlOf = new Map<number, number>();
  pinRows.forEach((g, i) => g.forEach((r) => pinUrlOf.set(r.id, pinUrls[i]!.id)));
  const pickupUrlOf = new Map<number, number>();
  pickupRows.forEach((g, i) => g.forEach((r) => pickupUrlOf.set(r.id, pickupUrls[i]!.id)));
  const secrets = () => rows.map((r) => {
    const pin = suppliedPins.get(r.id) ?? newPin();
    return { id: r.id, pinHash: hashPin(ctx.s.keys.pinHash, pin), pinEnc: encryptPin(ctx.s.keys.pinEnc, pin, pinAad(r.id)), pinUrlId: pinUrlOf.get(r.id)!, pickupUrlId: pickupUrlOf.get(r.id)! };
  });
  const mails = () => notices(ctx, rows[0]!.method, pinRows, pickupRows, pinTokens.map((t) => t.token), pickupTokens.map((t) => t.token), pinExp, pickupExp);
  return { tokens: [...pinUrls, ...pickupUrls], secrets, mails };
}

/**
 * Creates tokens and PINs for existing `rows` (re-issue) and stores them on the requests; returns the
 * notices to queue.
 */
export async function assignUrls(tx: Queryable, ctx: UrlContext, rows: readonly RequestRow[], suppliedPins: ReadonlyMap<number, string> = new Map()): Promise<MailIntent[]> {
  const { tokens, secrets, mails } = await prepareUrls(tx, ctx, rows, suppliedPins);
  await insertUrlTokens(tx, tokens);
  await setRequestSecrets(tx, secrets(), ctx.now);
  return mails();
}

function notices(ctx: UrlContext, method: number, pinRows: RequestRow[][], pickupRows: RequestRow[][], pinTokens: string[], pickupTokens: string[], pinExp: Date, pickupExp: Date): MailIntent[] {
  const base = ctx.s.config.publicUrl;
  // The links carry raw tokens: sealed in the outbox, opened by the worker (spec 04 §Secrets).
  const link = (path: string) => seal(ctx.s.keys.pinEnc, `${base}${path}`);
  const inst = { ja: ctx.institution.ja, en: ctx.institution.en };
  const ref = (r: RequestRow) => ({ dn: r.dn, user: { name: r.userName ?? r.userMail, email: r.userMail, affiliation: r.userAffiliation ?? undefined } });
  const admin = (r: RequestRow) => ({ address: r.adminMail!, name: r.adminName });
  const mails: MailIntent[] = [];
  const wrap = (variant: 'pin' | 'pickup', kind: string, data: Record<string, unknown>) =>
    ctx.reissued ? { kind: 'url-reissued', data: { variant, ...data } } : { kind, data };
  pinRows.forEach((g, i) => {
    const to = method === 2 ? (ctx.uploader ? [{ address: ctx.uploader.email, name: ctx.uploader.name }] : []) : [admin(g[0]!)];
    const m = wrap('pin', 'pin-notice', { institution: inst, recipients: to.map((t) => ({ name: t.name ?? t.address, email: t.address })), method, requests: g.map(ref), pinUrl: link(`/pin/${pinTokens[i]}`), expiresAt: pinExp.toISOString() });
    mails.push({ ...m, to, institutionId: ctx.institution.id, requestId: g[0]!.id });
  });
  pickupRows.forEach((g, i) => {
    const to = method === 2 ? [admin(g[0]!)] : [{ address: g[0]!.userMail, name: g[0]!.userName }];
    const m = wrap('pickup', 'pickup-notice', { institution: inst, recipients: to.map((t) => ({ name: t.name ?? t.address, email: t.address })), method, requests: g.map(ref), pickupUrl: link(`/pickup/${pickupTokens[i]}`), expiresAt: pickupExp.toISOString() });
    mails.push({ ...m, to, institutionId: ctx.institution.id, requestId: g[0]!.id });
  });
  return mails;
}
