/**
 * The one list of notifications (spec 05 §Which mail goes to whom): mail kind → template data type
 * and render function. The outbox stores `{kind, data}` and renders with {@link renderMail}.
 */
import * as expiryReminder from './expiry-reminder.ts';
import type { ExpiryReminderData } from './expiry-reminder.ts';
import * as officerEnrollment from './officer-enrollment.ts';
import type { OfficerEnrollmentData } from './officer-enrollment.ts';
import * as pickupCompleted from './pickup-completed.ts';
import type { PickupCompletedData } from './pickup-completed.ts';
import * as pickupNotice from './pickup-notice.ts';
import type { PickupNoticeData } from './pickup-notice.ts';
import * as pinNotice from './pin-notice.ts';
import type { PinNoticeData } from './pin-notice.ts';
import * as renewalPickupCompleted from './renewal-pickup-completed.ts';
import type { RenewalPickupCompletedData } from './renewal-pickup-completed.ts';
import * as revocationCompleted from './revocation-completed.ts';
import type { RevocationCompletedData } from './revocation-completed.ts';
import * as revokeOldReminder from './revoke-old-reminder.ts';
import type { RevokeOldReminderData } from './revoke-old-reminder.ts';
import type { RenderedMail, RenderOptions } from './types.ts';
import { DEFAULT_RENDER_OPTIONS } from './types.ts';
import * as urlReissued from './url-reissued.ts';
import type { UrlReissuedData } from './url-reissued.ts';

/** Template data by mail kind. */
export interface MailDataByKind {
  'pin-notice': PinNoticeData;
  'pickup-notice': PickupNoticeData;
  'pickup-completed': PickupCompletedData;
  'renewal-pickup-completed': RenewalPickupCompletedData;
  'revocation-completed': RevocationCompletedData;
  'url-reissued': UrlReissuedData;
  'revoke-old-reminder': RevokeOldReminderData;
  'expiry-reminder': ExpiryReminderData;
  'officer-enrollment': OfficerEnrollmentData;
}

export type MailKind = keyof MailDataByKind;

type Renderers = { readonly [K in MailKind]: (data: MailDataByKind[K], options: RenderOptions) => RenderedMail };

const RENDERERS: Renderers = {
  'pin-notice': pinNotice.render,
  'pickup-notice': pickupNotice.render,
  'pickup-completed': pickupCompleted.render,
  'renewal-pickup-completed': renewalPickupCompleted.render,
  'revocation-completed': revocationCompleted.render,
  'url-reissued': urlReissued.render,
  'revoke-old-reminder': revokeOldReminder.render,
  'expiry-reminder': expiryReminder.render,
  'officer-enrollment': officerEnrollment.render,
};

/** Every mail kind, in the order of the spec 05 table. */
export const MAIL_KINDS: readonly MailKind[] = Object.keys(RENDERERS) as MailKind[];

/** True when `s` names a template (for data read back from the outbox). */
export function isMailKind(s: string): s is MailKind {
  return Object.hasOwn(RENDERERS, s);
}

/** Renders the mail of `kind` from its data. Pure: same data, same bytes. */
export function renderMail<K extends MailKind>(kind: K, data: MailDataByKind[K], options: RenderOptions = DEFAULT_RENDER_OPTIONS): RenderedMail {
  const render = RENDERERS[kind] as (data: MailDataByKind[K], options: RenderOptions) => RenderedMail;
  return render(data, options);
}

export type {
  ExpiryReminderData, OfficerEnrollmentData, PickupCompletedData, PickupNoticeData, PinNoticeData,
  RenewalPickupCompletedData, RevocationCompletedData, RevokeOldReminderData, UrlReissuedData,
};
