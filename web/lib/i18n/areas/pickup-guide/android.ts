/** Pickup area, the import steps for Android (notes/p12-platforms.md §3); loaded by the pickup page when shown. `[label]` marks a button or menu item. */
import { defineMessages } from '../../define.ts';

export const guideMessages = defineMessages({
  ja: {
    'pickup.guide.android.title': 'Android',
    'pickup.guide.android.s1': '[設定] → [セキュリティ] → [暗号化と認証情報] → [証明書のインストール] を開きます（名前は機種によって少し違います）。',
    'pickup.guide.android.s2': '[VPN とアプリユーザー証明書] を選びます（[CA 証明書] や [Wi-Fi 証明書] ではありません）。',
    'pickup.guide.android.s3': '保存した .p12 ファイルを選び、ファイルのパスワードを入力します。',
    'pickup.guide.android.s4': '証明書に名前を付けて [OK] を押します。サイトが証明書を求めたとき、Chrome で選べます（Android の Firefox では使えません）。',
  },
  en: {
    'pickup.guide.android.title': 'Android',
    'pickup.guide.android.s1': 'Open [Settings] → [Security] → [Encryption & credentials] → [Install a certificate] (names vary a little by device).',
    'pickup.guide.android.s2': 'Choose [VPN & app user certificate] (not [CA certificate], not [Wi-Fi certificate]).',
    'pickup.guide.android.s3': 'Pick the saved .p12 file and enter the file password.',
    'pickup.guide.android.s4': 'Name the certificate and press [OK]. Chrome lets you choose it when a site asks (Firefox for Android cannot use it).',
  },
});
