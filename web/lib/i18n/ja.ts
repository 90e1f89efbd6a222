/**
 * Japanese message catalogue: the source of the message keys and of their placeholders.
 * Keys are dotted (`area.item`); placeholders are `{name}`. `en.ts` must have the same keys and the
 * same placeholders (tests/unit/i18n.test.ts). Every user-facing string goes through here (STYLE.md 13).
 */
export const ja = {
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
  'pin.title': 'アクセスPIN の取得',
  'pickup.title': '証明書の受け取り',

  'error.title': 'エラー',
  'error.notFoundTitle': 'ページが見つかりません',
  'error.notFoundBody': 'アドレスが正しいか確認してください。メールのリンクは途中で改行されていることがあります。',
  'error.otherTitle': '問題が発生しました',
  'error.otherBody': 'ページを再読み込みしてください。解決しない場合は、所属機関の登録担当者に連絡してください。',
  'error.status': 'エラーコード {status}',
} as const;

/** A message key; `ja` is the source of the key set. */
export type MessageKey = keyof typeof ja;

/** The shape every other catalogue must have: the same keys, string values. */
export type Catalogue = { readonly [K in MessageKey]: string };
