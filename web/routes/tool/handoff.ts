/**
 * What one tool page hands to the next within the single-page app (nothing leaves the browser): a
 * file opened on the start page for the viewer, the notice of a file opened as a draft.
 */
import type { FileRead } from '$lib/tool/file-read.ts';

export interface OpenedFile {
  readonly fileName: string;
  readonly file: Extract<FileRead, { ok: true }>;
}

export const handoff: { view: OpenedFile | null; opened: OpenedFile | null } = { view: null, opened: null };
