/** Pickup area, the import steps for Chrome / Edge on Windows (notes/p12-platforms.md §3); loaded by the pickup page when shown. `[label]` marks a button or menu item. */
import { defineMessages } from '../../define.ts';

export const guideMessages = defineMessages({
  ja: {
    'pickup.guide.windows.title': 'Windows の Chrome / Edge',
    'pickup.guide.windows.s1': '保存した .p12 ファイルをダブルクリックします。「証明書のインポート ウィザード」が開きます。',
    'pickup.guide.windows.s2': '保存場所は [現在のユーザー] のまま [次へ] を押します。',
    'pickup.guide.windows.s3': 'ファイルのパスワードを入力します。あとでバックアップを作るなら [このキーをエクスポート可能にする] にチェックを入れます。',
    'pickup.guide.windows.s4': '[証明書の種類に基づいて、自動的に証明書ストアを選択する] のまま [次へ] → [完了] を押し、ブラウザを再起動します。',
  },
  en: {
    'pickup.guide.windows.title': 'Chrome / Edge on Windows',
    'pickup.guide.windows.s1': 'Double-click the saved .p12 file. The Certificate Import Wizard opens.',
    'pickup.guide.windows.s2': 'Keep the store location [Current User] and press [Next].',
    'pickup.guide.windows.s3': 'Enter the file password. To make a backup later, tick [Mark this key as exportable].',
    'pickup.guide.windows.s4': 'Keep [Automatically select the certificate store], press [Next] → [Finish], and restart the browser.',
  },
});
