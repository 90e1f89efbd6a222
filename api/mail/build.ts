/**
 * One call for the outbox worker: render, compose and sign a notification (spec 05 §Signature),
 * giving the bytes a transport sends and the envelope to send them with.
 */
import type { Signer } from '../pki/signer.ts';
import type { ComposeOptions, Envelope } from './mime.ts';
import { composeMail } from './mime.ts';
import { signMail } from './smime.ts';
import type { MailDataByKind, MailKind } from './templates/index.ts';

/** A signed message ready for a transport's `send`. */
export interface SignedMail {
  readonly raw: Buffer;
  readonly envelope: Envelope;
  readonly messageId: string;
  readonly subject: string;
}

/**
 * Renders the template of `kind`, composes the message and signs it with the mail signer.
 * `chain` is the issuing CA and root certificate (DER). The signing time is the mail's Date.
 */
export async function buildSignedMail<K extends MailKind>(
  kind: K, data: MailDataByKind[K], options: ComposeOptions, signer: Signer, chain: readonly Uint8Array[],
): Promise<SignedMail> {
  const composed = await composeMail(kind, data, options);
  const raw = await signMail(composed.raw, signer, chain, { signingTime: options.date });
  return { raw, envelope: composed.envelope, messageId: composed.messageId, subject: composed.subject };
}
