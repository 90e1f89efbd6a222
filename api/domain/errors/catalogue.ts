/**
 * The one catalogue of TSV problem codes with their Japanese and English texts, shared by the server,
 * the dashboard and the TSV tool (spec 02 §Error messages). Codes marked `upki` keep UPKI's number,
 * meaning and — where the spec quotes it — UPKI's exact Japanese text.
 */
import type { LocalText } from './columns.ts';

/** Every problem code of spec 02 §Error messages, in the order of the spec's table. */
export const PROBLEM_CODES = [
  '208', '209', '213', '214', '216', '217', '218',
  '201', '202', '203', '204', '205', '206', '207', '210', '211', '212',
  '219', '220', '221', '222', '223', '224', '225', '226', 'W227',
  '228', '229', '230', '231', '232',
  '215', '301', '302', '303', '304', '305', '306', '307',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** Where a problem belongs: the whole file, one row, the institution (per row or file), or a warning. */
export type ProblemScope = 'file' | 'row' | 'institution' | 'warning';

export interface CatalogueEntry {
  readonly code: ProblemCode;
  readonly scope: ProblemScope;
  /** True for codes UPKI itself uses (● in the spec table). */
  readonly upki: boolean;
  /** Short description of what the code checks, for lists such as "not checked". */
  readonly title: LocalText;
  /** Message text template: placeholders {item}, {n}, {char}, {offset}, {line}, {value}. */
  readonly text: LocalText;
  /** Cause and remedy shown under the message in the dashboard (spec 02, from the seed manuals). */
  readonly cause?: LocalText;
  readonly remedy?: LocalText;
}

type Entry = Omit<CatalogueEntry, 'code'>;
const SERVICE_DESK: LocalText = {
  ja: 'サービス窓口にお問い合わせください。',
  en: 'Contact the service desk.',
};

const FILE_ENTRIES: Record<'208' | '209' | '213' | '214' | '216' | '217' | '218', Entry> = {
  '208': { scope: 'file', upki: true, title: { ja: 'ファイル未指定', en: 'No file sent' },
    text: { ja: 'ファイルが指定されていません。', en: 'No file was sent.' } },
  '209': { scope: 'file', upki: true, title: { ja: 'ファイル名の拡張子', en: 'File name extension' },
    text: { ja: 'ファイル名の拡張子は.tsvまたは.txtとしてください。', en: 'The file name must end in .tsv or .txt.' } },
  '213': { scope: 'file', upki: true, title: { ja: '空のファイル', en: 'Empty file' },
    text: { ja: 'ファイルが空です。', en: 'The file is empty.' } },
  '214': { scope: 'file', upki: true, title: { ja: '行数の上限', en: 'Line limit' },
    text: { ja: 'ファイルの行数が上限（{n}行）を超えています。', en: 'The file has more lines than the limit ({n}).' } },
  '216': { scope: 'file', upki: false, title: { ja: 'ファイルサイズの上限', en: 'Size limit' },
    text: { ja: 'ファイルのサイズが上限（{n}バイト）を超えています。', en: 'The file is larger than the size limit ({n} bytes).' } },
  '217': { scope: 'file', upki: false, title: { ja: '文字コード', en: 'Character encoding' },
    text: {
      ja: 'ファイルの文字コードがCP932（Shift_JIS）でもUTF-8でもありません（バイト位置{offset}）。',
      en: 'The file is neither CP932 (Shift_JIS) nor UTF-8 (byte offset {offset}).',
    } },
  '218': { scope: 'file', upki: false, title: { ja: 'ダウンロード方法の混在', en: 'Mixed download methods' },
    text: {
      ja: '1つのファイルに複数のダウンロード方法（{value}）が含まれています。ダウンロード方法ごとにファイルを分けてください。',
      en: 'The file mixes download methods ({value}); use one file per download method.',
    } },
};

const COLUMN_ENTRIES: Record<'201' | '202' | '203' | '204' | '205' | '206' | '207' | '210' | '211' | '212', Entry> = {
  '201': { scope: 'row', upki: true, title: { ja: '必須項目', en: 'Required value' },
    text: { ja: '{item}は入力必須項目です。', en: '{item} is required.' } },
  '202': { scope: 'row', upki: true, title: { ja: '桁数', en: 'Length' },
    text: { ja: '{item}は{n}桁以内で入力してください。', en: '{item} must be at most {n} characters long.' } },
  '203': { scope: 'row', upki: false, title: { ja: '使用できない文字', en: 'Character not allowed' },
    text: { ja: '{item}に使用できない文字{char}が含まれています。', en: '{item} contains a character that is not allowed: {char}.' } },
  '204': { scope: 'row', upki: true, title: { ja: '数値項目', en: 'Numeric value' },
    text: { ja: '{item}は半角数字で入力してください。', en: '{item} must consist of the digits 0–9 only.' } },
  '205': { scope: 'row', upki: true, title: { ja: '失効理由コメントの文字', en: 'Comment character' },
    text: { ja: '{item}に使用できない文字{char}が含まれています。', en: '{item} contains a character that is not allowed: {char}.' } },
  '206': { scope: 'row', upki: true, title: { ja: 'DN・メールアドレスの形式', en: 'DN or mail format' },
    text: { ja: '{item}の形式が正しくありません。', en: '{item} is malformed.' } },
  '207': { scope: 'row', upki: false, title: { ja: '列数', en: 'Column count' },
    text: { ja: '列数が正しくありません（15列または14列のところ{n}列あります）。', en: 'The line must have 15 (or 14) columns; found {n}.' } },
  '210': { scope: 'row', upki: false, title: { ja: '証明書プロファイルID', en: 'Profile ID' },
    text: { ja: '{item}「{value}」は利用できません。', en: '{item} "{value}" cannot be used.' } },
  '211': { scope: 'row', upki: false, title: { ja: 'ダウンロード方法', en: 'Download method' },
    text: { ja: '{item}「{value}」は利用できません。', en: '{item} "{value}" cannot be used.' } },
  '212': { scope: 'row', upki: true, title: { ja: '既存のDN', en: 'Existing DN' },
    text: { ja: '指定したDNはすでに存在しています。', en: 'A certificate or open request with this CN and OU already exists.' },
    remedy: { ja: '更新申請（更新用ファイル）を使用してください。', en: 'Use a renewal request instead.' } },
};

const ROW_ENTRIES: Record<'219' | '220' | '221' | '222' | '223' | '224' | '225' | '226' | 'W227' | '228' | '229' | '230' | '231' | '232', Entry> = {
  '219': { scope: 'row', upki: false, title: { ja: 'ファイル内のCN・OUの重複', en: 'CN and OU twice in file' },
    text: { ja: '同じCNとOUがファイル内で重複しています（{line}行目）。', en: 'The same CN and OU appear more than once in the file (first on line {line}).' } },
  '220': { scope: 'row', upki: false, title: { ja: '使用しない列', en: 'Unused column' },
    text: { ja: 'この申請種別では{item}は空欄にしてください。', en: '{item} must be empty in this kind of file.' } },
  '221': { scope: 'row', upki: false, title: { ja: 'アクセスPIN', en: 'Access PIN' },
    text: { ja: '{item}が正しくありません。', en: '{item} is not valid.' } },
  '222': { scope: 'row', upki: false, title: { ja: 'P12ファイル名', en: 'P12 file name' },
    text: { ja: '{item}は半角英数字と「.」「_」「-」で入力してください。', en: '{item} may contain only letters, digits, ".", "_" and "-".' } },
  '223': { scope: 'row', upki: false, title: { ja: '証明書の有無', en: 'Certificate exists' },
    text: { ja: '指定したシリアル番号の証明書は機関内に存在しません。', en: 'There is no certificate with this serial number in the institution.' } },
  '224': { scope: 'row', upki: false, title: { ja: '証明書のDNとの一致', en: 'DN matches certificate' },
    text: { ja: '主体者DNが証明書のDNと一致しません。', en: 'The subject DN differs from the DN of that certificate.' } },
  '225': { scope: 'row', upki: false, title: { ja: '失効済み', en: 'Already revoked' },
    text: { ja: '指定した証明書はすでに失効しています。', en: 'That certificate is already revoked.' } },
  '226': { scope: 'row', upki: false, title: { ja: '失効理由', en: 'Revocation reason' },
    text: { ja: '{item}「{value}」は指定できません（0、1、3、4、5のいずれか）。', en: '{item} "{value}" is not allowed (use 0, 1, 3, 4 or 5).' } },
  'W227': { scope: 'warning', upki: false, title: { ja: '失効理由0のコメント', en: 'Comment for reason 0' },
    text: {
      ja: '失効理由が0（その他）の場合は失効理由コメントを入力してください。',
      en: 'Revocation reason 0 (unspecified) should come with a comment.',
    } },
  '228': { scope: 'row', upki: false, title: { ja: 'S/MIMEのCN', en: 'S/MIME CN' },
    text: {
      ja: 'S/MIME証明書では主体者DNのCNに利用者メールアドレスを指定してください。',
      en: 'For an S/MIME profile the CN of the subject DN must be the user mail address.',
    } },
  '229': { scope: 'row', upki: false, title: { ja: 'プロファイルの種別', en: 'Profile family' },
    text: {
      ja: '更新前の証明書とプロファイルの種別（クライアント認証／S/MIME）が異なります。',
      en: 'The renewal changes the profile family (client authentication / S/MIME) of the certificate.',
    } },
  '230': { scope: 'row', upki: false, title: { ja: '更新申請中', en: 'Open renewal' },
    text: { ja: '指定した証明書はすでに更新申請中です。', en: 'That certificate already has an open renewal.' } },
  '231': { scope: 'row', upki: false, title: { ja: 'ファイル内の証明書の重複', en: 'Certificate twice in file' },
    text: { ja: '同じ証明書がファイル内で重複しています（{line}行目）。', en: 'That certificate is listed more than once in the file (first on line {line}).' } },
  '232': { scope: 'row', upki: false, title: { ja: '国名（C）', en: 'Country (C)' },
    text: { ja: '主体者DNのCはJPとしてください。', en: 'C of the subject DN must be JP.' } },
};

const INSTITUTION_ENTRIES: Record<'215' | '301' | '302' | '303' | '304' | '305' | '306' | '307', Entry> = {
  '215': { scope: 'institution', upki: true, title: { ja: '機関の状態', en: 'Institution status' },
    text: {
      ja: '機関の状態が申請を受け付けない状態です（利用停止中）。サービス窓口にお問い合わせください。',
      en: 'The institution is suspended and cannot make requests. Contact the service desk.',
    },
    cause: { ja: 'サービス窓口が機関の利用を停止しています。', en: 'The operator has suspended the institution.' },
    remedy: SERVICE_DESK },
  '301': { scope: 'institution', upki: false, title: { ja: 'メールドメイン', en: 'Mail domain' },
    text: {
      ja: '対象のドメインは許可されていないため発行できません。サービス窓口にお問い合わせください。',
      en: 'The mail domain is not allowed, so no certificate can be issued. Contact the service desk.',
    },
    cause: {
      ja: 'メールアドレスのドメインが機関に登録されていないか、機関の審査が完了していません。',
      en: 'The domain is not registered for the institution, or the institution\'s review is not complete.',
    },
    remedy: SERVICE_DESK },
  '302': { scope: 'institution', upki: false, title: { ja: '証明書発行有効期限', en: 'Issuing approval' },
    text: {
      ja: '機関の証明書発行有効期限が切れています。サービス窓口にお問い合わせください。',
      en: 'The institution\'s approval for issuing certificates has expired. Contact the service desk.',
    },
    cause: { ja: '機関の証明書発行承認の有効期限を過ぎています。', en: 'The approval expiry date of the institution has passed.' },
    remedy: SERVICE_DESK },
  '303': { scope: 'institution', upki: false, title: { ja: 'WHOIS接続', en: 'WHOIS reachable' },
    text: {
      ja: 'WHOISサーバへの接続に失敗しました。しばらくしてから再度お試しください。',
      en: 'The WHOIS server could not be reached. Try again later.',
    },
    cause: { ja: 'WHOISサーバから5秒以内に応答がありませんでした。', en: 'The WHOIS server did not answer within 5 seconds.' },
    remedy: {
      ja: 'しばらくしてから再度お試しください。解消しない場合はサービス窓口にお問い合わせください。',
      en: 'Try again later; if it persists, contact the service desk.',
    } },
  '304': { scope: 'institution', upki: false, title: { ja: 'WHOIS登録情報', en: 'WHOIS registrant' },
    text: {
      ja: 'WHOISサーバに登録されている情報と一致しません。サービス窓口にお問い合わせください。',
      en: 'The WHOIS registration no longer matches the registered organisation. Contact the service desk.',
    },
    cause: {
      ja: 'ドメインのWHOIS登録者（組織名）が機関の登録内容と異なります。',
      en: 'The domain\'s WHOIS registrant organisation differs from the one registered for the institution.',
    },
    remedy: SERVICE_DESK },
  '305': { scope: 'institution', upki: false, title: { ja: '登録されたL', en: 'Registered L' },
    text: { ja: '主体者DNのLが登録された値と一致しません。', en: 'L of the subject DN is not the registered value.' } },
  '306': { scope: 'institution', upki: false, title: { ja: '登録されたST', en: 'Registered ST' },
    text: { ja: '主体者DNのSTが登録された値と一致しません。', en: 'ST of the subject DN is not the registered value.' } },
  '307': { scope: 'institution', upki: false, title: { ja: '登録されたO', en: 'Registered O' },
    text: { ja: '主体者DNのOが登録された値と一致しません。', en: 'O of the subject DN is not the institution\'s registered O.' } },
};

const ENTRIES: Record<ProblemCode, Entry> = { ...FILE_ENTRIES, ...COLUMN_ENTRIES, ...ROW_ENTRIES, ...INSTITUTION_ENTRIES };

/** Code → entry, for the server, the dashboard and the TSV tool. */
export const PROBLEM_CATALOGUE: Readonly<Record<ProblemCode, CatalogueEntry>> = Object.freeze(
  Object.fromEntries(PROBLEM_CODES.map((code) => [code, Object.freeze({ code, ...ENTRIES[code] })])) as Record<
    ProblemCode,
    CatalogueEntry
  >,
);

/** True for the codes in the catalogue (e.g. to check a code sent by the server). */
export function isProblemCode(s: string): s is ProblemCode {
  return Object.hasOwn(ENTRIES, s);
}
