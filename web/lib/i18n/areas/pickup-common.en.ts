/** Pickup area, shared part, in English (the same keys and placeholders as pickup-common.ja.ts). */
import type { pickupCommonJa } from './pickup-common.ja.ts';

export const pickupCommonEn: { readonly [K in keyof typeof pickupCommonJa]: string } = {
  'pin.title': 'Retrieve your access PIN',
  'pickup.title': 'Pick up your certificate',
  'check.title': 'Check your certificate',
  'link.loading': 'Loading…',
  'link.errorCode': 'Error code: {code}',
  'summary.heading': 'What this is for',
  'summary.institution': 'Institution',
  'summary.dn': 'Subject DN',
  'summary.name': 'Name',
  'summary.mail': 'Mail address',
  'summary.profile': 'Certificate type',
  'summary.officer': 'Registration officer client certificate (25 months)',
  'summary.operator': 'Operator client certificate (25 months)',
  'summary.key': 'Key type',
  'summary.keyRsa': 'RSA 2048-bit',
  'summary.keyEc': 'Elliptic curve P-256',
  'summary.expires': 'This link expires',
  'summary.pickupExpires': 'The pickup link expires',
  'summary.users': 'For',
};
