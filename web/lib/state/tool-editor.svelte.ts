/**
 * One draft open in the TSV tool's editor (spec 07 §Creating): the rows (replaced, never mutated:
 * `$state.raw`), the selected row, undo/redo, validation in the worker after every change and the
 * automatic save to the tool store.
 */
import type { InstitutionProfile } from '$domain/institution.ts';
import type { TsvKind } from '$domain/tsv/index.ts';
import { RowHistory } from '../tool/history.ts';
import { fifteen, newRow, type Row } from '../tool/rows.ts';
import type { ValidationSummary } from '../tool/validation.ts';
import type { ToolValidator } from '../tool/validator.ts';
import type { Draft, ToolStore } from '../storage/tool-store.ts';

type Rows = readonly Row[];

/** Saved: in the store; pending: a change waits for the save; memory: kept only for this session. */
export type SaveState = 'saved' | 'pending' | 'memory';

const VALIDATE_DELAY_MS = 60;
const SAVE_DELAY_MS = 400;

export class ToolEditor {
  readonly id: string;
  name = $state('');
  kind: TsvKind = $state('issue');
  rows: Rows = $state.raw([]);
  /** Index of the row the form edits; -1 when there are no rows. */
  selected = $state(-1);
  summary: ValidationSummary | null = $state.raw(null);
  /** A change has not been validated yet. */
  checking = $state(false);
  saveState: SaveState = $state('saved');
  savedAt: Date | null = $state(null);
  canUndo = $state(false);
  canRedo = $state(false);

