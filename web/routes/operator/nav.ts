/** The operator console's navigation (spec 06 §Operator, issue 13). */
import type { NavItem } from '$lib/components/dashboard-nav.ts';

export const OPERATOR_NAV: readonly NavItem[] = [
  { href: '/operator', label: 'op.nav.institutions', exact: true, also: ['/operator/institutions'] },
  { href: '/operator/officers', label: 'op.nav.officers' },
  { href: '/operator/ca', label: 'op.nav.ca' },
  { href: '/operator/settings', label: 'op.nav.settings' },
  { href: '/operator/audit', label: 'op.nav.audit' },
  { href: '/docs/api', label: 'op.nav.api' },
];
