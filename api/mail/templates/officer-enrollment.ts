/**
 * 登録担当者証明書のご案内 / Registration officer certificate (spec 05 table; spec 01 §Setting up an
 * institution step 2): sent by `hakko officer enroll --email`. It carries the enrollment URL only —
 * the PIN the CLI printed reaches the officer by another channel (spec 04 §Secrets: never in a mail).
 */
import {
  bilingual, dnSection, institutionJa, labelled, salutationEn, salutationJa, section, subjectLine,
  timeEn, timeJa,
} from './layout.ts';
import type { InstitutionName, Person, RenderedMail, RenderOptions } from './types.ts';
import { DEFAULT_RENDER_OPTIONS } from './types.ts';

export interface OfficerEnrollmentData {
  /** The officer's institution; null for an operator. */
  readonly institution: InstitutionName | null;
  /** The new officer or operator (salutation). */
  readonly recipients: readonly Person[];
  readonly role: 'officer' | 'operator';
  /** The DN the officer certificate will carry (spec 03 §End-entity profiles, officer). */
  readonly dn: string;
  readonly enrollmentUrl: string;
  /** Enrollment URL expiry, ISO 8601. */
  readonly expiresAt: string;
  /** Dashboard link (on `PUBLIC_HTTPS_URL`). */
  readonly dashboardUrl: string;
}

export const SUBJECT = { ja: '登録担当者証明書のご案内', en: 'Registration officer certificate' } as const;

/** Renders the enrollment mail. */
export function render(data: OfficerEnrollmentData, options: RenderOptions = DEFAULT_RENDER_OPTIONS): RenderedMail {
  return {
    subject: subjectLine(options.subjectPrefix, SUBJECT.ja, SUBJECT.en),
    text: bilingual(japanese(data), english(data)),
  };
}

function japanese(data: OfficerEnrollmentData): string[][] {
  const who = data.role === 'operator' ? '運用者' : `${data.institution ? institutionJa(data.institution) + 'の' : ''}登録担当者`;
  return [
    salutationJa(data.recipients),
    [`${who}として登録されました。ダッシュボードに入るための証明書を、以下のURLから取得してください。`],
    [
      ...section('証明書取得URL', data.enrollmentUrl),
      ...section('証明書取得URL有効期限', timeJa(data.expiresAt)),
      ...dnSection('対象証明書DN', data.dn),
    ],
    ['アクセスPINはサービス窓口から別の方法でお知らせします（このメールには記載しません）。',
     'URLを開いてアクセスPINを入力すると、ブラウザの中で鍵が作られ、証明書ファイル（P12）がダウンロードされます。',
     'パスワードはご自身で決めます。ファイルをブラウザに取り込み、バックアップを保管してください。'],
    section('ダッシュボード', data.dashboardUrl),
  ];
}

function english(data: OfficerEnrollmentData): string[][] {
  const who = data.role === 'operator' ? 'an operator' : `a registration officer${data.institution ? ` of ${data.institution.en}` : ''}`;
  return [
    salutationEn(data.recipients),
    [`You have been enrolled as ${who}. Pick up the certificate that lets you into the dashboard at this URL.`],
    [labelled('Enrollment URL', data.enrollmentUrl), labelled('Valid until', timeEn(data.expiresAt)), labelled('Subject DN', data.dn)],
    ['The service desk gives you the access PIN by another channel (never in this mail).',
     'Open the URL and enter the PIN: your browser generates the key and downloads the certificate file (P12)',
     'with a password you choose. Import it into your browser and keep a backup.'],
    [labelled('Dashboard', data.dashboardUrl)],
  ];
}
