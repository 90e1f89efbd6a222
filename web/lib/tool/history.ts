/**
 * Undo and redo for the row table (spec 07 §Creating: "undo"): snapshots of the row list (the row
 * arrays are never mutated, so a snapshot is one array of references). Consecutive edits of the same
 * field merge into one step, so undo takes back a word, not a keystroke.
 */
type Rows = readonly (readonly string[])[];

export class RowHistory {
  readonly #limit: number;
  #undo: { rows: Rows; key: string | null }[] = [];
  #redo: Rows[] = [];

  constructor(limit = 200) {
    this.#limit = limit;
  }

  /**
   * Remember `before` as the state to go back to. `mergeKey` (e.g. "row 3, column 8") merges this
   * step into the previous one when both carry the same key.
   */
  record(before: Rows, mergeKey: string | null = null): void {
    this.#redo = [];
    const last = this.#undo.at(-1);
    if (mergeKey !== null && last?.key === mergeKey) return;
    this.#undo.push({ rows: before, key: mergeKey });
    if (this.#undo.length > this.#limit) this.#undo.shift();
  }

  /** Ends merging: the next edit of the same field is a step of its own. */
  seal(): void {
    const last = this.#undo.at(-1);
    if (last) last.key = null;
  }

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  /** The rows to show after undo, given the rows shown now; null when there is nothing to undo. */
  undo(current: Rows): Rows | null {
    const step = this.#undo.pop();
    if (!step) return null;
    this.#redo.push(current);
    return step.rows;
  }

  redo(current: Rows): Rows | null {
    const rows = this.#redo.pop();
    if (!rows) return null;
    this.#undo.push({ rows: current, key: null });
    return rows;
  }
}
