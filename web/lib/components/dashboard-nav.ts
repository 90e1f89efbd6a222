/**
 * The navigation of a dashboard (officer pages; issue 13 adds the operator's and its own officer
 * entries): a list of links, each a message key, with how it matches the current path.
 */
import type { PlainMessageKey } from '$lib/i18n/index.ts';

export interface NavItem {
  readonly href: string;
  readonly label: PlainMessageKey;
  /** Other path prefixes that belong to this entry (e.g. an upload's result under "Requests"). */
  readonly also?: readonly string[];
  /** Only this exact path (a dashboard's home), and the `also` prefixes. */
  readonly exact?: boolean;
}

/** Whether `item` is the current page's entry. */
export function isCurrent(item: NavItem, path: string): boolean {
  const norm = path.replace(/\/+$/, '') || '/';
  const under = (p: string) => norm === p || norm.startsWith(p + '/');
  if (item.exact) return norm === item.href || (item.also ?? []).some(under);
  return [item.href, ...(item.also ?? [])].some(under);
}
