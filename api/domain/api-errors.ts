/**
 * API error codes with their HTTP status and Japanese/English texts (spec 04 §HTTP API, spec 06 §API).
 * One catalogue shared by the server (error handler), the CLI and the web app (messages).
 */
export interface ApiErrorSpec {
  readonly status: number;
  readonly ja: string;
  readonly en: string;
}

export const API_ERRORS = {
  BAD_REQUEST: { status: 400, ja: 'リクエストの形式が正しくありません。', en: 'The request is malformed.' },
  PAGE_TOO_DEEP: { status: 400, ja: 'これより後のページは表示できません。検索条件で絞り込むか、証明書情報ファイルをダウンロードしてください。', en: 'Pages this deep are not shown. Narrow the search, or download the certificate information file.' },
  NO_CERTIFICATE: { status: 401, ja: 'クライアント証明書が提示されていません。登録担当者証明書を選択してください。', en: 'No client certificate was presented. Choose your registration officer certificate.' },
  WRONG_PIN: { status: 401, ja: 'アクセスPINが正しくありません。', en: 'The access PIN is not correct.' },
  NOT_AN_OFFICER: { status: 403, ja: 'この証明書は有効な登録担当者の証明書ではありません。', en: 'This certificate does not belong to an active registration officer.' },
  NOT_AN_OPERATOR: { status: 403, ja: 'この操作はサービス窓口(オペレータ)のみ実行できます。', en: 'Only operators may do this.' },
  CSRF: { status: 403, ja: '不正なリクエスト元です(CSRF対策)。画面を再読み込みしてやり直してください。', en: 'Request rejected by the CSRF defence. Reload the page and try again.' },
  MAILBOX_LOOPBACK_ONLY: { status: 403, ja: 'メールボックスはこのサーバ上(ループバック)からのみ閲覧できます。', en: 'The mailbox can only be read from this machine (loopback).' },
  NOT_FOUND: { status: 404, ja: '見つかりません。', en: 'Not found.' },
  PIN_NOT_RETRIEVED: { status: 409, ja: 'アクセスPINがまだ取得されていません。先にアクセスPIN取得URLからPINを取得してください。', en: 'The access PIN has not been retrieved yet. Retrieve it at the PIN URL first.' },
  ALREADY_ISSUED: { status: 409, ja: 'この申請の証明書はすでに別の鍵で発行されています。', en: 'A certificate has already been issued for this request with another key.' },
  NOT_ISSUED: { status: 409, ja: '証明書がまだ発行されていません。', en: 'The certificate has not been issued yet.' },
  ALREADY_REVOKED: { status: 409, ja: 'この証明書はすでに失効しています。', en: 'This certificate is already revoked.' },
  CONFLICT: { status: 409, ja: '他の操作と競合しました。やり直してください。', en: 'The operation conflicted with another one. Please try again.' },
  ALREADY_USED: { status: 410, ja: 'このURLはすでに使用されています。', en: 'This URL has already been used.' },
  COMPLETED: { status: 410, ja: '証明書の取得は完了しています。このURLは使用できません。', en: 'The certificate pickup is complete; this URL can no longer be used.' },
  EXPIRED: { status: 410, ja: 'このURLは有効期限が切れています。登録担当者にお問い合わせください。', en: 'This URL has expired. Please contact your registration officer.' },
  CANCELLED: { status: 410, ja: 'この申請は取り消されました。', en: 'This request has been cancelled.' },
  REISSUED: { status: 410, ja: 'このURLは再発行により無効になりました。新しいURLをお使いください。', en: 'This URL was replaced by a re-issued one. Please use the new URL.' },
  PAYLOAD_TOO_LARGE: { status: 413, ja: 'データが大きすぎます。', en: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, ja: 'この形式(Content-Type)のデータは受け付けていません。', en: 'This Content-Type is not accepted here.' },
  CSR_MALFORMED: { status: 422, ja: '証明書署名要求(CSR)の形式が正しくありません。', en: 'The certificate signing request (CSR) is malformed.' },
  CSR_SIGNATURE: { status: 422, ja: '証明書署名要求(CSR)の署名を検証できません。', en: 'The signature of the certificate signing request (CSR) does not verify.' },
  KEY_UNSUPPORTED: { status: 422, ja: 'この鍵の種類・長さは使用できません(RSA 2048〜4096ビット、EC P-256/P-384)。', en: 'This key type or size is not accepted (RSA 2048–4096 bits, EC P-256/P-384).' },
  KEY_REUSED: { status: 422, ja: 'この公開鍵はすでに別の証明書で使用されています。新しい鍵を生成してください。', en: 'This public key is already used by another certificate. Generate a new key.' },
  KEY_SAME_AS_REPLACED: { status: 422, ja: '更新前の証明書と同じ鍵は使用できません。新しい鍵を生成してください。', en: 'The key must differ from the key of the certificate being replaced. Generate a new key.' },
  VALIDATION: { status: 422, ja: '入力内容に誤りがあります。', en: 'The input is not valid.' },
  LOCKED: { status: 423, ja: 'アクセスPINの誤入力が規定回数に達したため、このURLはロックされました。登録担当者にURLの再発行を依頼してください。', en: 'This URL is locked after too many wrong access PINs. Ask your registration officer to re-issue it.' },
  RATE_LIMITED: { status: 429, ja: 'リクエストが多すぎます。しばらく待ってからやり直してください。', en: 'Too many requests. Please wait a moment and try again.' },
  INTERNAL: { status: 500, ja: 'サーバ内部でエラーが発生しました。', en: 'An internal server error occurred.' },
  UNAVAILABLE: { status: 503, ja: 'サービスが一時的に利用できません。しばらくしてからやり直してください。', en: 'The service is temporarily unavailable. Please try again later.' },
} as const satisfies Record<string, ApiErrorSpec>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export interface LocalizedMessage {
  readonly ja: string;
  readonly en: string;
}
