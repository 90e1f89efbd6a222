/**
 * Wire schemas shared by every part of the HTTP API (spec 04 §HTTP API, spec 06 §API): the error
 * body, bilingual texts, problems, ids, serials, paging. Plain zod with `.meta()`: the server
 * validates with them and generates the OpenAPI document from them (api/http/openapi.ts); the web app
 * imports their types only (`import type`), so zod never reaches a bundle.
 */
import { z } from 'zod';

/** A text in both languages (spec 04 §Language). */
export const Localized = z.object({ ja: z.string(), en: z.string() }).meta({ id: 'Localized', description: 'The same text in Japanese and English.' });

/** Every error answer: a stable code, the message in both languages, and sometimes more fields. */
export const ErrorBody = z
  .looseObject({
    code: z.string().meta({ description: 'Stable upper-snake code (see the examples of each answer).', example: 'NOT_FOUND' }),
    message: Localized,
  })
  .meta({ id: 'Error', description: 'Error answer: stable `code`, the message in Japanese and English; some codes add fields (`attemptsLeft`, `issues`, `problems`, `reason`).' });

/** One problem of a TSV validation (spec README `tsv check --json`, spec 06 upload answer). */
export const Problem = z
  .object({
    code: z.string().meta({ example: '212' }),
    level: z.enum(['error', 'warning']),
    line: z.number().int().meta({ description: '1-based physical line; 0 for file-level problems.', example: 1 }),
    column: z.number().int().meta({ description: '1-based column; 0 for file-level problems.', example: 1 }),
    message: z.string().meta({ example: '212:1,主体者DN,指定したDNはすでに存在しています。' }),
  })
  .meta({ id: 'Problem', description: 'A TSV problem as `CODE:COLUMN,ITEM,TEXT` in the upload language (spec 02 §Error messages).' });

/** Database ids travel as decimal strings (spec 04: ids are strings everywhere). */
export const IdString = z.string().regex(/^[1-9][0-9]{0,17}$/).meta({ description: 'Id (decimal string).', example: '42' });

/** Certificate serial numbers: decimal, ≤ 40 digits (spec 02 §Value rules). */
export const SerialString = z.string().regex(/^[0-9]{1,40}$/).meta({ description: 'Serial number in decimal.', example: '135792468013579246801357924680' });

/** ISO 8601 UTC time. */
export const Time = z.string().meta({ description: 'ISO 8601 time in UTC.', example: '2026-04-01T00:00:00.000Z' });

export const Lang = z.enum(['ja', 'en']);

/** Page size limit of every list (spec 06: `size` ≤ 200). */
export const MAX_PAGE_SIZE = 200;

/**
 * Deepest row a list pages to (`page × size`): offsets cost in proportion to their depth, so paging
 * stops here and a search narrows the list (spec 06 §Dashboard: fast at 100,000 certificates).
 */
export const MAX_PAGED_ROWS = 100_000;

/** `page` (from 1) and `size` (1–200, default 50) of a list query. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).meta({ description: 'Page number, from 1.', example: 1 }),
  size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50).meta({ description: `Rows per page, 1–${MAX_PAGE_SIZE}.`, example: 50 }),
});

/** The paging fields of a list answer. */
export const PageFields = {
  total: z.number().int().meta({ description: 'Rows matching the query in all.' }),
  page: z.number().int(),
  size: z.number().int(),
};

export type LocalizedText = z.infer<typeof Localized>;
export type ProblemJson = z.infer<typeof Problem>;
