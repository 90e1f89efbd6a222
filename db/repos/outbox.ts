/** Outbox writes (spec 05 §Delivery): a mail is a row written in the same transaction as its cause. */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../client.ts';
import { outbox } from '../schema/index.ts';

export interface Recipient {
  readonly address: string;
  readonly name?: string | null;
}

export interface MailIntent {
  /** Template name (api/mail/templates). */
  readonly kind: string;
  readonly to: readonly Recipient[];
  readonly data: Record<string, unknown>;
  readonly institutionId?: number | null;
  readonly requestId?: number | null;
  readonly serial?: string | null;
}

/** Queues mails; each gets its stable Message-ID now, so retries never make a second message. */
export async function enqueueMails(tx: Queryable, now: Date, mailHost: string, mails: readonly MailIntent[]): Promise<void> {
  const rows = mails
    .filter((m) => m.to.length > 0)
    .map((m) => ({
      kind: m.kind,
      institutionId: m.institutionId ?? null,
      recipients: m.to.map((r) => ({ address: r.address, name: r.name ?? null })),
      data: m.data,
      messageId: `<${randomUUID()}@${mailHost}>`,
      state: 'pending' as const,
      nextAttemptAt: now,
      createdAt: now,
      requestId: m.requestId ?? null,
      serial: m.serial ?? null,
    }));
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(outbox).values(rows.slice(i, i + 1000));
}
