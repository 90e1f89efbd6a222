/**
 * What one tool page hands to the next within the single-page app (nothing leaves the browser): an
 * information file opened on the start page for the viewer, the notice of a file opened as a draft.
 */
import type { InfoFileTable, TsvEncoding } from '$domain/tsv/index.ts';

/** A request file opened as a new draft: what the editor tells the user about it. */
export interface OpenedNotice {
  readonly fileName: string;
  readonly encoding: TsvEncoding;
  readonly rowCount: number;
  readonly blankLines: number;
}

export const handoff: { view: { fileName: string; info: InfoFileTable } | null; opened: OpenedNotice | null } = { view: null, opened: null };
