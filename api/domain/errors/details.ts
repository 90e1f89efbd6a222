/**
 * Details that narrow down a problem code (which DN attribute is missing, why a PIN is refused …),
 * appended to the message text in brackets. Templates may use {value}.
 */
import type { LocalText } from './columns.ts';

export const PROBLEM_DETAILS = {
  'dn.unknownAttribute': { ja: '不明な属性「{value}」', en: 'unknown attribute "{value}"' },
  'dn.order': { ja: '属性はCN、OU、O、L、ST、Cの順に指定してください', en: 'attributes must come in the order CN, OU, O, L, ST, C' },
  'dn.duplicate': { ja: '{value}が複数あります', en: '{value} appears more than once' },
  'dn.missing': { ja: '{value}がありません', en: '{value} is missing' },
  'dn.emptyValue': { ja: '{value}の値が空です', en: '{value} has an empty value' },
  'dn.empty': { ja: 'DNが空です', en: 'the DN is empty' },
  'mail.syntax': { ja: 'メールアドレスの形式ではありません', en: 'not a valid mail address' },
  'profile.unknown': { ja: '未定義のプロファイルです', en: 'unknown profile' },
  'profile.disabled': { ja: 'この機関では利用できません', en: 'not enabled for this institution' },
  'method.unknown': { ja: '1、2、3のいずれかを指定してください', en: 'use 1, 2 or 3' },
  'method.disabled': { ja: 'この機関では利用できません', en: 'not enabled for this institution' },
  'pin.method': {
    ja: 'アクセスPINはダウンロード方法2（P12一括）の場合のみ指定できます',
    en: 'an access PIN may be given only with download method 2 (bulk P12)',
  },
  'pin.format': {
    ja: '8～32文字の半角英数字、「-」「_」で指定してください',
    en: 'use 8 to 32 letters, digits, "-" or "_"',
  },
  'smime.noMail': { ja: '利用者メールアドレスが空です', en: 'the user mail is empty' },
  'space.edge': { ja: '先頭または末尾に空白があります', en: 'leading or trailing space' },
} as const satisfies Record<string, LocalText>;

export type DetailKey = keyof typeof PROBLEM_DETAILS;
