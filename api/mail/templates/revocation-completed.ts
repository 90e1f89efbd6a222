/**
 * クライアント証明書失効完了通知 / Client certificate revocation completed (spec 05 table; spec 01
 * §Revocation step 2): to the registration officer, the user administrator and the user, one mail
 * per revoked certificate, with 【失効証明書DN】, 【失効証明書シリアル番号】 and 【失効理由】.
 */
import type { RevocationReason } from '../../domain/reasons.ts';
import { REASON_NAMES } from '../../domain/reasons.ts';
import {
  bilingual, dnSection, institutionJa, labelled, salutationEn, salutationJa, section, serialSection,
  subjectLine, timeEn, timeJa,
} from './layout.ts';
import type { InstitutionName, Person, RenderedMail, RenderOptions } from './types.ts';
import { DEFAULT_RENDER_OPTIONS } from './types.ts';

export interface RevocationCompletedData {
  readonly institution: InstitutionName;
  /** The people the mail is addressed to (salutation). */
  readonly recipients: readonly Person[];
  /** The revoked certificate: its request DN and decimal serial. */
  readonly certificate: { readonly dn: string; readonly serial: string };
  /** RFC 5280 CRLReason code as officers use them (spec 02 §Value rules). */
  readonly reason: RevocationReason;
  /** Revocation comment (column 6), when one was given. */
  readonly comment?: string;
  /** Revocation time, ISO 8601. */
  readonly revokedAt: string;
}

export const SUBJECT = { ja: 'クライアント証明書失効完了通知', en: 'Client certificate revocation completed' } as const;

/** Renders the revocation notification. */
export function render(data: RevocationCompletedData, options: RenderOptions = DEFAULT_RENDER_OPTIONS): RenderedMail {
  return {
    subject: subjectLine(options.subjectPrefix, SUBJECT.ja, SUBJECT.en),
    text: bilingual(japanese(data), english(data)),
  };
}

/** `4 証明書の置き換え` — the code first, so parsers need not know the text. */
export function reasonJa(reason: RevocationReason): string {
  return `${reason} ${REASON_NAMES[reason].ja}`;
}

function japanese(data: RevocationCompletedData): string[][] {
  return [
    salutationJa(data.recipients),
    [`${institutionJa(data.institution)}の以下のクライアント証明書を失効しました。`],
    [
      ...dnSection('失効証明書DN', data.certificate.dn),
      ...serialSection('失効証明書シリアル番号', data.certificate.serial),
      ...section('失効理由', reasonJa(data.reason)),
      ...(data.comment ? section('失効理由コメント', data.comment) : []),
      ...section('失効日時', timeJa(data.revokedAt)),
    ],
    ['この証明書はもう使えません。ブラウザやOSの証明書ストアから削除してください。',
     '新しい証明書が必要な場合は、利用管理者を通じて登録担当者に申請してください。'],
  ];
}

function english(data: RevocationCompletedData): string[][] {
  const r = REASON_NAMES[data.reason];
  return [
    salutationEn(data.recipients),
    [`The following client certificate of ${data.institution.en} has been revoked.`],
    [
      labelled('Subject DN', data.certificate.dn),
      labelled('Serial number', data.certificate.serial),
      labelled('Reason', `${data.reason} ${r.en} (${r.rfc})`),
      ...(data.comment ? [labelled('Comment', data.comment)] : []),
      labelled('Revoked at', timeEn(data.revokedAt)),
    ],
    ['The certificate can no longer be used; remove it from your browser or operating system.',
     'If you need a new certificate, ask the registration officer through your user administrator.'],
  ];
}
