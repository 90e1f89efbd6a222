/**
 * The P12一括 pickup page's state (issue 11): the rows and what this browser kept of them, the file
 * format chosen once for the batch, then the job (web/lib/bulk/bulk-job.ts) turned into what the
 * page shows — counts, a progress fraction, an estimate of the time left, a polite announcement at
 * each tenth, network retries and a server that is away — and the download, "I have saved it" and
 * `/confirm`. The job is started again by the same action after a failure, a reload or for the
 * refused rows: everything already stored is reused.
 */
import type { PickupInfo } from '$domain/pickup-api.ts';
import { uniqueNames } from '$domain/zip-names.ts';
import type { PickupApi } from '../api/pickup.ts';
import { apiErrorOf, BULK_RETRY, BulkStop, isLive, runBulk, storedRows, type BulkResult, type RowStatus } from '../bulk/bulk-job.ts';
import type { BulkKit } from '../bulk/kit-names.ts';
import type { P12Variant } from '../crypto/p12.ts';
import type { CryptoError } from '../crypto/protocol.ts';
import type { CryptoPool } from '../crypto/pool.ts';
import type { PickupStore } from '../storage/pickup-store.ts';
import type { Localized } from '../i18n/translate.ts';
import type { DownloadFile } from './download.ts';
import type { ProblemCode } from './pickup-flow.svelte.ts';

/** Another tab of this browser runs the job of the same pickup URL. */
const OTHER_TAB = Object.assign(new Error('the bulk job runs in another tab'), {
  name: 'ApiError',
  code: 'OTHER_TAB',
  text: {
    ja: 'この証明書取得URLの作成は、このブラウザの別のタブまたはウィンドウで進んでいます。そちらで続けるか、そちらを閉じてから「続きから再開する」を押してください。',
    en: 'This pickup is already under way in another tab or window of this browser. Continue there, or close it and press “Continue” here.',
  },
});

export type BulkStage = 'loading' | 'intro' | 'working' | 'ready' | 'failed' | 'done' | 'problem';

export interface BulkPageDeps {
  /** The individual pickup's code, handed over by the page (bulk/kit.ts). */
  readonly kit: BulkKit;
  readonly api: PickupApi;
  readonly pool: CryptoPool;
  readonly store: Promise<PickupStore>;
  readonly now: () => number;
  readonly save: (file: DownloadFile) => void;
  readonly pause: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A User Timing mark (bench/bulk-browser.ts reads the click-to-ZIP time from them). */
function mark(name: string): void {
  globalThis.performance?.mark?.(name);
}

export class BulkPickup {
  stage: BulkStage = $state('loading');
  readonly info: PickupInfo;
  statuses: Record<string, RowStatus> = $state({});
  variant: P12Variant = $state('compatible');
  /** The variant is fixed once work was stored (every file of a batch has the same format). */
  variantFixed = $state(false);
  persistent = $state(true);
  resumed: { keys: number; certs: number } | null = $state.raw(null);
  /** certs.zip was made before (a reload after the download): the action makes it again. */
  rebuild = $state(false);
  retrying: { attempt: number; attempts: number; delayMs: number } | null = $state.raw(null);
  waiting = $state(false);
  file: DownloadFile | null = $state.raw(null);
  result: Omit<BulkResult, 'zip'> | null = $state.raw(null);
  failure: { code: string | null; message: Localized | null } | null = $state.raw(null);
  problem: ProblemCode | null = $state(null);
  code: string | null = $state(null);
  busy = $state(false);
  confirmError: Localized | null = $state.raw(null);
  notAllIssued = $state(false);
  /** For the estimate: when the job started, and how much was done then. */
  startedAt = $state(0);
  doneAtStart = $state(0);
  clock = $state(0);
  /** The last tenth announced (aria-live). */
  announced = $state(0);

  readonly #token: string;
  readonly #deps: BulkPageDeps;
  #store: PickupStore | null = null;
  #pickup = '';
  #abort: AbortController | null = null;
  #ticker: ReturnType<typeof setInterval> | null = null;

