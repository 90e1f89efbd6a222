/** The TSV problem catalogue and its renderer (spec 02 §Error messages): the one import for server, dashboard and tool. */
export { PROBLEM_CODES, PROBLEM_CATALOGUE, isProblemCode } from './catalogue.ts';
export type { ProblemCode, ProblemScope, CatalogueEntry } from './catalogue.ts';
export { COL, COLUMN_NAMES, columnName } from './columns.ts';
export type { Lang, LocalText, ColumnNumber } from './columns.ts';
export { PROBLEM_DETAILS } from './details.ts';
export type { DetailKey } from './details.ts';
export { describeChars, problemText, formatProblem, problemLevel, toProblem } from './format.ts';
export type { DnAttr, ProblemParams, Finding, Problem } from './format.ts';
