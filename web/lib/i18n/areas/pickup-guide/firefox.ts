/** Pickup area, the import steps for Firefox (notes/p12-platforms.md §3); loaded by the pickup page when shown. `[label]` marks a button or menu item. */
import { defineMessages } from '../../define.ts';

export const guideMessages = defineMessages({
  ja: {
    'pickup.guide.firefox.title': 'Firefox',
    'pickup.guide.firefox.s1': 'メニュー [≡] → [設定] を開き、[プライバシーとセキュリティ] を選びます。',
    'pickup.guide.firefox.s2': '「証明書」の [証明書を表示...] を押します（新しい版では [証明書を管理...]）。',
    'pickup.guide.firefox.s3': '[あなたの証明書] タブで [読み込む...] を押し、保存した .p12 ファイルを選びます。',
    'pickup.guide.firefox.s4': 'ファイルのパスワードを入力して [OK] を押します。サイトが証明書を求めてこないときは、Firefox を再起動します。',
  },
  en: {
    'pickup.guide.firefox.title': 'Firefox',
    'pickup.guide.firefox.s1': 'Open the menu [≡] → [Settings] and choose [Privacy & Security].',
    'pickup.guide.firefox.s2': 'Under “Certificates”, press [View Certificates…] (newer versions: [Manage Certificates…]).',
    'pickup.guide.firefox.s3': 'On the [Your Certificates] tab press [Import…] and choose the saved .p12 file.',
    'pickup.guide.firefox.s4': 'Enter the file password and press [OK]. If a site does not ask for the certificate, restart Firefox.',
  },
});
