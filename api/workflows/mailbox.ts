/**
 * The built-in mailbox (spec 05 §Delivery): mails are stored sealed under the mailbox key (their
 * links are live PIN and pickup URLs: a database dump opens nothing, spec 04 §Secrets) and opened
 * to be shown. Who may read it is decided in api/http/mailbox-access.ts.
 */
import { getMailboxMessage, listMailbox, saveToMailbox } from '../../db/repos/mailbox.ts';
import { HakkoError } from '../errors.ts';
import { openMail, sealMail } from '../secrets/sealed.ts';
import type { Services } from '../services.ts';

export const mailboxList = (s: Pick<Services, 'db'>) => listMailbox(s.db);

/** Stores one delivered mail (the mailbox transport's `save`). */
export async function storeInMailbox(s: Pick<Services, 'db' | 'clock' | 'keys'>, m: { messageId: string; to: readonly string[]; subject: string; raw: Uint8Array }): Promise<void> {
  await saveToMailbox(s.db, { messageId: m.messageId, recipients: [...m.to], subject: m.subject, raw: sealMail(s.keys.mailbox, m.messageId, m.raw) }, s.clock.now());
}

/** One stored mail with its body opened; 404 for an unknown id. */
export async function mailboxMessage(s: Pick<Services, 'db' | 'keys'>, id: number) {
  const m = Number.isSafeInteger(id) ? await getMailboxMessage(s.db, id) : null;
  if (!m) throw new HakkoError('NOT_FOUND');
  return { ...m, raw: openMail(s.keys.mailbox, m.messageId, m.raw) };
}
