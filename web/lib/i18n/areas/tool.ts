/** Messages of The offline TSV tool (/tool). */
import { defineMessages } from '../define.ts';

export const toolMessages = defineMessages({
  ja: {},
  en: {},
});
