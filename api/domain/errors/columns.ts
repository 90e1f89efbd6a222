/** Names of the 15 request-file columns in Japanese and English (spec 02 §The 15 columns). */

export type Lang = 'ja' | 'en';

/** A text in both languages of the product. */
export interface LocalText {
  readonly ja: string;
  readonly en: string;
}

/** Column number 1–15 of a request file; 0 means "the file as a whole" in problem messages. */
export type ColumnNumber = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15;

/** Named column numbers, so that rules read `COL.userMail` rather than `14`. */
export const COL = {
  dn: 1,
  profile: 2,
  method: 3,
  serial: 4,
  reason: 5,
  comment: 6,
  reserved: 7,
  adminName: 8,
  adminAffiliation: 9,
  adminMail: 10,
  userName: 11,
  p12FileName: 12,
  userAffiliation: 13,
  userMail: 14,
  pin: 15,
} as const satisfies Record<string, ColumnNumber>;

/** Index 0 is the file-level placeholder `-`; 1–15 are the columns as the spec names them. */
export const COLUMN_NAMES: readonly LocalText[] = [
  { ja: '-', en: '-' },
  { ja: '主体者DN', en: 'Subject DN' },
  { ja: '証明書プロファイルID', en: 'Profile ID' },
  { ja: 'ダウンロード方法', en: 'Download method' },
  { ja: '失効対象証明書シリアル番号', en: 'Serial number' },
  { ja: '失効理由', en: 'Revocation reason' },
  { ja: '失効理由コメント', en: 'Revocation comment' },
  { ja: '予備', en: 'Reserved' },
  { ja: '利用管理者氏名', en: 'User administrator name' },
  { ja: '利用管理者所属', en: 'User administrator affiliation' },
  { ja: '利用管理者メールアドレス', en: 'User administrator mail' },
  { ja: '利用者氏名', en: 'User name' },
  { ja: 'P12ダウンロードファイル名', en: 'P12 file name' },
  { ja: '利用者所属', en: 'User affiliation' },
  { ja: '利用者メールアドレス', en: 'User mail' },
  { ja: 'アクセスPIN', en: 'Access PIN' },
];

/** The column name in a language; `-` for column 0 (file-level problems). */
export function columnName(column: ColumnNumber, lang: Lang): string {
  return COLUMN_NAMES[column]![lang];
}
