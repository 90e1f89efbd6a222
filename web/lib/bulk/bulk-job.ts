/**
 * The P12一括 job (spec 04 §P12一括, issue 11): every row of a user administrator's pickup URL gets
 * its key and CSR in the crypto pool, the CSRs go to the API in batches, each certificate comes
 * back into IndexedDB beside its key, and one PKCS#12 per user (password = that user's access PIN)
 * goes into `certs.zip` together with `client.txt`. Built on the individual pickup's steps
 * (pickup-sequence.ts: `keyForRow`, `keepCertificate`, `p12ForRow`) and store, so the two methods
 * share one order of things:
 *
 *  - a key and its CSR are stored **before** the CSR leaves; a certificate is stored as soon as it
 *    arrives; so a reload, a crash or a closed tab resumes where it stopped: stored keys are sent
 *    again (the API returns the same certificate for the same CSR), stored certificates are not
 *    sent at all, and nothing is issued twice;
 *  - the ZIP is never stored: it is rebuilt from the stored keys and certificates whenever needed,
 *    until the user confirms (then the records are deleted);
 *  - network failures and a server that is down are waited out (backoff, then a slower patient
 *    retry, woken early by the browser's `online` event) — the job finishes once the server is back;
 *  - a row the API refuses is reported with the API's message and the others carry on; a refused
 *    key is forgotten, so running the job again makes that row a new one.
 *
 * Memory stays bounded at 1,000 rows: at most a few keys are in the page at a time (the rest wait
 * in IndexedDB), and the ZIP is written as files finish, into Blob parts.
 *
 * Plain TypeScript; the page's state (bulk-pickup.svelte.ts) turns its events into what is shown.
 */
import type { PickupInfo, PickupRow, CsrAnswerBody } from '$domain/pickup-api.ts';
import { CERTS_ZIP_NAME, CLIENT_FILE_NAME, clientRows, type ClientLine } from '$domain/tsv/bulk-files.ts';
import { encodeTsv } from '$domain/tsv/codec.ts';
import { uniqueNames } from '$domain/zip-names.ts';
import type { ApiError, RetryPolicy } from '../api/client.ts';
import type { PickupApi } from '../api/pickup.ts';
import type { P12Variant } from '../crypto/p12.ts';
import type { CryptoPool } from '../crypto/pool.ts';
import type { Localized } from '../i18n/translate.ts';
import type { IssuedRow } from '../state/pickup-sequence.ts';
import type { PickupStore } from '../storage/pickup-store.ts';
import type { BulkKit } from './kit-names.ts';
import { ZipWriter } from './zip-writer.ts';

export { CERTS_ZIP_NAME };

/** Where one row stands. */
export type RowStatus =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'key' }
  | { readonly kind: 'issued'; readonly serial: string }
  | { readonly kind: 'file'; readonly serial: string }
  | { readonly kind: 'refused'; readonly code: string; readonly message: Localized }
  /** Issued, and this browser holds no key for it (picked up in another browser). */
  | { readonly kind: 'elsewhere' }
  /** Not part of the job (expired). */
  | { readonly kind: 'skipped' };

