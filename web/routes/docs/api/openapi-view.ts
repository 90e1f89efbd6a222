/**
 * Reading an OpenAPI 3.1 document for the reference page (`/docs/api`): operations grouped by tag,
 * and one line of text for a schema's type (refs become links to the schema's section). Pure, so
 * the page stays small and this is unit-tested.
 */

export type Json = Record<string, unknown>;

export interface Operation {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly tag: string;
  readonly op: Json;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation of the document, by tag in the document's tag order, paths in document order. */
export function operationsByTag(doc: Json): { tag: string; description: string; operations: Operation[] }[] {
  const tags = ((doc.tags as { name: string; description?: string }[] | undefined) ?? []).map((t) => ({ tag: t.name, description: t.description ?? '', operations: [] as Operation[] }));
  const byName = new Map(tags.map((t) => [t.tag, t]));
  for (const [path, item] of Object.entries((doc.paths as Record<string, Json>) ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const tag = ((op.tags as string[] | undefined) ?? ['Other'])[0]!;
      if (!byName.has(tag)) byName.set(tag, tags[tags.push({ tag, description: '', operations: [] }) - 1]!);
      byName.get(tag)!.operations.push({ id: String(op.operationId ?? `${method}-${path}`), method, path, tag, op });
    }
  }
  return tags.filter((t) => t.operations.length > 0);
}

/** The name of a `#/components/schemas/X` reference, or null. */
export function refName(schema: unknown): string | null {
  const ref = (schema as Json | null)?.$ref;
  return typeof ref === 'string' && ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : null;
}

/** A schema in one line: `string, 1–40 digits`, `integer 1–200`, `"a" | "b"`, `array of X`, `X | null`. */
export function typeText(schema: unknown): { text: string; ref: string | null } {
  const s = (schema ?? {}) as Json;
  const ref = refName(s);
  if (ref) return { text: ref, ref };
  for (const key of ['anyOf', 'oneOf'] as const) {
    const parts = s[key] as unknown[] | undefined;
    if (parts) {
      const texts = parts.map(typeText);
      return { text: texts.map((x) => x.text).join(' | '), ref: texts.find((x) => x.ref)?.ref ?? null };
    }
  }
  if (Array.isArray(s.enum)) return { text: s.enum.map((v) => JSON.stringify(v)).join(' | '), ref: null };
  if ('const' in s) return { text: JSON.stringify(s.const), ref: null };
  const types = (Array.isArray(s.type) ? s.type : [s.type ?? 'any']) as string[];
  const base = types.filter((t) => t !== 'null');
  if (base.length === 0) return { text: 'null', ref: null };
  let text = base.join(' | ');
  if (base.includes('array')) {
    const item = typeText(s.items);
    return { text: `array of ${item.text}${types.includes('null') ? ' | null' : ''}`, ref: item.ref };
  }
  const range = [s.minimum ?? s.minLength, s.maximum ?? s.maxLength];
  if (range[0] !== undefined || range[1] !== undefined) text += ` ${range[0] ?? ''}–${range[1] ?? ''}${s.minLength !== undefined || s.maxLength !== undefined ? ' chars' : ''}`;
  if (typeof s.format === 'string') text += ` (${s.format})`;
  if (typeof s.pattern === 'string') text += ` /${s.pattern}/`;
  if (types.includes('null')) text += ' | null';
  return { text, ref: null };
}

export interface Property {
  readonly name: string;
  readonly type: { text: string; ref: string | null };
  readonly required: boolean;
  readonly description: string;
  readonly example: string | null;
}

/** The properties of an object schema (empty for anything else). */
export function propertiesOf(schema: unknown): Property[] {
  const s = (schema ?? {}) as Json;
  const props = (s.properties as Record<string, Json> | undefined) ?? {};
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, p]) => ({
    name,
    type: typeText(p),
    required: required.has(name),
    description: typeof p.description === 'string' ? p.description : '',
    example: p.example === undefined ? null : JSON.stringify(p.example),
  }));
}

/** `/api/officer/certificates/{serial}` → an anchor id. */
export function anchorOf(op: Operation): string {
  return `op-${op.id}`;
}

/** A description's text in pieces: `code` spans (between backticks) and plain text. */
export function segments(text: string): { readonly code: boolean; readonly text: string }[] {
  return text.split('`').map((t, i) => ({ code: i % 2 === 1, text: t })).filter((s) => s.text !== '');
}

/** A description as paragraphs and lists (lines starting with "- "). */
export function blocks(text: string): { readonly list: boolean; readonly lines: string[] }[] {
  const out: { list: boolean; lines: string[] }[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const list = line.startsWith('- ');
    const last = out.at(-1);
    if (list && last?.list) last.lines.push(line.slice(2));
    else out.push({ list, lines: [list ? line.slice(2) : line] });
  }
  return out;
}
