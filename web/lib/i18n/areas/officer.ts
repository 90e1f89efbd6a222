/** Messages of The officer dashboard (/officer). */
import { defineMessages } from '../define.ts';

export const officerMessages = defineMessages({
  ja: {},
  en: {},
});
