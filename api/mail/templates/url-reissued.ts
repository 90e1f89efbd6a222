/**
 * URL re-issued (spec 05 table; spec 01 §Lifetimes): the PIN notice or the pickup notice again, with
 * the new URL, marked 再発行 / re-issued in subject and body. Recipients as for the originals.
 */
import type { PickupNoticeData } from './pickup-notice.ts';
import { renderPickupNotice } from './pickup-notice.ts';
import type { PinNoticeData } from './pin-notice.ts';
import { renderPinNotice } from './pin-notice.ts';
import type { RenderedMail, RenderOptions } from './types.ts';
import { DEFAULT_RENDER_OPTIONS } from './types.ts';

/** `variant` picks which of the two notices is re-sent; the rest is that notice's data. */
export type UrlReissuedData =
  | ({ readonly variant: 'pin' } & PinNoticeData)
  | ({ readonly variant: 'pickup' } & PickupNoticeData);

/** Renders the re-issued PIN or pickup notice. */
export function render(data: UrlReissuedData, options: RenderOptions = DEFAULT_RENDER_OPTIONS): RenderedMail {
  return data.variant === 'pin' ? renderPinNotice(data, options, true) : renderPickupNotice(data, options, true);
}
