/**
 * The pickup area: messages of the PIN URL and pickup pages (/pin/<token>, /pickup/<token>: methods
 * 1, 2, 3 and officer/operator enrollment), the link problem pages they share, and the "check my
 * certificate" page (/check). Kept in parts so that each page loads only its own texts (spec 08:
 * the pickup page's JavaScript budget): pages register the parts they show, and the pickup page
 * loads an import guide only when it shows it. This file joins the parts for the catalogue
 * (all.ts) and the key types (messages.ts); pages never import it.
 */
import { defineMessages } from '../define.ts';
import { checkPageMessages } from './check-page.ts';
import { linkProblemMessages } from './link-problems.ts';
import { pickupCommonMessages } from './pickup-common.ts';
import { pickupPageMessages } from './pickup-page.ts';
import { pickupPasswordMessages } from './pickup-password.ts';
import { pickupTroubleMessages } from './pickup-trouble.ts';
import { pinPageMessages } from './pin-page.ts';
import { guideMessages as android } from './pickup-guide/android.ts';
import { guideMessages as chromeos } from './pickup-guide/chromeos.ts';
import { guideMessages as firefox } from './pickup-guide/firefox.ts';
import { guideMessages as generic } from './pickup-guide/generic.ts';
import { guideMessages as ios } from './pickup-guide/ios.ts';
import { guideMessages as linux } from './pickup-guide/linux.ts';
import { guideMessages as macos } from './pickup-guide/macos.ts';
import { guideMessages as windows } from './pickup-guide/windows.ts';

export const pickupMessages = defineMessages({
  ja: {
    ...pickupCommonMessages.ja, ...linkProblemMessages.ja, ...pinPageMessages.ja, ...pickupPageMessages.ja, ...pickupPasswordMessages.ja, ...pickupTroubleMessages.ja, ...checkPageMessages.ja,
    ...firefox.ja, ...windows.ja, ...macos.ja, ...ios.ja, ...android.ja, ...linux.ja, ...chromeos.ja, ...generic.ja,
  },
  en: {
    ...pickupCommonMessages.en, ...linkProblemMessages.en, ...pinPageMessages.en, ...pickupPageMessages.en, ...pickupPasswordMessages.en, ...pickupTroubleMessages.en, ...checkPageMessages.en,
    ...firefox.en, ...windows.en, ...macos.en, ...ios.en, ...android.en, ...linux.en, ...chromeos.en, ...generic.en,
  },
});
