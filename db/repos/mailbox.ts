/** The built-in mailbox (spec 05 §Delivery: the embedded default keeps mail in the database). */
import { desc, eq } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { mailbox } from '../schema/index.ts';

export async function saveToMailbox(db: Queryable, m: { messageId: string; recipients: string[]; subject: string; raw: Uint8Array }, now: Date): Promise<void> {
  // The same Message-ID twice (a re-send after an unclear outcome) is one message.
  await db.insert(mailbox).values({ ...m, createdAt: now }).onConflictDoNothing({ target: mailbox.messageId });
}

export async function listMailbox(db: Queryable, limit = 200) {
  return db.select({ id: mailbox.id, messageId: mailbox.messageId, recipients: mailbox.recipients, subject: mailbox.subject, createdAt: mailbox.createdAt }).from(mailbox).orderBy(desc(mailbox.id)).limit(limit);
}

export async function getMailboxMessage(db: Queryable, id: number) {
  const [r] = await db.select().from(mailbox).where(eq(mailbox.id, id));
  return r ?? null;
}
