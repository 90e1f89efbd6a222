/// <reference lib="webworker" />
/**
 * Validates a request file off the main thread (issue 12: a 10,000-row preview must not freeze the
 * page) with the shared rules of `$domain/tsv` — the same codes the server reports.
 */
import { validateTsv } from '$domain/tsv/index.ts';
import { toPreview, type PreviewAnswer, type PreviewRequest } from './preview.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<PreviewRequest>) => {
  const r = event.data;
  let answer: PreviewAnswer;
  try {
    const v = await validateTsv(r.bytes, {
      kind: r.kind, lang: r.lang, fileName: r.fileName, institution: r.institution, lookup: null, today: r.today,
      maxBytes: r.maxBytes, maxLines: r.maxLines, w227IsError: r.w227IsError,
    });
    answer = { id: r.id, preview: toPreview(v) };
  } catch (e) {
    answer = { id: r.id, failed: e instanceof Error ? e.message : String(e) };
  }
  scope.postMessage(answer);
};