  readonly #store: ToolStore;
  readonly #validator: ToolValidator;
  readonly #profile: InstitutionProfile | null;
  readonly #history = new RowHistory();
  readonly #draft: Draft;
  #full = true;
  #patches = new Map<number, Row>();
  #validateTimer: ReturnType<typeof setTimeout> | null = null;
  #saveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(store: ToolStore, validator: ToolValidator, draft: Draft, profile: InstitutionProfile | null) {
    this.#store = store;
    this.#validator = validator;
    this.#profile = profile;
    this.#draft = draft;
    this.id = draft.id;
    this.name = draft.name;
    this.kind = draft.kind;
    this.rows = draft.rows;
    this.selected = draft.rows.length > 0 ? 0 : -1;
    this.saveState = store.persistent ? 'saved' : 'memory';
    this.#scheduleValidation(0);
  }

  get profile(): InstitutionProfile | null {
    return this.#profile;
  }

  /** The file the draft was opened from and how it was read, if any. */
  get source(): Draft['source'] {
    return this.#draft.source;
  }

  /** Sets one value (column 1–15) of row `index`; typing in one field merges into one undo step. */
  setCell(index: number, column: number, value: string): void {
    const row = this.rows[index];
    if (!row || row[column - 1] === value) return;
    const next = fifteen(row);
    next[column - 1] = value;
    this.#change(this.rows.with(index, next), `${index}:${column}`, [index]);
  }

  /** Replaces a whole row (the DN builder writes column 1, the S/MIME helper CN and mail …). */
  setRow(index: number, row: Row): void {
    if (!this.rows[index]) return;
    this.#change(this.rows.with(index, fifteen(row)), null, [index]);
  }

  /** Adds a new row after the selected one (or at the end) and selects it. */
  addRow(): void {
    const at = this.selected < 0 ? this.rows.length : this.selected + 1;
    const above = at > 0 ? (this.rows[at - 1] ?? null) : null;
    this.#change(this.rows.toSpliced(at, 0, newRow(this.kind, this.#profile, above)), null);
    this.selected = at;
  }

  duplicate(): void {
    const row = this.rows[this.selected];
    if (!row) return;
    this.#change(this.rows.toSpliced(this.selected + 1, 0, [...row]), null);
    this.selected += 1;
  }

  remove(): void {
    if (!this.rows[this.selected]) return;
    this.#change(this.rows.toSpliced(this.selected, 1), null);
    this.selected = Math.min(this.selected, this.rows.length - 1);
  }

  /** Moves the selected row up (-1) or down (+1). */
  move(delta: -1 | 1): void {
    const to = this.selected + delta;
    const row = this.rows[this.selected];
    if (!row || to < 0 || to >= this.rows.length) return;
    this.#change(this.rows.toSpliced(this.selected, 1).toSpliced(to, 0, row), null);
    this.selected = to;
  }

  /** Appends rows (paste, import) and selects the first of them. */
  appendRows(rows: Rows): void {
    if (rows.length === 0) return;
    const first = this.rows.length;
    this.#change([...this.rows, ...rows], null);
    this.selected = first;
  }

  /** Replaces every row at once (the viewer's renewal rows, a restored backup). */
  replaceAll(rows: Rows): void {
    this.#change(rows, null);
    this.selected = rows.length > 0 ? 0 : -1;
  }

  setKind(kind: TsvKind): void {
    if (kind === this.kind) return;
    this.kind = kind;
    this.#full = true;
    this.#scheduleValidation(0);
    this.#scheduleSave();
  }

  rename(name: string): void {
    this.name = name;
    this.#scheduleSave();
  }

  undo(): void {
    this.#restore(this.#history.undo(this.rows));
  }

  redo(): void {
    this.#restore(this.#history.redo(this.rows));
  }

  /** Ends the merging of keystrokes into one undo step (a field lost focus). */
  sealHistory(): void {
    this.#history.seal();
  }

  /** Saves now (leaving the page, exporting). */
  async flush(): Promise<void> {
    if (this.#saveTimer !== null) clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    await this.#save();
  }

  dispose(): void {
    if (this.#validateTimer !== null) clearTimeout(this.#validateTimer);
  }

  #restore(rows: Rows | null): void {
    if (rows === null) return;
    this.rows = rows;
    this.selected = Math.min(Math.max(this.selected, 0), rows.length - 1);
    this.#full = true;
    this.#afterChange();
  }

  #change(next: Rows, mergeKey: string | null, patched?: readonly number[]): void {
    this.#history.record(this.rows, mergeKey);
    this.rows = next;
    if (patched && !this.#full) for (const i of patched) this.#patches.set(i, next[i]!);
    else this.#full = true;
    this.#afterChange();
  }

  #afterChange(): void {
    this.canUndo = this.#history.canUndo;
    this.canRedo = this.#history.canRedo;
    this.checking = true;
    this.#scheduleValidation(VALIDATE_DELAY_MS);
    this.#scheduleSave();
  }

  #scheduleValidation(delay: number): void {
    this.checking = true;
    if (this.#validateTimer !== null) clearTimeout(this.#validateTimer);
    this.#validateTimer = setTimeout(() => void this.#validate(), delay);
  }

  async #validate(): Promise<void> {
    this.#validateTimer = null;
    const change = this.#full ? { rows: this.rows } : { patches: [...this.#patches].map(([index, row]) => ({ index, row })) };
    this.#full = false;
    this.#patches = new Map();
    const summary = await this.#validator.validate(this.kind, this.#profile, change);
    if (summary === null) return;
    this.summary = summary;
    this.checking = this.#validateTimer !== null;
    this.#scheduleSave();
  }

  #scheduleSave(): void {
    if (this.saveState !== 'memory') this.saveState = 'pending';
    if (this.#saveTimer !== null) clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => void this.flush(), SAVE_DELAY_MS);
  }

  async #save(): Promise<void> {
    const now = new Date();
    const s = this.summary;
    await this.#store.putDraft({
      ...this.#draft, name: this.name, kind: this.kind, rows: this.rows, rowCount: this.rows.length,
      errors: s?.errors ?? null, warnings: s?.warnings ?? null, updatedAt: now.toISOString(),
    });
    this.saveState = this.#store.persistent ? 'saved' : 'memory';
    this.savedAt = now;
  }
}
