/** Pickup area, the import steps for iPhone / iPad (notes/p12-platforms.md §3); loaded by the pickup page when shown. `[label]` marks a button or menu item. */
import { defineMessages } from '../../define.ts';

export const guideMessages = defineMessages({
  ja: {
    'pickup.guide.ios.title': 'iPhone / iPad',
    'pickup.guide.ios.s1': 'Safari でダウンロードしたファイル、または「ファイル」App の .p12 ファイルをタップします。「プロファイルがダウンロードされました」と表示されます。',
    'pickup.guide.ios.s2': '[設定] → [プロファイルがダウンロード済み]（または [一般] → [VPN とデバイス管理]）を開き、[インストール] を押します。',
    'pickup.guide.ios.s3': 'デバイスのパスコード、続けてファイルのパスワードを入力し、[完了] を押します。',
    'pickup.guide.ios.s4': 'インストールした証明書を使えるのは Safari などアップル製の App だけです（iPhone の Chrome や Firefox では使えません）。',
  },
  en: {
    'pickup.guide.ios.title': 'iPhone / iPad',
    'pickup.guide.ios.s1': 'Tap the file downloaded in Safari, or the .p12 file in the Files app. “Profile Downloaded” appears.',
    'pickup.guide.ios.s2': 'Open [Settings] → [Profile Downloaded] (or [General] → [VPN & Device Management]) and press [Install].',
    'pickup.guide.ios.s3': 'Enter the device passcode, then the file password, and press [Done].',
    'pickup.guide.ios.s4': 'Only Safari and other Apple apps can use the installed certificate (Chrome and Firefox on iPhone cannot).',
  },
});