  constructor(token: string, info: PickupInfo, deps: BulkPageDeps) {
    this.#token = token;
    this.info = info;
    this.#deps = deps;
  }

  /** Rows of the job (not expired). */
  get live() {
    return (this.#live ??= this.info.rows.filter(isLive));
  }
  #live: PickupInfo['rows'] | null = null;

  /** Each live row's file name in the ZIP, -2 and -3 for repeats (the job names them the same way). */
  #names: Map<string, string> | null = null;

  /** The row's file name in certs.zip; null when it gets no file. */
  fileName(id: string): string | null {
    const kind = this.statuses[id]?.kind;
    if (kind === 'refused' || kind === 'elsewhere' || kind === 'skipped') return null;
    this.#names ??= new Map(uniqueNames(this.live.map((r) => this.#deps.kit.p12FileName(r))).map((n, i) => [this.live[i]!.id, n]));
    return this.#names.get(id) ?? null;
  }

  /**
   * Rows per state, kept up to date with every change (1,000 rows: no pass over all rows per change,
   * so the page's main thread stays free).
   */
  tally: Record<RowStatus['kind'], number> = $state({ waiting: 0, key: 0, issued: 0, file: 0, refused: 0, elsewhere: 0, skipped: 0 });

  /** Sets a row's state and moves it between the tallies. */
  setStatus(id: string, status: RowStatus): void {
    const before = this.statuses[id]?.kind;
    if (before) this.tally[before]--;
    this.tally[status.kind]++;
    this.statuses[id] = status;
  }

  get counts() {
    const t = this.tally;
    return { total: this.live.length, keys: t.key + t.issued + t.file, certs: t.issued + t.file, files: t.file, refused: t.refused, elsewhere: t.elsewhere };
  }

  /** 0–1: keys, certificates and files each a third; refused and elsewhere rows count as done. */
  get fraction(): number {
    const c = this.counts;
    if (c.total === 0) return 1;
    const closed = c.refused + c.elsewhere;
    return Math.min(1, (c.keys + c.certs + c.files + 3 * closed) / (3 * c.total));
  }

  /** Seconds left, from the pace since the job started; null until there is enough to go by. */
  get secondsLeft(): number | null {
    const elapsed = (this.clock - this.startedAt) / 1000;
    const done = this.fraction - this.doneAtStart;
    if (this.stage !== 'working' || elapsed < 2 || done < 0.03) return null;
    return Math.max(1, Math.round((elapsed / done) * (1 - this.fraction)));
  }

  async load(): Promise<void> {
    const store = await this.#deps.store;
    this.#store = store;
    this.persistent = store.persistent;
    this.#pickup = await this.#deps.kit.pickupKey(this.#token);
    await store.purgeExpired(new Date(this.#deps.now()));
    const record = await store.getPickup(this.#pickup);
    const summaries = await storedRows(store, this.#pickup, this.live.map((r) => r.id));
    const statuses: Record<string, RowStatus> = {};
    let keys = 0;
    let certs = 0;
    for (const row of this.info.rows) {
      const s = summaries.get(row.id);
      if (!isLive(row)) statuses[row.id] = { kind: 'skipped' };
      else if (s?.serial) ((statuses[row.id] = { kind: 'issued', serial: s.serial }), keys++, certs++);
      else if (s) ((statuses[row.id] = { kind: 'key' }), keys++);
      else if (row.state === 'issued') statuses[row.id] = { kind: 'elsewhere' };
      else statuses[row.id] = { kind: 'waiting' };
    }
    this.statuses = statuses;
    for (const st of Object.values(statuses)) this.tally[st.kind]++;
    if (record?.variant) {
      this.variant = record.variant;
      this.variantFixed = keys > 0;
    }
    if (keys > 0) this.resumed = { keys, certs };
    this.rebuild = record?.progress?.phase === 'built';
    this.stage = 'intro';
    // Load the workers' code now (the individual page does so while the PIN is typed): a connection
    // that drops before the click must not leave the job without its workers.
    this.#deps.pool.warm().catch(() => undefined);
    // Work under way when the page was closed: carry on by itself (spec 04 §Resuming).
    if (keys > 0 && record?.progress?.phase === 'running') void this.start();
  }

  /** The one action: every key, CSR, certificate and file, then `certs.zip`. Also "continue" and "try again". */
  async start(): Promise<void> {
    if (this.stage === 'working') return;
    this.#abort = new AbortController();
    this.stage = 'working';
    this.failure = null;
    this.notAllIssued = false;
    this.variantFixed = true;
    if (this.file) URL.revokeObjectURL(this.file.url);
    this.file = null;
    this.result = null;
    this.startedAt = this.clock = this.#deps.now();
    this.doneAtStart = this.fraction;
    this.announced = Math.floor(this.counts.files / Math.max(1, this.counts.total) * 10);
    this.#ticker = setInterval(() => (this.clock = this.#deps.now()), 1000);
    mark('hakko:bulk-start');
    try {
      const job = () =>
        runBulk(
          { kit: this.#deps.kit, store: this.#store!, pool: this.#deps.pool, api: this.#deps.api, now: () => new Date(this.#deps.now()), pause: this.#deps.pause },
          { token: this.#token, pickup: this.#pickup, info: this.info, variant: this.variant, signal: this.#abort!.signal },
          {
            row: (id, status) => this.setStatus(id, status),
            retry: (i) => (this.retrying = i),
            waiting: (w) => (this.waiting = w !== null),
          },
        );
      // One job per pickup URL in this browser: a second tab would make other keys for the same rows.
      const locks = globalThis.navigator?.locks;
      const result = locks
        ? await locks.request(`hakko-bulk-${this.#pickup}`, { ifAvailable: true }, (lock) => {
            if (!lock) throw new BulkStop(OTHER_TAB);
            return job();
          })
        : await job();
      const { zip, ...rest } = result;
      this.result = rest;
      this.file = { name: result.name, url: URL.createObjectURL(zip), size: zip.size };
      this.stage = 'ready';
      mark('hakko:bulk-zip');
      this.#deps.save(this.file);
    } catch (e) {
      this.#failed(e instanceof BulkStop ? e.cause : e);
    } finally {
      if (this.#ticker) clearInterval(this.#ticker);
      this.#ticker = null;
      this.retrying = null;
      this.waiting = false;
    }
  }

  saveAgain(): void {
    if (this.file) this.#deps.save(this.file);
  }

  /** "I have saved it": `/confirm`, then the stored keys and certificates are deleted. */
  async confirm(): Promise<void> {
    const { linkProblemOf } = this.#deps.kit;
    this.busy = true;
    this.confirmError = null;
    this.notAllIssued = false;
    try {
      await this.#deps.api.confirm(this.#token, {}, BULK_RETRY);
      await this.#finished();
    } catch (e) {
      const a = apiErrorOf(e);
      if (a?.code === 'COMPLETED') await this.#finished();
      else if (a?.code === 'NOT_ISSUED') this.notAllIssued = true;
      else if (linkProblemOf(e)) this.#problem(e);
      else this.confirmError = a ? a.text : { ja: String(e), en: String(e) };
    } finally {
      this.busy = false;
    }
  }

  destroy(): void {
    this.#abort?.abort();
    if (this.#ticker) clearInterval(this.#ticker);
    if (this.file) URL.revokeObjectURL(this.file.url);
    this.#deps.pool.terminate();
    this.#store?.close();
  }

  async #finished(): Promise<void> {
    await this.#store?.deletePickup(this.#pickup);
    this.stage = 'done';
  }

  #failed(e: unknown): void {
    if (this.#deps.kit.linkProblemOf(e)) return this.#problem(e);
    const a = apiErrorOf(e);
    const crypto = e instanceof Error && e.name === 'CryptoError' ? (e as CryptoError) : null;
    this.failure = { code: a?.code ?? crypto?.failure ?? null, message: a?.text ?? null };
    this.stage = 'failed';
  }

  #problem(e: unknown): void {
    this.problem = this.#deps.kit.linkProblemOf(e);
    this.code = apiErrorOf(e)?.code ?? null;
    this.stage = 'problem';
  }
}
