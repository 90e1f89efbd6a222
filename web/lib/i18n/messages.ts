/**
 * The type of the whole catalogue: every area's keys and Japanese literals (type-only imports, so
 * nothing here reaches a bundle). A new area: add its file under `areas/`, one line here and one in
 * `all.ts`.
 */
import type { shellMessages } from './areas/shell.ts';
import type { pickupMessages } from './areas/pickup.ts';
import type { officerMessages } from './areas/officer.ts';
import type { operatorMessages } from './areas/operator.ts';
import type { toolMessages } from './areas/tool.ts';
import type { dashboardMessages } from './areas/dashboard.ts';
import type { insightsMessages } from './areas/insights.ts';
import type { bulkMessages } from './areas/bulk.ts';

/** Every Japanese text by key: the source of the key set and of the placeholder names. */
export type AllJa = typeof shellMessages.ja &
  typeof pickupMessages.ja &
  typeof officerMessages.ja &
  typeof operatorMessages.ja &
  typeof toolMessages.ja &
  typeof dashboardMessages.ja &
  typeof insightsMessages.ja &
  typeof bulkMessages.ja;

/** A message key of any area. */
export type MessageKey = keyof AllJa & string;

/** The shape of a whole catalogue in one language. */
export type Catalogue = { readonly [K in MessageKey]: string };
