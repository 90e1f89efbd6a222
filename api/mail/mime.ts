/**
 * Builds the unsigned RFC 5322 message of a notification with nodemailer's MailComposer (spec 05
 * §Which mail goes to whom): UTF-8 text/plain (base64), or multipart/mixed when there is an
 * attachment; RFC 2047 subject; the caller's stable Message-ID and Date. Output is 7-bit and CRLF
 * throughout, ready for `signMail` (smime.ts), which turns it into multipart/signed.
 */
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailComposerOptions } from 'nodemailer/lib/mail-composer';
import type { MailDataByKind, MailKind } from './templates/index.ts';
import { renderMail } from './templates/index.ts';
import type { Person, RenderedMail } from './templates/types.ts';
import { DEFAULT_SUBJECT_PREFIX } from './templates/types.ts';
import { assertSevenBit, toCrlf } from './mime-headers.ts';

/** A mailbox: bare address or display name plus address. */
export type MailAddress = string | { readonly name?: string; readonly address: string };

/** A person of the template data as a mailbox (`名前 <mail>`). */
export function personAddress(p: Person): MailAddress {
  return { name: p.name, address: p.email };
}

/** SMTP envelope: MAIL FROM and every RCPT TO (To and Cc). */
export interface Envelope {
  readonly from: string;
  readonly to: readonly string[];
}

export interface ComposeOptions {
  /** `MAIL_FROM` (config); the mail signing certificate is issued for its address. */
  readonly from: MailAddress;
  readonly to: readonly MailAddress[];
  readonly cc?: readonly MailAddress[];
  /** Stable Message-ID from {@link makeMessageId}: a retry re-sends the same mail (spec 05 §Delivery). */
  readonly messageId: string;
  /** Date header: when the outbox row was created (from the injected clock). */
  readonly date: Date;
  /** `mail.subjectPrefix` setting; default `[Hakko]`. */
  readonly subjectPrefix?: string;
}

/** An unsigned message and what the transports and the mailbox need to know about it. */
export interface ComposedMail {
  /** The RFC 5322 message: 7-bit, CRLF line ends. */
  readonly raw: Buffer;
  readonly envelope: Envelope;
  readonly messageId: string;
  /** The decoded subject, for logs and the built-in mailbox. */
  readonly subject: string;
}

const MESSAGE_ID = /^<[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+@[A-Za-z0-9.\-[\]:]+>$/;

/**
 * `<outbox-<id>.<nonce>@<host>>`: stable for one outbox row, unguessable across instances (RFC 5322
 * §3.6.4). `nonce` comes from the caller's CSPRNG and is stored with the row.
 */
export function makeMessageId(outboxId: string | number | bigint, nonce: string, host: string): string {
  const id = `<outbox-${outboxId}.${nonce}@${host}>`;
  if (!MESSAGE_ID.test(id)) throw new RangeError(`not a valid Message-ID: ${id}`);
  return id;
}

/** Renders the template of `kind` and composes the unsigned message. */
export async function composeMail<K extends MailKind>(kind: K, data: MailDataByKind[K], options: ComposeOptions): Promise<ComposedMail> {
  const rendered = renderMail(kind, data, { subjectPrefix: options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX });
  return composeRendered(rendered, options);
}

/** Composes the unsigned message of an already rendered mail. */
export async function composeRendered(mail: RenderedMail, options: ComposeOptions): Promise<ComposedMail> {
  if (!MESSAGE_ID.test(options.messageId)) throw new RangeError(`not a valid Message-ID: ${options.messageId}`);
  if (options.to.length === 0) throw new RangeError('a mail needs at least one recipient');
  const node = new MailComposer(composerOptions(mail, options)).compile();
  const raw = Buffer.from(toCrlf(await node.build()));
  assertSevenBit(raw);
  const env = node.getEnvelope();
  if (!env.from) throw new RangeError('a mail needs a From address');
  if (env.to.length === 0) throw new RangeError('no usable recipient address');
  return { raw, envelope: { from: env.from, to: env.to }, messageId: options.messageId, subject: mail.subject };
}

function composerOptions(mail: RenderedMail, options: ComposeOptions): MailComposerOptions {
  return {
    from: options.from,
    to: [...options.to],
    ...(options.cc && options.cc.length > 0 ? { cc: [...options.cc] } : {}),
    subject: mail.subject,
    messageId: options.messageId,
    date: options.date,
    // RFC 3834: keeps vacation responders from answering notices.
    headers: { 'Auto-Submitted': 'auto-generated' },
    text: { content: mail.text.replace(/\r?\n/g, '\r\n'), contentType: 'text/plain; charset=utf-8' },
    attachments: (mail.attachments ?? []).map((a) => ({
      filename: a.filename,
      content: Buffer.from(a.content),
      contentType: a.contentType,
      contentTransferEncoding: 'base64',
      contentDisposition: 'attachment',
    })),
    // base64 keeps the signed entity 7-bit and immune to whitespace changes by relays (RFC 8551 §3.1.2).
    encoding: 'base64',
    textEncoding: 'B',
    newline: 'win',
    // Boundary from the Message-ID: the same row always yields the same bytes.
    baseBoundary: createHash('sha256').update(options.messageId).digest('hex').slice(0, 24),
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
