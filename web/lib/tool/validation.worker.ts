/// <reference lib="webworker" />
/**
 * The TSV tool's worker (spec 07 §Quality: a 10,000-row file without freezing the page): reads
 * opened files and runs the shared rules off the main thread. It keeps its own copy of the rows, so
 * an edit sends one row, not the file.
 */
import type { InstitutionProfile } from '$domain/institution.ts';
import { guessKind, type TsvEncoding, type TsvKind } from '$domain/tsv/index.ts';
import { toolStore } from '../storage/tool-store.ts';
import { makeDraft } from './drafts.ts';
import { readRequestFile, type FileRead } from './file-read.ts';
import { summarise, type ValidationSummary } from './validation.ts';

/** A request file saved as a new draft by the worker itself (its rows never cross to the page). */
export interface SavedDraft {
  readonly id: string;
  readonly kind: TsvKind;
  readonly rowCount: number;
  readonly encoding: TsvEncoding;
  readonly blankLines: number;
}

export type WorkerRequest =
  | {
      readonly type: 'validate';
      readonly seq: number;
      readonly kind: TsvKind;
      readonly institution: InstitutionProfile | null;
      /** All rows (a new file, undo, a bulk change) … */
      readonly rows?: readonly (readonly string[])[];
      /** … or single rows replaced by index. */
      readonly patches?: readonly { readonly index: number; readonly row: readonly string[] }[];
    }
  | { readonly type: 'read'; readonly seq: number; readonly bytes: ArrayBuffer; readonly fileName: string }
  /** Read, and save a request file as a draft named `draftName` when the store is persistent. */
  | { readonly type: 'open'; readonly seq: number; readonly bytes: ArrayBuffer; readonly fileName: string; readonly draftName: string };

export type WorkerReply =
  | { readonly type: 'validated'; readonly seq: number; readonly summary: ValidationSummary }
  | { readonly type: 'read'; readonly seq: number; readonly file: FileRead }
  | { readonly type: 'opened'; readonly seq: number; readonly saved: SavedDraft | null; readonly file: FileRead | null };

const scope = self as unknown as DedicatedWorkerGlobalScope;
let rows: (readonly string[])[] = [];

/**
 * Opens a file for the start page: a request file is saved as a draft here, so that 10,000 rows are
 * not copied to the page and back (spec 08: no main-thread task over 200 ms); the page gets the
 * whole read only for an information file, a failure, or a store that is not persistent.
 */
async function open(bytes: ArrayBuffer, fileName: string, draftName: string): Promise<WorkerReply & { type: 'opened' }> {
  const file = readRequestFile(new Uint8Array(bytes), fileName);
  const store = await toolStore();
  if (!file.ok || file.info !== null || !store.persistent) return { type: 'opened', seq: 0, saved: null, file };
  const kind = guessKind(file.rows);
  const draft = makeDraft(draftName, kind, new Date(), { rows: file.rows, source: { fileName, encoding: file.encoding } });
  await store.putDraft(draft);
  if (!store.persistent) return { type: 'opened', seq: 0, saved: null, file };
  return { type: 'opened', seq: 0, saved: { id: draft.id, kind, rowCount: file.rows.length, encoding: file.encoding, blankLines: file.blankLines }, file: null };
}

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const m = event.data;
  if (m.type === 'open') {
    void open(m.bytes, m.fileName, m.draftName).then((reply) => scope.postMessage({ ...reply, seq: m.seq } satisfies WorkerReply));
    return;
  }
  if (m.type === 'read') {
    const file = readRequestFile(new Uint8Array(m.bytes), m.fileName);
    scope.postMessage({ type: 'read', seq: m.seq, file } satisfies WorkerReply);
    return;
  }
  if (m.rows) rows = [...m.rows];
  for (const p of m.patches ?? []) rows[p.index] = p.row;
  scope.postMessage({ type: 'validated', seq: m.seq, summary: summarise(rows, m.kind, m.institution) } satisfies WorkerReply);
};
