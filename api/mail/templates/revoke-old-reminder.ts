/**
 * 旧証明書失効のお願い / Please revoke the replaced certificate (spec 05 table; spec 01 §Renewal step
 * 3): to every active registration officer of the institution, 14 days (`reminder.revokeOldAfterDays`)
 * after a renewal was picked up while the old certificate is still valid.
 */
import {
  bilingual, dnSection, institutionJa, labelled, personLine, personLineEn, salutationEn, salutationJa,
  section, serialSection, subjectLine, timeEn, timeJa,
} from './layout.ts';
import type { InstitutionName, Person, RenderedMail, RenderOptions } from './types.ts';
import { DEFAULT_RENDER_OPTIONS } from './types.ts';

/** One replaced certificate that is still valid. */
export interface ReplacedCertificate {
  /** Request DN of the old certificate. */
  readonly oldDn: string;
  readonly oldSerial: string;
  /** notAfter of the old certificate, ISO 8601. */
  readonly oldNotAfter: string;
  readonly newSerial: string;
  /** When the renewal was picked up, ISO 8601. */
  readonly pickedUpAt: string;
  readonly user: Person;
}

export interface RevokeOldReminderData {
  readonly institution: InstitutionName;
  /** The registration officers (salutation). */
  readonly recipients: readonly Person[];
  /** One or more replaced certificates awaiting revocation. */
  readonly certificates: readonly ReplacedCertificate[];
  /** Dashboard link (on `PUBLIC_HTTPS_URL`), where *revoke old certificate* is. */
  readonly dashboardUrl: string;
}

export const SUBJECT = { ja: '旧証明書失効のお願い', en: 'Please revoke the replaced certificate' } as const;

/** Renders the reminder. */
export function render(data: RevokeOldReminderData, options: RenderOptions = DEFAULT_RENDER_OPTIONS): RenderedMail {
  return {
    subject: subjectLine(options.subjectPrefix, SUBJECT.ja, SUBJECT.en),
    text: bilingual(japanese(data), english(data)),
  };
}

function sectionsJa(c: ReplacedCertificate): string[] {
  return [
    ...dnSection('対象証明書DN', c.oldDn),
    ...serialSection('旧証明書のシリアル番号', c.oldSerial),
    ...serialSection('新証明書シリアル番号', c.newSerial),
    ...section('利用者', personLine(c.user)),
    ...section('新証明書の取得日時', timeJa(c.pickedUpAt)),
    ...section('旧証明書の有効期限', timeJa(c.oldNotAfter)),
  ];
}

function sectionsEn(c: ReplacedCertificate): string[] {
  return [
    labelled('Subject DN', c.oldDn),
    labelled('Old serial number', c.oldSerial),
    labelled('New serial number', c.newSerial),
    labelled('User', personLineEn(c.user)),
    labelled('New certificate picked up', timeEn(c.pickedUpAt)),
    labelled('Old certificate valid until', timeEn(c.oldNotAfter)),
  ];
}

function japanese(data: RevokeOldReminderData): string[][] {
  return [
    salutationJa(data.recipients),
    [`${institutionJa(data.institution)}で更新された以下の証明書について、旧証明書がまだ有効です。`],
    ...data.certificates.map(sectionsJa),
    ['利用管理者に新しい証明書の利用開始を確認のうえ、更新の取得通知に添付された失効用TSVを',
     '失効申請としてアップロードするか、ダッシュボードの「旧証明書を失効」を押してください。'],
    section('ダッシュボード', data.dashboardUrl),
  ];
}

function english(data: RevokeOldReminderData): string[][] {
  return [
    salutationEn(data.recipients),
    [`The following certificates of ${data.institution.en} were renewed, but the old certificates are still valid.`],
    ...data.certificates.map(sectionsEn),
    ['Once the user administrator confirms that the new certificate is in use, upload the revocation TSV',
     'attached to the renewal pickup notification, or press "revoke old certificate" in the dashboard.'],
    [labelled('Dashboard', data.dashboardUrl)],
  ];
}
