/**
 * What every officer read shares (spec 06 §Authentication: an officer sees their own institution
 * only; §Dashboard: tables paginate on the server and stay fast at 100,000 certificates).
 */
import { MAX_PAGED_ROWS } from '../domain/api/common.ts';
import { HakkoError } from '../errors.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';

/** The officer's institution id; operators have none here (their pages are issue 13's). */
export function institutionOf(officer: AuthenticatedOfficer): number {
  if (officer.institutionId === null) throw new HakkoError('NOT_AN_OFFICER');
  return officer.institutionId;
}

/** `(page - 1) × size`, refused beyond the deepest row a list pages to (common.ts `MAX_PAGED_ROWS`). */
export function pageOffset(page: number, size: number): number {
  const offset = (page - 1) * size;
  if (offset + size > MAX_PAGED_ROWS) throw new HakkoError('PAGE_TOO_DEEP');
  return offset;
}
