/** Reading the built-in mailbox (spec 05 §Delivery). Access rules live in the route. */
import { getMailboxMessage, listMailbox } from '../../db/repos/mailbox.ts';
import { HakkoError } from '../errors.ts';
import type { Services } from '../services.ts';

export const mailboxList = (s: Services) => listMailbox(s.db);

export async function mailboxMessage(s: Services, id: number) {
  const m = Number.isSafeInteger(id) ? await getMailboxMessage(s.db, id) : null;
  if (!m) throw new HakkoError('NOT_FOUND');
  return m;
}
