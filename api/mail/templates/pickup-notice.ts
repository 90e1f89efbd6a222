/**
 * クライアント証明書発行受付通知 / Client certificate issue acceptance notice (spec 05 table; spec 01
 * §New issuance step 4): carries the pickup URL. Goes to the user (methods 1, 3) or to the user
 * administrator of a method-2 group (one URL for all of that administrator's rows).
 */
import type { DownloadMethod } from '../../domain/profiles.ts';
import {
  bilingual, institutionJa, labelled, requestSectionsEn, requestSectionsJa, salutationEn, salutationJa,
  section, subjectLine, timeEn, timeJa,
} from './layout.ts';
import type { InstitutionName, Person, RenderedMail, RenderOptions, RequestRef } from './types.ts';
import { DEFAULT_RENDER_OPTIONS } from './types.ts';

export interface PickupNoticeData {
  readonly institution: InstitutionName;
  /** The people the mail is addressed to (salutation). */
  readonly recipients: readonly Person[];
  readonly method: DownloadMethod;
  /** The request (methods 1, 3) or every row of the administrator's group (method 2). */
  readonly requests: readonly RequestRef[];
  readonly pickupUrl: string;
  /** Pickup URL expiry, ISO 8601. */
  readonly expiresAt: string;
}

export const SUBJECT = { ja: 'クライアント証明書発行受付通知', en: 'Client certificate issue acceptance notice' } as const;

/** Renders the pickup notice. */
export function render(data: PickupNoticeData, options: RenderOptions = DEFAULT_RENDER_OPTIONS): RenderedMail {
  return renderPickupNotice(data, options, false);
}

/** Shared with the re-issue mail (spec 05: "same as PIN / pickup notice, marked 再発行 / re-issued"). */
export function renderPickupNotice(data: PickupNoticeData, options: RenderOptions, reissued: boolean): RenderedMail {
  const subject = reissued
    ? subjectLine(options.subjectPrefix, `${SUBJECT.ja}（再発行）`, `${SUBJECT.en} (re-issued)`)
    : subjectLine(options.subjectPrefix, SUBJECT.ja, SUBJECT.en);
  return { subject, text: bilingual(japanese(data, reissued), english(data, reissued)) };
}

/** What to do next, by download method (spec 04 §Pickup page). */
const NEXT_JA: Readonly<Record<DownloadMethod, readonly string[]>> = {
  1: ['利用管理者からアクセスPINを受け取り、上記URLを開いて入力してください。',
      'ブラウザの中で鍵が作られ、証明書ファイル（P12）がダウンロードされます。P12のパスワードはアクセスPINです。'],
  2: ['アクセスPIN配付者がアクセスPIN一覧を取得すると、上記URLが使えるようになります。',
      'URLを開くと全員分の鍵と証明書がブラウザの中で作られ、P12ファイルをまとめたZIP（certs.zip）がダウンロードされます。',
      '各利用者に本人のP12ファイルを渡してください。P12のパスワードは各利用者のアクセスPINです。'],
  3: ['利用管理者からアクセスPINを受け取り、上記URLを開いて入力してください。',
      'ブラウザの中で鍵が作られ、証明書ファイル（P12）がダウンロードされます。P12のパスワードはご自身で決めます。'],
};

const NEXT_EN: Readonly<Record<DownloadMethod, readonly string[]>> = {
  1: ['Get the access PIN from your user administrator, open the URL and enter it.',
      'Your browser generates the key and downloads the certificate file (P12); its password is the access PIN.'],
  2: ['The URL becomes usable once the access PIN distributor has retrieved the PIN list.',
      'Opening it generates every key and certificate in the browser and downloads one ZIP (certs.zip) of P12 files.',
      'Hand each user their own P12 file; its password is that user\'s access PIN.'],
  3: ['Get the access PIN from your user administrator, open the URL and enter it.',
      'Your browser generates the key and downloads the certificate file (P12); you choose its password.'],
};

function japanese(data: PickupNoticeData, reissued: boolean): string[][] {
  return [
    salutationJa(data.recipients),
    [
      `${institutionJa(data.institution)}のクライアント証明書発行申請を受け付けました。証明書取得URLを${reissued ? '再発行' : 'お知らせ'}します。`,
      ...(reissued ? ['以前にお送りした証明書取得URLは無効になりました。'] : []),
      ...(data.method === 2 ? [`対象は${data.requests.length}件です。`] : []),
    ],
    [...section('証明書取得URL', data.pickupUrl), ...section('証明書取得URL有効期限', timeJa(data.expiresAt))],
    ...requestSectionsJa(data.requests),
    [...NEXT_JA[data.method], 'URLはアクセスPINの取得後に有効になり、有効期限を過ぎると使えません。'],
  ];
}

function english(data: PickupNoticeData, reissued: boolean): string[][] {
  return [
    salutationEn(data.recipients),
    [
      `A client certificate request of ${data.institution.en} has been accepted. Here is the ${reissued ? 're-issued ' : ''}pickup URL.`,
      ...(reissued ? ['The pickup URL sent earlier no longer works.'] : []),
      ...(data.method === 2 ? [`It covers ${data.requests.length} request(s).`] : []),
    ],
    [labelled('Pickup URL', data.pickupUrl), labelled('Valid until', timeEn(data.expiresAt))],
    ...requestSectionsEn(data.requests),
    [...NEXT_EN[data.method], 'The URL works once the access PIN has been retrieved, and not after it expires.'],
  ];
}
