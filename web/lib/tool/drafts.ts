/**
 * Making drafts: new ones of a kind, from an opened file, from a backup; and the backup file itself
 * (spec 07 §Creating: drafts deletable and exportable as a backup). A backup is JSON holding the
 * rows exactly as they are — errors and all — so nothing is lost on the way.
 */
import type { InstitutionProfile } from '$domain/institution.ts';
import { TSV_KINDS, type TsvEncoding, type TsvKind } from '$domain/tsv/index.ts';
import type { Draft } from '../storage/tool-store.ts';
import { newRow } from './rows.ts';

const BACKUP_FORMAT = 'hakko-tool-draft';

/** A fresh draft; `rows` default to one new row prefilled from the profile. */
export function makeDraft(
  name: string,
  kind: TsvKind,
  now: Date,
  options: { rows?: readonly (readonly string[])[]; profile?: InstitutionProfile | null; source?: { fileName: string; encoding: TsvEncoding | null } } = {},
): Draft {
  const rows = options.rows ?? [newRow(kind, options.profile ?? null, null)];
  const at = now.toISOString();
  return {
    id: crypto.randomUUID(), name, kind, rows, rowCount: rows.length, errors: null, warnings: null,
    createdAt: at, updatedAt: at, source: options.source ?? null,
  };
}

/** The backup file's text. */
export function backupJson(d: Draft): string {
  return JSON.stringify({ format: BACKUP_FORMAT, version: 1, name: d.name, kind: d.kind, createdAt: d.createdAt, updatedAt: d.updatedAt, rows: d.rows }, null, 1);
}

/** A backup read back: name, kind and rows, or null when the text is not one. */
export function readBackup(text: string): { name: string; kind: TsvKind; rows: string[][] } | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const b = v as Record<string, unknown>;
  if (b.format !== BACKUP_FORMAT || typeof b.name !== 'string' || !TSV_KINDS.includes(b.kind as TsvKind)) return null;
  if (!Array.isArray(b.rows) || !b.rows.every((r) => Array.isArray(r) && r.every((c) => typeof c === 'string'))) return null;
  return { name: b.name, kind: b.kind as TsvKind, rows: b.rows as string[][] };
}

/** A file name for a backup: the draft name made safe, and `.json`. */
export function backupFileName(name: string): string {
  const safe = name.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 60) || 'draft';
  return `${safe}.hakko-draft.json`;
}
