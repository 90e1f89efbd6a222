/**
 * A pool of crypto workers (protocol.ts): tasks queue and go to the next idle worker, at most one
 * per worker. The individual pickup uses one worker; the bulk pickup (issue 11) makes a pool of
 * `navigator.hardwareConcurrency` (at least 2) and queues every row's tasks on it. Workers start
 * lazily; `warm()` starts them early so their code is loaded before the user clicks.
 */
import { CryptoError, type AnswerMessage, type CryptoTask, type ResultOf, type TaskMessage } from './protocol.ts';

/** What the pool needs of a Worker (tests pass a fake). */
export interface WorkerLike {
  postMessage(message: TaskMessage, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<AnswerMessage>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

/** The real module worker; Vite bundles `crypto.worker.ts` and its lazy chunks. */
export function spawnCryptoWorker(): WorkerLike {
  return new Worker(new URL('./crypto.worker.ts', import.meta.url), { type: 'module', name: 'hakko-crypto' }) as unknown as WorkerLike;
}

interface Job {
  readonly message: TaskMessage;
  readonly transfer: Transferable[];
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Pool size for bulk work: one worker per core, at least 2 (spec 04 §P12一括: "2+ in parallel"). */
export function bulkPoolSize(hardwareConcurrency: number | undefined): number {
  return Math.max(2, Math.min(8, hardwareConcurrency || 2));
}

export class CryptoPool {
  readonly size: number;
  readonly #spawn: () => WorkerLike;
  readonly #workers: WorkerLike[] = [];
  readonly #busy = new Map<WorkerLike, Job>();
  readonly #queue: Job[] = [];
  #nextId = 1;
  #closed = false;

  constructor(size = 1, spawn: () => WorkerLike = spawnCryptoWorker) {
    this.size = Math.max(1, Math.floor(size));
    this.#spawn = spawn;
  }

  /** Runs `task` on the next free worker. Rejects with `CryptoError`. */
  run<T extends CryptoTask>(task: T, transfer: Transferable[] = []): Promise<ResultOf<T>> {
    if (this.#closed) return Promise.reject(new CryptoError('WORKER', 'the pool was closed'));
    return new Promise<ResultOf<T>>((resolve, reject) => {
      this.#queue.push({ message: { id: this.#nextId++, task }, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.#dispatch();
    });
  }

  /** Starts every worker and waits until each has loaded its code. */
  async warm(): Promise<void> {
    await Promise.all(Array.from({ length: this.size }, () => this.run({ op: 'ping' })));
  }

  /** Tasks waiting plus tasks running. */
  get pending(): number {
    return this.#queue.length + this.#busy.size;
  }

  /** Stops every worker; queued and running tasks are rejected. */
  terminate(): void {
    this.#closed = true;
    const error = new CryptoError('WORKER', 'the pool was closed');
    for (const job of [...this.#queue.splice(0), ...this.#busy.values()]) job.reject(error);
    this.#busy.clear();
    for (const w of this.#workers.splice(0)) w.terminate();
  }

  #idleWorker(): WorkerLike | null {
    const idle = this.#workers.find((w) => !this.#busy.has(w));
    if (idle) return idle;
    if (this.#workers.length >= this.size) return null;
    const worker = this.#spawn();
    worker.onmessage = (event) => this.#answered(worker, event.data);
    worker.onerror = (event) => this.#crashed(worker, event);
    this.#workers.push(worker);
    return worker;
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const worker = this.#idleWorker();
      if (!worker) return;
      const job = this.#queue.shift()!;
      this.#busy.set(worker, job);
      worker.postMessage(job.message, job.transfer);
    }
  }

  #answered(worker: WorkerLike, answer: AnswerMessage): void {
    const job = this.#busy.get(worker);
    if (!job || job.message.id !== answer.id) return;
    this.#busy.delete(worker);
    if (answer.ok) job.resolve(answer.result);
    else job.reject(new CryptoError(answer.failure, answer.detail));
    this.#dispatch();
  }

  /** A worker that failed to load or died: its task fails, the worker is replaced on demand. */
  #crashed(worker: WorkerLike, event: ErrorEvent): void {
    event.preventDefault?.();
    const job = this.#busy.get(worker);
    this.#busy.delete(worker);
    this.#workers.splice(this.#workers.indexOf(worker), 1);
    worker.terminate();
    job?.reject(new CryptoError('WORKER', event.message || 'the crypto worker stopped'));
    this.#dispatch();
  }
}
