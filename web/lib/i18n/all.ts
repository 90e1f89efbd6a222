/**
 * Every message area at once, for tests and tools that need the whole catalogue (completeness
 * checks, e2e tests reading the expected texts). Pages never import this: they register their
 * own area (define.ts).
 */
import type { MessageArea } from './define.ts';
import type { Catalogue } from './messages.ts';
import { shellMessages } from './areas/shell.ts';
import { pickupMessages } from './areas/pickup.ts';
import { officerMessages } from './areas/officer.ts';
import { operatorMessages } from './areas/operator.ts';
import { toolMessages } from './areas/tool.ts';
import { dashboardMessages } from './areas/dashboard.ts';
import { insightsMessages } from './areas/insights.ts';
import { bulkMessages } from './areas/bulk.ts';

export const AREAS: Readonly<Record<string, MessageArea<Readonly<Record<string, string>>>>> = {
  shell: shellMessages,
  pickup: pickupMessages,
  officer: officerMessages,
  operator: operatorMessages,
  tool: toolMessages,
  dashboard: dashboardMessages,
  insights: insightsMessages,
  bulk: bulkMessages,
};

/** The whole Japanese catalogue. */
export const ja = Object.assign({}, ...Object.values(AREAS).map((a) => a.ja)) as Catalogue;
/** The whole English catalogue. */
export const en = Object.assign({}, ...Object.values(AREAS).map((a) => a.en)) as Catalogue;
