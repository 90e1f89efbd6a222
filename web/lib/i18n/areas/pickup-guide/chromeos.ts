/** Pickup area, the import steps for ChromeOS (notes/p12-platforms.md §3); loaded by the pickup page when shown. `[label]` marks a button or menu item. */
import { defineMessages } from '../../define.ts';

export const guideMessages = defineMessages({
  ja: {
    'pickup.guide.chromeos.title': 'ChromeOS',
    'pickup.guide.chromeos.s1': '[設定] → [プライバシーとセキュリティ] → [セキュリティ] → [証明書の管理] を開きます。',
    'pickup.guide.chromeos.s2': '[あなたの証明書] で [インポート] を押し、.p12 ファイルを選んでパスワードを入力します。',
  },
  en: {
    'pickup.guide.chromeos.title': 'ChromeOS',
    'pickup.guide.chromeos.s1': 'Open [Settings] → [Privacy and security] → [Security] → [Manage certificates].',
    'pickup.guide.chromeos.s2': 'Under [Your certificates] press [Import], choose the .p12 file and enter its password.',
  },
});
