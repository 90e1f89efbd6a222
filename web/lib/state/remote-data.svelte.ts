/**
 * One answer of the API that a page shows and reloads (a list page whose query lives in the
 * address): the data or the error, and `load()` that a page's `$effect` calls — its reactive reads
 * in `fetch` (the address's query) make the effect run again — aborting the previous request.
 */
import type { ApiError } from '../api/client.ts';

export class RemoteData<T> {
  data: T | null = $state.raw(null);
  error: ApiError | null = $state.raw(null);
  readonly #fetch: (signal: AbortSignal) => Promise<T>;

  constructor(fetch: (signal: AbortSignal) => Promise<T>) {
    this.#fetch = fetch;
  }

  /** Starts a load; the returned controller aborts it (an effect's cleanup). */
  load(): AbortController {
    const controller = new AbortController();
    this.error = null;
    this.#fetch(controller.signal).then(
      (d) => (this.data = d),
      (e: ApiError) => {
        if (!controller.signal.aborted) this.error = e;
      },
    );
    return controller;
  }
}
