/**
 * 有効期限のお知らせ / Certificate expiry reminder (spec 05 table): to the user administrator and the
 * user, `reminder.expiryDays` (default 30 and 7) days before a certificate that was not renewed
 * expires.
 */
import {
  bilingual, dnSection, institutionJa, labelled, salutationEn, salutationJa, section, serialSection,
  subjectLine, timeEn, timeJa,
} from './layout.ts';
import type { InstitutionName, Person, RenderedMail, RenderOptions } from './types.ts';
import { DEFAULT_RENDER_OPTIONS } from './types.ts';

export interface ExpiryReminderData {
  readonly institution: InstitutionName;
  /** The user administrator and the user (salutation). */
  readonly recipients: readonly Person[];
  /** The certificate: request DN, decimal serial, notAfter (ISO 8601). */
  readonly certificate: { readonly dn: string; readonly serial: string; readonly notAfter: string };
  /** Whole days left, as the scheduler computed them (the template reads no clock). */
  readonly daysLeft: number;
}

export const SUBJECT = { ja: '有効期限のお知らせ', en: 'Certificate expiry reminder' } as const;

/** Renders the expiry reminder. */
export function render(data: ExpiryReminderData, options: RenderOptions = DEFAULT_RENDER_OPTIONS): RenderedMail {
  if (!Number.isInteger(data.daysLeft) || data.daysLeft < 0) throw new RangeError(`daysLeft must be a whole number ≥ 0: ${data.daysLeft}`);
  return {
    subject: subjectLine(options.subjectPrefix, SUBJECT.ja, SUBJECT.en),
    text: bilingual(japanese(data), english(data)),
  };
}

function japanese(data: ExpiryReminderData): string[][] {
  const c = data.certificate;
  return [
    salutationJa(data.recipients),
    [`${institutionJa(data.institution)}の以下のクライアント証明書は、あと${data.daysLeft}日で有効期限を迎えます。`],
    [
      ...dnSection('対象証明書DN', c.dn),
      ...serialSection('対象証明書シリアル番号', c.serial),
      ...section('有効期限', timeJa(c.notAfter)),
    ],
    ['引き続き利用する場合は、利用管理者から登録担当者に更新を申請してください（更新用TSV）。',
     '更新すると新しい鍵で証明書が発行されます。利用しない場合は手続きは不要です。'],
  ];
}

function english(data: ExpiryReminderData): string[][] {
  const c = data.certificate;
  return [
    salutationEn(data.recipients),
    [`The following client certificate of ${data.institution.en} expires in ${data.daysLeft} day(s).`],
    [labelled('Subject DN', c.dn), labelled('Serial number', c.serial), labelled('Valid until', timeEn(c.notAfter))],
    ['To keep using it, the user administrator asks the registration officer for a renewal (renewal TSV).',
     'A renewal issues a certificate with a new key. If it is no longer needed, nothing needs to be done.'],
  ];
}
