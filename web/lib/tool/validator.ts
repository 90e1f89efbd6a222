/**
 * The page's side of the tool worker: read a file, validate rows — each call a promise; a newer
 * validation makes older pending ones resolve to null (only the latest result is shown).
 */
import type { InstitutionProfile } from '$domain/institution.ts';
import type { TsvKind } from '$domain/tsv/index.ts';
import type { FileRead } from './file-read.ts';
import type { ValidationSummary } from './validation.ts';
import type { SavedDraft, WorkerReply, WorkerRequest } from './validation.worker.ts';

type Rows = readonly (readonly string[])[];

export class ToolValidator {
  readonly #worker: Worker;
  #seq = 0;
  #latestValidation = 0;
  readonly #pending = new Map<number, (reply: WorkerReply) => void>();

  constructor(worker: Worker = new Worker(new URL('./validation.worker.ts', import.meta.url), { type: 'module' })) {
    this.#worker = worker;
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const resolve = this.#pending.get(event.data.seq);
      this.#pending.delete(event.data.seq);
      resolve?.(event.data);
    };
  }

  #send(message: WorkerRequest, transfer: Transferable[] = []): Promise<WorkerReply> {
    return new Promise((resolve) => {
      this.#pending.set(message.seq, resolve);
      this.#worker.postMessage(message, transfer);
    });
  }

  /** Decodes and splits a file in the worker (the bytes are moved there, not copied). */
  async read(bytes: ArrayBuffer, fileName: string): Promise<FileRead> {
    const reply = await this.#send({ type: 'read', seq: ++this.#seq, bytes, fileName }, [bytes]);
    if (reply.type !== 'read') throw new Error('unexpected worker reply');
    return reply.file;
  }

  /**
   * Opens a file from the start page: a request file comes back as a draft the worker saved
   * (`saved`), anything else as the read file (an information file, a failure, or a store that is not
   * persistent — then the page saves the draft itself).
   */
  async open(bytes: ArrayBuffer, fileName: string, draftName: string): Promise<{ saved: SavedDraft | null; file: FileRead | null }> {
    const reply = await this.#send({ type: 'open', seq: ++this.#seq, bytes, fileName, draftName }, [bytes]);
    if (reply.type !== 'opened') throw new Error('unexpected worker reply');
    return { saved: reply.saved, file: reply.file };
  }

  /**
   * Validates after replacing all rows (`change.rows`) or some (`change.patches`); resolves to null
   * when a later validation was asked for before this one finished.
   */
  async validate(
    kind: TsvKind,
    institution: InstitutionProfile | null,
    change: { rows?: Rows; patches?: readonly { index: number; row: readonly string[] }[] },
  ): Promise<ValidationSummary | null> {
    const seq = ++this.#seq;
    this.#latestValidation = seq;
    const plain = institution === null ? null : (plainCopy(institution));
    const reply = await this.#send({ type: 'validate', seq, kind, institution: plain, ...change });
    if (reply.type !== 'validated' || seq !== this.#latestValidation) return null;
    return reply.summary;
  }

  dispose(): void {
    this.#worker.terminate();
  }
}

/** A plain copy (a Svelte state proxy cannot be posted to a worker). */
function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
