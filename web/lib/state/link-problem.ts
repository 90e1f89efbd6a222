/**
 * Answers that end a PIN or pickup link's use (spec 04 §HTTP API): the page replaces its content
 * with a page of its own for each — what happened and what to do — instead of a message beside a
 * form. Everything else (a wrong PIN, a network failure, a refused CSR) is shown where it happened.
 */
import { ApiError } from '../api/client.ts';

/** The link-level outcomes, each with its own page text. */
export type LinkProblem =
  | 'NOT_FOUND'
  | 'ALREADY_USED'
  | 'COMPLETED'
  | 'EXPIRED'
  | 'CANCELLED'
  | 'REISSUED'
  | 'LOCKED'
  | 'PIN_NOT_RETRIEVED';

const LINK_PROBLEMS: ReadonlySet<string> = new Set<LinkProblem>(['NOT_FOUND', 'ALREADY_USED', 'COMPLETED', 'EXPIRED', 'CANCELLED', 'REISSUED', 'LOCKED', 'PIN_NOT_RETRIEVED']);

/** The link problem an API error stands for, or null when it is not one. */
export function linkProblemOf(error: unknown): LinkProblem | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 404) return 'NOT_FOUND';
  return LINK_PROBLEMS.has(error.code) ? (error.code as LinkProblem) : null;
}
