/** Pickup area, the pickup page (/pickup/<token>): steps, PIN, format, progress, download, backup, confirmation — the happy path. */
import { defineMessages } from '../define.ts';
import { pickupPageEn } from './pickup-page.en.ts';
import { pickupPageJa } from './pickup-page.ja.ts';

export const pickupPageMessages = defineMessages({ ja: pickupPageJa, en: pickupPageEn });
