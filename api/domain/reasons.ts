/** Revocation reasons officers may use (spec 02 §Value rules; RFC 5280 §5.3.1 CRLReason). */

export type RevocationReason = 0 | 1 | 3 | 4 | 5;
export const REVOCATION_REASONS: readonly RevocationReason[] = [0, 1, 3, 4, 5];
export const REASON_NAMES: Readonly<Record<RevocationReason, { ja: string; en: string; rfc: string }>> = {
  0: { ja: 'その他', en: 'Unspecified', rfc: 'unspecified' },
  1: { ja: '鍵の危殆化', en: 'Key compromise', rfc: 'keyCompromise' },
  3: { ja: '所属変更', en: 'Affiliation changed', rfc: 'affiliationChanged' },
  4: { ja: '証明書の置き換え', en: 'Superseded', rfc: 'superseded' },
  5: { ja: '利用終了', en: 'Cessation of operation', rfc: 'cessationOfOperation' },
};
export function isRevocationReason(n: number): n is RevocationReason {
  return n === 0 || n === 1 || n === 3 || n === 4 || n === 5;
}
