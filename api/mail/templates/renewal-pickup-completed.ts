/**
 * Renewal pickup completed (spec 05 table; spec 01 §Renewal step 3): the pickup notification of a
 * renewal. While the old certificate is still valid it carries the revocation TSV for it (CP932,
 * reason 4 superseded, ready to upload) and says so; when the old one expired or was revoked, no
 * attachment. A method-2 group gets one mail listing every row and one file covering every old
 * certificate that is still valid.
 */
import type { DownloadMethod } from '../../domain/profiles.ts';
import { encodeRevocationTsv, revocationTsvFilename } from '../revocation-tsv.ts';
import {
  bilingual, dnSection, institutionJa, labelled, personLine, personLineEn, salutationEn, salutationJa,
  section, serialSection, subjectLine, timeEn, timeJa,
} from './layout.ts';
import { SUBJECT } from './pickup-completed.ts';
import type {
  InstitutionName, MailAttachment, Person, RenderedMail, RenderOptions, RenewedCertificate,
} from './types.ts';
import { DEFAULT_RENDER_OPTIONS } from './types.ts';

export interface RenewalPickupCompletedData {
  readonly institution: InstitutionName;
  /** The people the mail is addressed to (salutation). */
  readonly recipients: readonly Person[];
  readonly method: DownloadMethod;
  /** The renewed certificate, or every one of the method-2 group, in upload order. */
  readonly certificates: readonly RenewedCertificate[];
  /** As in the pickup-completed mail (spec 04 §Pickup page step 5). */
  readonly saveConfirmed: boolean;
}

/** MIME type of the attachment: CP932 is labelled Shift_JIS, the name mail clients know. */
export const REVOCATION_TSV_TYPE = 'text/tab-separated-values; charset=Shift_JIS';

/** Renders the renewal pickup notification with its revocation TSV when one is due. */
export function render(data: RenewalPickupCompletedData, options: RenderOptions = DEFAULT_RENDER_OPTIONS): RenderedMail {
  const attachment = revocationAttachment(data.certificates);
  return {
    subject: subjectLine(options.subjectPrefix, SUBJECT.ja, SUBJECT.en),
    text: bilingual(japanese(data, attachment), english(data, attachment)),
    ...(attachment ? { attachments: [attachment] } : {}),
  };
}

/** The revocation TSV for the old certificates that are still valid, or null when there are none. */
export function revocationAttachment(certs: readonly RenewedCertificate[]): MailAttachment | null {
  const due = certs.filter((c) => c.oldStillValid);
  if (due.length === 0) return null;
  return {
    filename: revocationTsvFilename(due.map((c) => c.oldSerial)),
    contentType: REVOCATION_TSV_TYPE,
    content: encodeRevocationTsv(due.map((c) => ({ requestDn: c.oldRequestDn, serial: c.oldSerial, userAdmin: c.userAdmin, user: c.user }))),
  };
}

function sectionsJa(c: RenewedCertificate): string[] {
  return [
    ...dnSection('対象証明書DN', c.dn),
    ...serialSection('新証明書シリアル番号', c.serial),
    ...serialSection('旧証明書のシリアル番号', c.oldSerial),
    ...section('利用者', personLine(c.user)),
    ...section('有効期限', timeJa(c.notAfter)),
    ...section('旧証明書の状態', c.oldStillValid ? '有効（失効用TSVを添付）' : '有効期限切れまたは失効済み'),
  ];
}

function sectionsEn(c: RenewedCertificate): string[] {
  return [
    labelled('Subject DN', c.dn),
    labelled('New serial number', c.serial),
    labelled('Old serial number', c.oldSerial),
    labelled('User', personLineEn(c.user)),
    labelled('Valid until', timeEn(c.notAfter)),
    labelled('Old certificate', c.oldStillValid ? 'still valid (revocation TSV attached)' : 'expired or revoked'),
  ];
}

function japanese(data: RenewalPickupCompletedData, attachment: MailAttachment | null): string[][] {
  return [
    salutationJa(data.recipients),
    [
      `${institutionJa(data.institution)}の更新したクライアント証明書が取得されました。`,
      ...(data.saveConfirmed ? [] : ['ファイルの保存は確認されないまま取得URLの有効期限が切れました。']),
    ],
    ...data.certificates.map(sectionsJa),
    attachment
      ? [`旧証明書はまだ有効です。旧証明書を失効するためのTSVファイル（${attachment.filename}）を添付しました。`,
         '利用管理者から新しい証明書の利用開始の連絡を受けたら、このファイルを失効申請としてアップロードするか、',
         'ダッシュボードの「旧証明書を失効」を押してください。']
      : ['旧証明書は有効期限切れまたは失効済みのため、失効の手続きは不要です。'],
  ];
}

function english(data: RenewalPickupCompletedData, attachment: MailAttachment | null): string[][] {
  return [
    salutationEn(data.recipients),
    [
      `A renewed client certificate of ${data.institution.en} has been picked up.`,
      ...(data.saveConfirmed ? [] : ['Saving the file was never confirmed before the pickup URL expired.']),
    ],
    ...data.certificates.map(sectionsEn),
    attachment
      ? [`The old certificate is still valid. The attached TSV file (${attachment.filename}) revokes it.`,
         'When the user administrator reports that the new certificate is in use, upload the file as a',
         'revocation, or press "revoke old certificate" in the dashboard.']
      : ['The old certificate has expired or was revoked; nothing needs to be revoked.'],
  ];
}
