/**
 * アクセスPIN発行通知 / Access PIN issued (spec 05 table; spec 01 §New issuance step 4): carries the
 * PIN URL — never the PIN. Goes to the user administrator (methods 1, 3) or to the registration
 * officer who uploaded (method 2, one URL for the whole upload or re-issued group).
 */
import type { DownloadMethod } from '../../domain/profiles.ts';
import {
  bilingual, institutionJa, labelled, requestSectionsEn, requestSectionsJa, salutationEn, salutationJa,
  section, subjectLine, timeEn, timeJa,
} from './layout.ts';
import type { InstitutionName, Person, RenderedMail, RenderOptions, RequestRef } from './types.ts';
import { DEFAULT_RENDER_OPTIONS } from './types.ts';

export interface PinNoticeData {
  readonly institution: InstitutionName;
  /** The people the mail is addressed to (salutation). */
  readonly recipients: readonly Person[];
  readonly method: DownloadMethod;
  /** The request (methods 1, 3) or every row the PIN URL covers (method 2), in upload order. */
  readonly requests: readonly RequestRef[];
  readonly pinUrl: string;
  /** PIN URL expiry, ISO 8601. */
  readonly expiresAt: string;
}

export const SUBJECT = { ja: 'アクセスPIN発行通知', en: 'Access PIN issued' } as const;

/** Renders the PIN notice. */
export function render(data: PinNoticeData, options: RenderOptions = DEFAULT_RENDER_OPTIONS): RenderedMail {
  return renderPinNotice(data, options, false);
}

/** Shared with the re-issue mail (spec 05: "same as PIN / pickup notice, marked 再発行 / re-issued"). */
export function renderPinNotice(data: PinNoticeData, options: RenderOptions, reissued: boolean): RenderedMail {
  const subject = reissued
    ? subjectLine(options.subjectPrefix, `${SUBJECT.ja}（再発行）`, `${SUBJECT.en} (re-issued)`)
    : subjectLine(options.subjectPrefix, SUBJECT.ja, SUBJECT.en);
  return { subject, text: bilingual(japanese(data, reissued), english(data, reissued)) };
}

function japanese(data: PinNoticeData, reissued: boolean): string[][] {
  const bulk = data.method === 2;
  return [
    salutationJa(data.recipients),
    [
      `${institutionJa(data.institution)}のクライアント証明書発行申請を受け付け、アクセスPIN取得URLを${reissued ? '再発行' : '発行'}しました。`,
      ...(reissued ? ['以前にお送りしたアクセスPIN取得URLと証明書取得URLは無効になりました。'] : []),
      ...(bulk ? [`対象は${data.requests.length}件です。`] : []),
    ],
    [...section('アクセスPIN取得URL', data.pinUrl), ...section('アクセスPIN取得URL有効期限', timeJa(data.expiresAt))],
    ...requestSectionsJa(data.requests),
    bulk
      ? ['上記URLを開いてアクセスPIN一覧（pins.zip）を取得し、アクセスPIN配付者に渡してください。',
         'URLは一度しか使えません。取得後、利用管理者あての証明書取得URLが有効になります。']
      : ['上記URLを開いてアクセスPINを取得し、安全な方法で利用者本人に渡してください。',
         'アクセスPINは一度しか表示されません。利用者には証明書取得URLが別途メールで届きます。'],
  ];
}

function english(data: PinNoticeData, reissued: boolean): string[][] {
  const bulk = data.method === 2;
  return [
    salutationEn(data.recipients),
    [
      `A client certificate request of ${data.institution.en} has been accepted and an access PIN URL has been ${reissued ? 're-issued' : 'issued'}.`,
      ...(reissued ? ['The access PIN URL and pickup URL sent earlier no longer work.'] : []),
      ...(bulk ? [`It covers ${data.requests.length} request(s).`] : []),
    ],
    [labelled('Access PIN URL', data.pinUrl), labelled('Valid until', timeEn(data.expiresAt))],
    ...requestSectionsEn(data.requests),
    bulk
      ? ['Open the URL, download the PIN list (pins.zip) and hand it to the access PIN distributor.',
         'The URL works once. Afterwards the user administrators\' pickup URLs become active.']
      : ['Open the URL, retrieve the access PIN and hand it to the user by a secure channel.',
         'The PIN is shown only once. The user receives the pickup URL in a separate mail.'],
  ];
}