export interface BulkDeps {
  /** The individual pickup's code (kit.ts). */
  readonly kit: BulkKit;
  readonly store: PickupStore;
  readonly pool: CryptoPool;
  readonly api: PickupApi;
  readonly now: () => Date;
  /** Waits `ms`, or less when the browser comes back online; rejects when `signal` aborts. */
  readonly pause: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface BulkInput {
  readonly token: string;
  /** `pickupKey(token)`. */
  readonly pickup: string;
  readonly info: PickupInfo;
  readonly variant: P12Variant;
  readonly signal?: AbortSignal;
}

export interface BulkEvents {
  row(id: string, status: RowStatus): void;
  /** A network failure being retried (null: the call went through). */
  retry(info: { attempt: number; attempts: number; delayMs: number } | null): void;
  /** The server stayed out of reach after the retries: waiting, trying again every `everyMs`. */
  waiting(info: { everyMs: number } | null): void;
}

export interface BulkResult {
  readonly zip: Blob;
  readonly name: string;
  /** ZIP entry name of each row that has a file, in upload order. */
  readonly files: readonly { readonly id: string; readonly name: string }[];
  readonly refused: number;
  readonly elsewhere: number;
}

/** Rows whose certificate this job makes (the others are shown, not worked on). */
export const isLive = (row: Pick<PickupRow, 'state'>) => row.state === 'ready' || row.state === 'issued';

/** CSRs per `/csr` call: about ten calls for any group size (the pickup calls are rate-limited per address), 5–100 each. */
export function batchSize(rows: number): number {
  return Math.min(100, Math.max(5, Math.ceil(rows / 10)));
}

/** The network retry of every bulk call: 5 attempts, 0.5 s doubling to 8 s (as the individual pickup's), then `PATIENT_RETRY_MS`. */
export const BULK_RETRY: Omit<RetryPolicy, 'onRetry'> = { attempts: 5, baseDelayMs: 500, maxDelayMs: 8000 };

/** An `ApiError` (web/lib/api/client.ts), told apart by its name (kit.ts says why not `instanceof`). */
export function apiErrorOf(e: unknown): ApiError | null {
  return e instanceof Error && e.name === 'ApiError' ? (e as ApiError) : null;
}

/** After the network retries gave up: try again this often while the server is away. */
export const PATIENT_RETRY_MS = 5_000;

/**
 * What this browser holds of each row: present or not, and the serial of a stored certificate. Read
 * row by row, 50 at a time — one `getAll` of 1,000 rows would turn 1,000 stored keys back into
 * CryptoKeys in one piece of main-thread work — and only the summary is kept.
 */
export async function storedRows(store: PickupStore, pickup: string, ids: readonly string[]): Promise<Map<string, { serial: string | null }>> {
  const out = new Map<string, { serial: string | null }>();
  for (let i = 0; i < ids.length; i += 50) {
    const got = await Promise.all(ids.slice(i, i + 50).map((id) => store.getRow(pickup, id)));
    for (const r of got) if (r) out.set(r.rowId, { serial: r.certificate?.serial ?? null });
  }
  return out;
}

/** Runs at most `limit` of the started tasks at a time. */
function limiter(limit: number) {
  let running = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((r) => queue.push(r));
    running++;
    try {
      return await task();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}

/** A failure the job cannot get past by itself (a link problem, a refused call, a crypto failure). */
export class BulkStop extends Error {
  override name = 'BulkStop';
  readonly cause: unknown;
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.cause = cause;
  }
}

/** The whole job; resolves with the ZIP. Throws `BulkStop` (its `cause`: ApiError or CryptoError). */
export async function runBulk(deps: BulkDeps, input: BulkInput, events: BulkEvents): Promise<BulkResult> {
  const { store, pool, api } = deps;
  const { cnOf, p12FileName, ensurePickupRecord, keepCertificate, KEY_REFUSALS, keyForRow, p12ForRow } = deps.kit;
  const { token, pickup, info, signal } = input;
  const record = await ensurePickupRecord(deps, pickup, info);
  // The page fixes the variant once keys exist (bulk-pickup.svelte.ts), so every file of a ZIP has the same format.
  const variant = input.variant;
  await store.putPickup({ ...record, variant, progress: { phase: 'running', at: deps.now().toISOString() } });

  /** A call that is safe to repeat: network retries with backoff, then patience until the server answers. */
  async function patiently<T>(call: (retry: RetryPolicy) => Promise<T>): Promise<T> {
    for (;;) {
      signal?.throwIfAborted();
      try {
        const out = await call({ ...BULK_RETRY, onRetry: (i) => events.retry(i) });
        events.retry(null);
        events.waiting(null);
        return out;
      } catch (e) {
        if (!apiErrorOf(e)?.transient) throw e;
        events.retry(null);
        events.waiting({ everyMs: PATIENT_RETRY_MS });
        await deps.pause(PATIENT_RETRY_MS, signal);
      }
    }
  }

  const live = info.rows.filter(isLive);
  for (const row of info.rows) if (!isLive(row)) events.row(row.id, { kind: 'skipped' });
  const names = new Map(uniqueNames(live.map((r) => p12FileName(r))).map((name, i) => [live[i]!.id, name]));
  const stored = await storedRows(store, pickup, live.map((r) => r.id));

  const serials = new Map<string, string>();
  let refused = 0;
  let elsewhere = 0;
  const zip = new ZipWriter();
  const files: { id: string; name: string }[] = [];
  const fileSlots = limiter(pool.size * 2);
  const fileJobs: Promise<void>[] = [];
  let stop: unknown = null;

  // The PINs are needed for the files only: asked for while the keys are being made.
  // (no retry policy of its own: one call, at the start; a failure goes straight to the patient retry)
  const pinsReady = patiently(() => api.bulkPins(token)).then((list) => new Map(list.map((p) => [p.id, p.pin])));
  pinsReady.catch((e) => {
    stop ??= e;
  });

  const makeFile = (row: PickupRow, serial: string) => {
    serials.set(row.id, serial);
    events.row(row.id, { kind: 'issued', serial });
    fileJobs.push(
      fileSlots(async () => {
        const pin = (await pinsReady).get(row.id);
        if (stop) return;
        if (!pin) {
          refused++;
          events.row(row.id, { kind: 'refused', code: 'NO_PIN', message: NO_PIN });
          return;
        }
        const stored = (await store.getRow(pickup, row.id)) as IssuedRow | undefined;
        if (!stored?.certificate) throw new Error('the stored certificate is missing');
        const bytes = await p12ForRow(pool, stored, { password: pin, variant, friendlyName: cnOf(row.dn) || row.mail });
        const name = names.get(row.id)!;
        zip.add(name, bytes);
        files.push({ id: row.id, name });
        events.row(row.id, { kind: 'file', serial });
      }).catch((e) => {
        stop ??= e;
      }),
    );
  };

  const refuse = (id: string, code: string, message: Localized) => {
    refused++;
    events.row(id, { kind: 'refused', code, message });
  };

  // Rows already issued (a certificate stored) go straight to their file; rows with a stored key
  // wait to be sent again; issued rows with nothing stored here cannot get a file from this browser.
  const toSend: PickupRow[] = [];
  const toMake: PickupRow[] = [];
  const byId = new Map(live.map((r) => [r.id, r]));
  for (const row of live) {
    const s = stored.get(row.id);
    if (s?.serial) makeFile(row, s.serial);
    else if (s) (toSend.push(row), events.row(row.id, { kind: 'key' }));
    else if (row.state === 'issued') (elsewhere++, events.row(row.id, { kind: 'elsewhere' }));
    else (toMake.push(row), events.row(row.id, { kind: 'waiting' }));
  }

  const size = batchSize(live.length);
  let batch: { id: string; csr: string }[] = [];
  let sending: Promise<void> = Promise.resolve();

  const answered = async (answer: CsrAnswerBody) => {
    for (const issued of answer.certificates) {
      const row = byId.get(issued.id);
      const rec = row && (await store.getRow(pickup, row.id));
      if (!row || !rec) continue;
      await keepCertificate(store, rec, issued);
      makeFile(row, issued.serial);
    }
    for (const e of answer.errors) {
      if (KEY_REFUSALS.has(e.code)) await store.deleteRow(pickup, e.id);
      if (e.code === 'ALREADY_ISSUED') {
        elsewhere++;
        events.row(e.id, { kind: 'elsewhere' });
      } else refuse(e.id, e.code, e.message);
    }
  };

  const send = (csrs: { id: string; csr: string }[]) => {
    sending = sending.then(async () => {
      if (stop) return;
      try {
        const answer = await patiently((retry) => api.submitCsrs(token, csrs, retry).catch((e) => {
          // 422: none of the batch was issued; the per-row report is the body.
          const a = apiErrorOf(e);
          if (a?.status === 422 && Array.isArray(a.body?.errors)) return a.body as unknown as CsrAnswerBody;
          throw e;
        }));
        await answered(answer);
      } catch (e) {
        stop ??= e;
      }
    });
  };
  const queue = (id: string, csr: string) => {
    batch.push({ id, csr });
    if (batch.length >= size) (send(batch), (batch = []));
  };

  for (const row of toSend) {
    const rec = await store.getRow(pickup, row.id);
    if (rec) queue(row.id, rec.csrPem);
  }
  const keySlots = limiter(pool.size + 1);
  await Promise.all(
    toMake.map((row) =>
      keySlots(async () => {
        if (stop) return;
        signal?.throwIfAborted();
        const rec = await keyForRow(deps, pickup, record.keyAlgorithm, row);
        events.row(row.id, { kind: 'key' });
        queue(row.id, rec.csrPem);
      }).catch((e) => {
        stop ??= e;
      }),
    ),
  );
  if (batch.length > 0) send(batch);
  await sending;
  // Files started while the last answers came in.
  for (let n = 0; n < fileJobs.length; n++) await fileJobs[n];
  await pinsReady.catch(() => undefined);
  if (stop) throw new BulkStop(stop);

  const withFile = new Set(files.map((f) => f.id));
  const inOrder = live.filter((r) => withFile.has(r.id));
  zip.add(CLIENT_FILE_NAME, await clientTxt(inOrder.map((r) => ({ serial: serials.get(r.id)!, name: r.name, mail: r.mail, dn: r.dn }))), true);
  const blob = zip.finish();
  await store.putPickup({ ...record, variant, progress: { phase: 'built', at: deps.now().toISOString() } });
  const order = new Map(live.map((r, i) => [r.id, i]));
  files.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { zip: blob, name: CERTS_ZIP_NAME, files, refused, elsewhere };
}


/**
 * `client.txt` (bulk-files.ts `writeClientTxt`), encoded 100 lines at a time with a pause for the
 * page in between: CP932 has no state across lines, so the pieces joined are the same bytes, and
 * 1,000 rows never hold the main thread in one piece.
 */
async function clientTxt(lines: readonly ClientLine[]): Promise<Uint8Array> {
  const rows = clientRows(lines);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < rows.length; i += 100) {
    parts.push(encodeTsv(rows.slice(i, i + 100)));
    await new Promise((r) => setTimeout(r, 0));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.byteLength));
  return out;
}

const NO_PIN: Localized = {
  ja: 'この利用者のアクセスPIN がサーバーから返されませんでした。登録担当者に問い合わせてください。',
  en: 'The server returned no access PIN for this user. Please contact your registration officer.',
};

