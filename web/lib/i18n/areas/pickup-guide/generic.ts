/** Pickup area, the import steps for other devices (notes/p12-platforms.md §3); loaded by the pickup page when shown. `[label]` marks a button or menu item. */
import { defineMessages } from '../../define.ts';

export const guideMessages = defineMessages({
  ja: {
    'pickup.guide.generic.title': 'その他の機器',
    'pickup.guide.generic.s1': 'ブラウザまたは OS の証明書の設定で、.p12（PKCS#12）ファイルを「個人の証明書」としてインポートし、ファイルのパスワードを入力します。',
  },
  en: {
    'pickup.guide.generic.title': 'Other devices',
    'pickup.guide.generic.s1': 'In the certificate settings of your browser or system, import the .p12 (PKCS#12) file as a personal certificate and enter the file password.',
  },
});
