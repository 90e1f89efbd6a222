/** Pickup area, the import steps for the Mac (notes/p12-platforms.md §3); loaded by the pickup page when shown. `[label]` marks a button or menu item. */
import { defineMessages } from '../../define.ts';

export const guideMessages = defineMessages({
  ja: {
    'pickup.guide.macos.title': 'Mac（Safari / Chrome）',
    'pickup.guide.macos.s1': '保存した .p12 ファイルをダブルクリックします（または「キーチェーンアクセス」の [ファイル] → [読み込む...]）。',
    'pickup.guide.macos.s2': 'キーチェーンは [ログイン] を選び、[追加] を押します。',
    'pickup.guide.macos.s3': 'ファイルのパスワードを入力して [OK] を押します。',
    'pickup.guide.macos.s4': 'ブラウザを再起動します。',
  },
  en: {
    'pickup.guide.macos.title': 'Mac (Safari / Chrome)',
    'pickup.guide.macos.s1': 'Double-click the saved .p12 file (or in Keychain Access: [File] → [Import Items…]).',
    'pickup.guide.macos.s2': 'Choose the [login] keychain and press [Add].',
    'pickup.guide.macos.s3': 'Enter the file password and press [OK].',
    'pickup.guide.macos.s4': 'Restart the browser.',
  },
});
