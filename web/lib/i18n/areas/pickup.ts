/** Messages of The PIN URL and pickup pages (/pin/<token>, /pickup/<token>): methods 1, 2, 3 and enrollment. */
import { defineMessages } from '../define.ts';

export const pickupMessages = defineMessages({
  ja: {},
  en: {},
});
