/// <reference lib="webworker" />
/**
 * The TSV tool's worker (spec 07 §Quality: a 10,000-row file without freezing the page): reads
 * opened files and runs the shared rules off the main thread. It keeps its own copy of the rows, so
 * an edit sends one row, not the file.
 */
import type { InstitutionProfile } from '$domain/institution.ts';
import type { TsvKind } from '$domain/tsv/index.ts';
import { readRequestFile, type FileRead } from './file-read.ts';
import { summarise, type ValidationSummary } from './validation.ts';

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
  | { readonly type: 'read'; readonly seq: number; readonly bytes: ArrayBuffer; readonly fileName: string };

export type WorkerReply =
  | { readonly type: 'validated'; readonly seq: number; readonly summary: ValidationSummary }
  | { readonly type: 'read'; readonly seq: number; readonly file: FileRead };

const scope = self as unknown as DedicatedWorkerGlobalScope;
let rows: (readonly string[])[] = [];

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const m = event.data;
  if (m.type === 'read') {
    const file = readRequestFile(new Uint8Array(m.bytes), m.fileName);
    scope.postMessage({ type: 'read', seq: m.seq, file } satisfies WorkerReply);
    return;
  }
  if (m.rows) rows = [...m.rows];
  for (const p of m.patches ?? []) rows[p.index] = p.row;
  scope.postMessage({ type: 'validated', seq: m.seq, summary: summarise(rows, m.kind, m.institution) } satisfies WorkerReply);
};
