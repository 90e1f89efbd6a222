/** Pickup area, the import steps for Chrome / Chromium on Linux (notes/p12-platforms.md §3); loaded by the pickup page when shown. `[label]` marks a button or menu item. */
import { defineMessages } from '../../define.ts';

export const guideMessages = defineMessages({
  ja: {
    'pickup.guide.linux.title': 'Linux の Chrome / Chromium',
    'pickup.guide.linux.s1': 'アドレスバーに chrome://certificate-manager と入力し、[あなたの証明書] を開きます（古い版では chrome://settings/certificates）。',
    'pickup.guide.linux.s2': '[インポート] を押して保存した .p12 ファイルを選びます（表示されないときは、ファイルの種類を [すべてのファイル] にします）。',
    'pickup.guide.linux.s3': 'ファイルのパスワードを入力し、ブラウザを再起動します。',
  },
  en: {
    'pickup.guide.linux.title': 'Chrome / Chromium on Linux',
    'pickup.guide.linux.s1': 'Enter chrome://certificate-manager in the address bar and open [Your certificates] (older versions: chrome://settings/certificates).',
    'pickup.guide.linux.s2': 'Press [Import] and choose the saved .p12 file (if it is not listed, switch the file type to [All files]).',
    'pickup.guide.linux.s3': 'Enter the file password and restart the browser.',
  },
});
