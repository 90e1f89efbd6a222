/**
 * The upload page's state (spec 06 §Dashboard: Upload; spec 01 §New issuance 2–3): kind, error mode
 * (abort preselected), the file, its preview from the worker, the review checklist, the upload and
 * its result table. Big lists are `$state.raw`, replaced, never mutated (STYLE.md 13).
 */
import type { InstitutionForRules } from '$domain/tsv/index.ts';
import type { ApiError } from '$lib/api/client.ts';
import type { InstitutionDetailJson, UploadAnswerJson, UploadDetailJson, UploadFields } from '$lib/api/officer.ts';
import type { PlainMessageKey } from '$lib/i18n/index.ts';
import type { Kind, Mode } from '$lib/components/officer/labels.ts';
import { jstToday, type Preview, type PreviewAnswer, type PreviewRequest } from './preview.ts';

export interface UploadDeps {
  readonly institution: () => Promise<InstitutionDetailJson>;
  readonly submit: (f: UploadFields) => Promise<UploadAnswerJson>;
  readonly result: (uploadId: string) => Promise<UploadDetailJson>;
  readonly worker: () => Worker;
}

/** The review checklist of the UPKI manual's 審査項目 (spec 01 §New issuance 2). */
export const REVIEW_ITEMS: readonly PlainMessageKey[] = ['officer.upload.review.identity', 'officer.upload.review.content', 'officer.upload.review.members'];

export class UploadWizard {
  kind: Kind = $state('issue');
  /** Abort is preselected and recommended, as in the UPKI manual (spec 02 §Upload modes). */
  mode: Mode = $state('abort');
  file: File | null = $state.raw(null);
  preview: Preview | null = $state.raw(null);
  previewing = $state(false);
  previewFailed = $state(false);
  reviewed: boolean[] = $state(REVIEW_ITEMS.map(() => false));
  submitting = $state(false);
  answer: UploadAnswerJson | null = $state.raw(null);
  result: UploadDetailJson | null = $state.raw(null);
  error: ApiError | null = $state.raw(null);

  readonly #deps: UploadDeps;
  #worker: Worker | null = null;
  #institution: Promise<InstitutionDetailJson> | null = null;
  #seq = 0;

  constructor(deps: UploadDeps) {
    this.#deps = deps;
  }

  /** Why the file cannot be sent as it is, or null. */
  get blocker(): PlainMessageKey | null {
    const p = this.preview;
    if (!this.file) return 'officer.upload.block.noFile';
    if (this.previewing || !p) return 'officer.upload.block.previewing';
    if (p.fileProblems.some((x) => x.level === 'error')) return 'officer.upload.block.fileProblems';
    if (p.counts.okRows === 0) return 'officer.upload.block.noOkRows';
    if (this.mode === 'abort' && p.counts.errorRows > 0) return 'officer.upload.block.abortWithErrors';
    return null;
  }

  get allReviewed(): boolean {
    return this.reviewed.every(Boolean);
  }

  /** A new file: preview it. */
  async choose(file: File, lang: 'ja' | 'en'): Promise<void> {
    this.file = file;
    this.answer = null;
    this.result = null;
    this.error = null;
    await this.runPreview(lang);
  }

  /** (Re)validates the chosen file in the worker: after a new file, kind or language. */
  async runPreview(lang: 'ja' | 'en'): Promise<void> {
    const file = this.file;
    if (!file) return;
    const id = ++this.#seq;
    this.previewing = true;
    this.previewFailed = false;
    try {
      const inst = await this.#loadInstitution();
      const request: PreviewRequest = {
        id, bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name, kind: this.kind, lang, today: jstToday(new Date()),
        institution: inst as unknown as InstitutionForRules, maxBytes: inst.uploadRules.maxBytes, maxLines: inst.uploadRules.maxLines, w227IsError: inst.uploadRules.w227IsError,
      };
      const answer = await this.#ask(request);
      if (id !== this.#seq) return;
      if ('failed' in answer) this.previewFailed = true;
      else this.preview = answer.preview;
    } catch {
      if (id === this.#seq) this.previewFailed = true;
    } finally {
      if (id === this.#seq) this.previewing = false;
    }
  }

  /** Sends the file (after the checklist); then loads the recorded result table. */
  async submit(lang: 'ja' | 'en'): Promise<void> {
    if (!this.file || !this.allReviewed) return;
    this.submitting = true;
    this.error = null;
    try {
      this.answer = await this.#deps.submit({ file: this.file, kind: this.kind, mode: this.mode, lang });
      if (this.answer.upload !== null) this.result = await this.#deps.result(this.answer.upload);
    } catch (e) {
      this.error = e as ApiError;
    } finally {
      this.submitting = false;
    }
  }

  /** Back to an empty form for the next file (kind and mode stay). */
  reset(): void {
    this.file = null;
    this.preview = null;
    this.answer = null;
    this.result = null;
    this.error = null;
    this.reviewed = REVIEW_ITEMS.map(() => false);
  }

  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }

  #loadInstitution(): Promise<InstitutionDetailJson> {
    this.#institution ??= this.#deps.institution().catch((e) => {
      this.#institution = null;
      throw e;
    });
    return this.#institution;
  }

  #ask(request: PreviewRequest): Promise<PreviewAnswer> {
    const worker = (this.#worker ??= this.#deps.worker());
    return new Promise((resolve, reject) => {
      const onMessage = (e: MessageEvent<PreviewAnswer>) => {
        if (e.data.id !== request.id) return;
        worker.removeEventListener('message', onMessage);
        resolve(e.data);
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', reject, { once: true });
      worker.postMessage(request, [request.bytes.buffer]);
    });
  }
}
