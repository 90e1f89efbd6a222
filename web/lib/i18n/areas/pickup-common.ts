/** Pickup area, shared part: page titles, the loading line and the request summary of the PIN, pickup and check pages. */
import { defineMessages } from '../define.ts';
import { pickupCommonEn } from './pickup-common.en.ts';
import { pickupCommonJa } from './pickup-common.ja.ts';

export const pickupCommonMessages = defineMessages({ ja: pickupCommonJa, en: pickupCommonEn });
