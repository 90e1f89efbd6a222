/**
 * The officer dashboard's navigation (spec 06 §Dashboard). Issue 13 adds its entries here
 * (statistics, mail, audit) — one line each, with its page under web/routes/officer/.
 */
import type { NavItem } from '$lib/components/dashboard-nav.ts';

export const OFFICER_NAV: readonly NavItem[] = [
  { href: '/officer', label: 'officer.nav.home', exact: true },
  { href: '/officer/upload', label: 'officer.nav.upload' },
  { href: '/officer/requests', label: 'officer.nav.requests', also: ['/officer/uploads'] },
  { href: '/officer/certificates', label: 'officer.nav.certificates' },
  { href: '/officer/downloads', label: 'officer.nav.downloads' },
  { href: '/officer/allowlist', label: 'officer.nav.allowlist' },
  { href: '/officer/statistics', label: 'officer.nav.statistics' },
  { href: '/officer/mails', label: 'officer.nav.mails' },
  { href: '/officer/audit', label: 'officer.nav.audit' },
  { href: '/docs/api', label: 'officer.nav.api' },
];
