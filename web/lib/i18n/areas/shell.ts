/**
 * The shell's messages: product name, header and footer, the start page, placeholders, error pages
 * and the page titles. Always registered (translate.ts); every other area registers itself.
 */
import { defineMessages } from '../define.ts';

export const shellMessages = defineMessages({
  ja: {
    'app.name': 'Hakko 発行',
    'app.tagline': 'クライアント証明書発行サービス',

    'shell.skipToContent': '本文へ移動',
    'shell.home': 'Hakko 発行 ホーム',
    'shell.language': '表示言語 / Language',
    'shell.footerLabel': 'サイト情報',
    'shell.rootCertificate': 'ルート証明書 (root.crt)',
    'shell.version': 'バージョン {version}',
    'shell.title': '{page} — Hakko 発行',

    'start.title': 'ホーム',
    'start.heading': '大学・研究機関のためのクライアント証明書',
    'start.intro':
      'Hakko（発行）は、大学・研究機関の利用者にクライアント認証用と S/MIME 用の証明書を発行するサービスです。秘密鍵は受け取る方のブラウザの中で作られ、サーバーに送られることはありません。',
    'start.choose': 'あなたの役割を選んでください',
    'start.tool.audience': '利用管理者の方',
    'start.tool.title': 'TSV 申請ファイル作成ツール',
    'start.tool.body':
      '証明書の発行・更新・失効の申請ファイル（TSV）を作成し、サーバーと同じ規則でその場で確認します。一度開けばオフラインでも使え、入力した内容はこのブラウザの外に送られません。',
    'start.tool.action': 'ツールを開く',
    'start.officer.audience': '登録担当者の方',
    'start.officer.title': '登録担当者ダッシュボード',
    'start.officer.body':
      '申請ファイルのアップロード、申請状況の確認、証明書情報のダウンロードを行います。このブラウザに登録担当者用のクライアント証明書が必要です。',
    'start.officer.https':
      'HTTPS のアドレス（{origin}）で開きます。ブラウザが証明書の選択を求めたら、登録担当者の証明書を選んでください。',
    'start.officer.action': 'ダッシュボードを開く',
    'start.pickup.audience': '証明書を受け取る方',
    'start.pickup.title': 'メールでリンクが届いたら',
    'start.pickup.pinUrl.term': 'アクセスPIN取得URL',
    'start.pickup.pinUrl.body':
      '利用管理者（または PIN 配付担当者）に届きます。開くとアクセスPIN が一度だけ表示されます。各利用者に、本人だけに確実に渡してください。',
    'start.pickup.pickupUrl.term': '証明書取得URL',
    'start.pickup.pickupUrl.body':
      '利用者本人に届きます。証明書を使うパソコンのブラウザで開き、受け取ったアクセスPIN を入力してください。鍵はブラウザの中で作られ、証明書ファイルが保存されます。',
    'start.pickup.once': 'どちらのリンクも一度だけ使え、期限があります。期限切れやロックされた場合は、所属機関の登録担当者に連絡してください。',
    'start.pickup.warningTitle': 'アクセスPIN は誰にも教えないでください。',
    'start.pickup.warning': 'Hakko や大学の担当者が、メールや電話で PIN を尋ねることはありません。',

    'placeholder.comingSoon': 'このページは準備中です。',
    'placeholder.back': 'ホームに戻る',
    'tool.title': 'TSV 申請ファイル作成ツール',
    'officer.title': '登録担当者ダッシュボード',
    'operator.title': 'サービス窓口（運用者）',

    'error.title': 'エラー',
    'error.notFoundTitle': 'ページが見つかりません',
    'error.notFoundBody': 'アドレスが正しいか確認してください。メールのリンクは途中で改行されていることがあります。',
    'error.otherTitle': '問題が発生しました',
    'error.otherBody': 'ページを再読み込みしてください。解決しない場合は、所属機関の登録担当者に連絡してください。',
    'error.status': 'エラーコード {status}',
  },
  en: {
    'app.name': 'Hakko 発行',
    'app.tagline': 'Client certificate issuance',

    'shell.skipToContent': 'Skip to main content',
    'shell.home': 'Hakko 発行 home',
    'shell.language': 'Language / 表示言語',
    'shell.footerLabel': 'Site information',
    'shell.rootCertificate': 'Root certificate (root.crt)',
    'shell.version': 'Version {version}',
    'shell.title': '{page} — Hakko 発行',

    'start.title': 'Start',
    'start.heading': 'Client certificates for universities and research institutes',
    'start.intro':
      'Hakko (発行, “issuance”) issues client authentication and S/MIME certificates to the members of universities and research institutes. Your private key is created inside your own browser and is never sent to the server.',
    'start.choose': 'Choose what you came to do',
    'start.tool.audience': 'For user administrators',
    'start.tool.title': 'TSV request file tool',
    'start.tool.body':
      'Write request files (TSV) for issuing, renewing and revoking certificates, checked on the spot with the same rules as the server. Works offline once opened; what you enter never leaves this browser.',
    'start.tool.action': 'Open the tool',
    'start.officer.audience': 'For registration officers',
    'start.officer.title': 'Officer dashboard',
    'start.officer.body':
      'Upload request files, follow your requests and download certificate information. Needs your registration officer certificate in this browser.',
    'start.officer.https':
      'Opens at the HTTPS address {origin}. When your browser asks for a certificate, choose your officer certificate.',
    'start.officer.action': 'Open the dashboard',
    'start.pickup.audience': 'For certificate recipients',
    'start.pickup.title': 'Received a link by mail?',
    'start.pickup.pinUrl.term': 'PIN URL (アクセスPIN取得URL)',
    'start.pickup.pinUrl.body':
      'Goes to the user administrator (or the PIN distributor). Opening it shows the access PIN once, and only once. Hand each PIN to its user in person or by another safe channel.',
    'start.pickup.pickupUrl.term': 'Pickup URL (証明書取得URL)',
    'start.pickup.pickupUrl.body':
      'Goes to the user. Open it in the browser of the computer where you will use the certificate and enter the access PIN you were given. Your key is created in the browser and the certificate file is saved.',
    'start.pickup.once': 'Both links work only once and expire. If a link has expired or is locked, contact the registration officer of your institution.',
    'start.pickup.warningTitle': 'Never share your access PIN.',
    'start.pickup.warning': 'Nobody from Hakko or your university will ever ask for your PIN by mail or phone.',

    'placeholder.comingSoon': 'This page is coming soon.',
    'placeholder.back': 'Back to the start page',
    'tool.title': 'TSV request file tool',
    'officer.title': 'Officer dashboard',
    'operator.title': 'Operator',

    'error.title': 'Error',
    'error.notFoundTitle': 'Page not found',
    'error.notFoundBody': 'Please check the address. Links in mails are sometimes broken across two lines.',
    'error.otherTitle': 'Something went wrong',
    'error.otherBody': 'Please reload the page. If that does not help, contact the registration officer of your institution.',
    'error.status': 'Error code {status}',
  },
});
