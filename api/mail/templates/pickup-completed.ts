/**
 * クライアント証明書取得通知 / Client certificate pickup completed (spec 05 table; spec 01 §New
 * issuance step 6): to the registration officer who uploaded and the user administrator, with DN and
 * decimal serial. For method 2 it goes once the ZIP is done and lists every row.
 */
import type { DownloadMethod } from '../../domain/profiles.ts';
import {
  bilingual, dnSection, institutionJa, labelled, personLine, personLineEn, salutationEn, salutationJa,
  section, serialSection, subjectLine, timeEn, timeJa,
} from './layout.ts';
import type { InstitutionName, IssuedCertificate, Person, RenderedMail, RenderOptions } from './types.ts';
import { DEFAULT_RENDER_OPTIONS } from './types.ts';

export interface PickupCompletedData {
  readonly institution: InstitutionName;
  /** The people the mail is addressed to (salutation). */
  readonly recipients: readonly Person[];
  readonly method: DownloadMethod;
  /** The certificate, or every certificate of the method-2 group, in upload order. */
  readonly certificates: readonly IssuedCertificate[];
  /**
   * False when the certificate was issued but the browser never confirmed that the file was saved
   * and the pickup URL expired (spec 04 §Pickup page step 5): the mail says so.
   */
  readonly saveConfirmed: boolean;
}

export const SUBJECT = { ja: 'クライアント証明書取得通知', en: 'Client certificate pickup completed' } as const;

/** Renders the pickup-completed notification. */
export function render(data: PickupCompletedData, options: RenderOptions = DEFAULT_RENDER_OPTIONS): RenderedMail {
  return {
    subject: subjectLine(options.subjectPrefix, SUBJECT.ja, SUBJECT.en),
    text: bilingual(japanese(data), english(data)),
  };
}

/** One certificate as 【対象証明書DN】, 【対象証明書シリアル番号】, 【利用者】, 【有効期限】. */
export function certificateSectionsJa(c: IssuedCertificate): string[] {
  return [
    ...dnSection('対象証明書DN', c.dn),
    ...serialSection('対象証明書シリアル番号', c.serial),
    ...section('利用者', personLine(c.user)),
    ...section('有効期限', timeJa(c.notAfter)),
  ];
}

/** The English counterpart of {@link certificateSectionsJa}. */
export function certificateSectionsEn(c: IssuedCertificate): string[] {
  return [
    labelled('Subject DN', c.dn),
    labelled('Serial number', c.serial),
    labelled('User', personLineEn(c.user)),
    labelled('Valid until', timeEn(c.notAfter)),
  ];
}

function japanese(data: PickupCompletedData): string[][] {
  const n = data.certificates.length;
  return [
    salutationJa(data.recipients),
    [
      `${institutionJa(data.institution)}のクライアント証明書が取得されました${n > 1 ? `（${n}件）` : ''}。`,
      ...(data.saveConfirmed ? [] : ['証明書は発行されましたが、ファイルの保存は確認されないまま取得URLの有効期限が切れました。',
        '利用者が証明書ファイルを持っていない場合は、失効のうえ更新を申請してください。']),
    ],
    ...data.certificates.map(certificateSectionsJa),
    ['証明書は有効期限まで利用できます。紛失した場合や不要になった場合は、登録担当者に失効を依頼してください。'],
  ];
}

function english(data: PickupCompletedData): string[][] {
  const n = data.certificates.length;
  return [
    salutationEn(data.recipients),
    [
      `${n > 1 ? `${n} client certificates` : 'A client certificate'} of ${data.institution.en} ${n > 1 ? 'have' : 'has'} been picked up.`,
      ...(data.saveConfirmed ? [] : ['The certificate was issued, but saving the file was never confirmed before the pickup URL expired.',
        'If the user does not have the certificate file, have it revoked and request a renewal.']),
    ],
    ...data.certificates.map(certificateSectionsEn),
    ['The certificate can be used until it expires. If it is lost or no longer needed, ask the registration officer to revoke it.'],
  ];
}
