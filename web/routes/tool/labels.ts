/** Message keys of values the tool names often: kinds of request file, encodings, row states. */
import type { TsvEncoding, TsvKind } from '$domain/tsv/index.ts';
import type { PlainMessageKey } from '$lib/i18n/index.ts';

export const KIND_KEYS: Readonly<Record<TsvKind, PlainMessageKey>> = {
  issue: 'tool.kind.issue',
  renew: 'tool.kind.renew',
  revoke: 'tool.kind.revoke',
  admin: 'tool.kind.admin',
};

export const KIND_HINT_KEYS: Readonly<Record<TsvKind, PlainMessageKey>> = {
  issue: 'tool.kind.issueHint',
  renew: 'tool.kind.renewHint',
  revoke: 'tool.kind.revokeHint',
  admin: 'tool.kind.adminHint',
};

export const ENCODING_KEYS: Readonly<Record<TsvEncoding, PlainMessageKey>> = {
  'utf-8': 'tool.encoding.utf8',
  cp932: 'tool.encoding.cp932',
};
