/**
 * The PIN URL page (spec 04 §PIN URL page): what the PIN is for, then the single PIN revealed once
 * (methods 1 and 3), or for P12一括 (method 2) every PIN at once as `pins.zip`, built in the browser
 * (issue 11). A retrieval is never retried automatically: it works once (the API answers 410
 * afterwards) — so the ZIP code is loaded before the PINs are asked for, and the file stays
 * available in the page ("save again") until the page is closed.
 */
import type { PinInfo, RetrievedPin } from '$domain/pickup-api.ts';
import { ApiError } from '../api/client.ts';
import type { PickupApi } from '../api/pickup.ts';
import { linkProblemOf } from './link-problem.ts';
import type { ProblemCode } from './pickup-flow.svelte.ts';

export type PinStage = 'loading' | 'problem' | 'info' | 'revealed' | 'bulk' | 'bulkRetrieved';

export class PinPage {
  stage: PinStage = $state('loading');
  info: PinInfo | null = $state.raw(null);
  pin: RetrievedPin | null = $state.raw(null);
  problem: ProblemCode | null = $state(null);
  code: string | null = $state(null);
  busy = $state(false);
  retrieveFailed = $state(false);
  /** Method 2: `pins.zip` once retrieved (a blob URL; the page offers it as a link to save again). */
  pinsFile: { readonly name: string; readonly url: string } | null = $state.raw(null);

  readonly #token: string;
  readonly #api: PickupApi;

  constructor(token: string, api: PickupApi) {
    this.#token = token;
    this.#api = api;
  }

  async load(): Promise<void> {
    this.stage = 'loading';
    try {
      this.info = await this.#api.pinInfo(this.#token);
      this.stage = this.info.method === 2 ? 'bulk' : 'info';
    } catch (e) {
      this.#showProblem(e);
    }
  }

  /** `POST /retrieve`: the PIN, once. A failure other than a link problem may be tried again by hand. */
  async retrieve(): Promise<void> {
    this.busy = true;
    this.retrieveFailed = false;
    try {
      if (this.info?.method === 2) return await this.#retrieveBulk();
      const pins = await this.#api.retrievePins(this.#token);
      this.pin = pins[0] ?? null;
      this.stage = this.pin ? 'revealed' : 'info';
    } catch (e) {
      if (linkProblemOf(e)) this.#showProblem(e);
      else this.retrieveFailed = true;
    } finally {
      this.busy = false;
    }
  }

  /** Method 2: the ZIP code first (a failed load must not cost the one retrieval), then the PINs, then `pins.zip`. */
  async #retrieveBulk(): Promise<void> {
    const { pinsZip, PINS_ZIP_NAME } = await import('../bulk/pins-zip.ts');
    const pins = await this.#api.retrievePins(this.#token);
    // The page shows the file as a download link and follows it once (BulkPins.svelte).
    this.pinsFile = { name: PINS_ZIP_NAME, url: URL.createObjectURL(pinsZip(pins)) };
    this.stage = 'bulkRetrieved';
  }

  #showProblem(e: unknown): void {
    this.problem = linkProblemOf(e) ?? (e instanceof ApiError && e.transient ? 'NETWORK' : 'OTHER');
    this.code = e instanceof ApiError ? e.code : null;
    this.stage = 'problem';
  }
}
