/**
 * The PIN URL page (spec 04 §PIN URL page) for the individual methods: what the PIN is for, then
 * the single PIN revealed once. Method 2 (bulk, `pins.zip`) is issue 11's; this page only says so.
 * A retrieval is never retried automatically: it works once (the API answers 410 afterwards).
 */
import type { PinInfo, RetrievedPin } from '$domain/pickup-api.ts';
import { ApiError } from '../api/client.ts';
import type { PickupApi } from '../api/pickup.ts';
import { linkProblemOf } from './link-problem.ts';
import type { ProblemCode } from './pickup-flow.svelte.ts';

export type PinStage = 'loading' | 'problem' | 'info' | 'revealed' | 'bulk';

export class PinPage {
  stage: PinStage = $state('loading');
  info: PinInfo | null = $state.raw(null);
  pin: RetrievedPin | null = $state.raw(null);
  problem: ProblemCode | null = $state(null);
  code: string | null = $state(null);
  busy = $state(false);
  retrieveFailed = $state(false);

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

  #showProblem(e: unknown): void {
    this.problem = linkProblemOf(e) ?? (e instanceof ApiError && e.transient ? 'NETWORK' : 'OTHER');
    this.code = e instanceof ApiError ? e.code : null;
    this.stage = 'problem';
  }
}
