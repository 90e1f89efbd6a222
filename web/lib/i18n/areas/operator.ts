/** Messages of The operator console (/operator). */
import { defineMessages } from '../define.ts';

export const operatorMessages = defineMessages({
  ja: {},
  en: {},
});
