/**
 * Where a finished (signed) message goes (spec 05 §Delivery): SMTP through nodemailer when
 * `SMTP_URL` is set, otherwise the built-in mailbox, stored in the database and shown at
 * `/dev/mailbox`. Transports send the bytes they are given unchanged, so the S/MIME signature stays
 * intact; retries, backoff and row locking belong to the outbox worker.
 */
import { createTransport } from 'nodemailer';
import type { Envelope } from './mime.ts';
import { decodeEncodedWords, headerValue, splitMessage } from './mime-headers.ts';

/** Outcome of one delivery attempt. */
export interface SendResult {
  /**
   * True when the server took the message for at least one recipient. A partly refused mail counts
   * as sent — sending it again would double it for the others (spec 05 §Delivery: nothing doubled);
   * `rejected` names the refused addresses for the dashboard.
   */
  readonly accepted: boolean;
  /** Recipients the server refused while accepting the message for others. */
  readonly rejected?: readonly string[];
  /** Server reply or error text, for the dashboard (no credentials). */
  readonly response?: string;
  /**
   * True when the server refused for good (SMTP 5xx other than 503). The worker may still retry
   * (spec 05: retry for at least 24 hours), but can show the reason early.
   */
  readonly permanent?: boolean;
}

export interface MailTransport {
  /** `smtp` or `mailbox`, for logs and the dashboard. */
  readonly name: string;
  /**
   * Delivers `raw` as is to the envelope's recipients. Resolves with the outcome — also for SMTP
   * refusals and connection failures, which the worker retries; rejects only on programming errors.
   */
  send(raw: Uint8Array, envelope: Envelope): Promise<SendResult>;
  /** Releases connections (SMTP pool); a no-op for the mailbox. */
  close(): void;
}

/**
 * Pooled SMTP connections by default: connections opened once and reused (a new connection per
 * mail cost ~100 ms on loopback and capped delivery near 30 mails/s). `?pool=false`,
 * `?maxConnections=`, `?maxMessages=` in `SMTP_URL` override these.
 */
export const SMTP_POOL = { pool: true, maxConnections: 4, maxMessages: 500 } as const;

/**
 * SMTP via nodemailer (spec 05: `SMTP_URL`, e.g. `smtp://user:pass@host:587`; STARTTLS is used
 * when offered, `?requireTLS=true` insists on it). Connections are pooled ({@link SMTP_POOL}). The
 * pre-built message goes out as `raw`, so nodemailer adds and changes nothing.
 */
export function createSmtpTransport(smtpUrl: string): MailTransport {
  // Options given beside `url` apply where the URL does not set them (nodemailer createTransport).
  const transporter = createTransport({ url: smtpUrl, ...SMTP_POOL });
  return {
    name: 'smtp',
    async send(raw, envelope) {
      try {
        const info = await transporter.sendMail({ envelope: { from: envelope.from, to: [...envelope.to] }, raw: Buffer.from(raw) });
        const rejected = info.rejected.map(String);
        return { accepted: info.accepted.length > 0, response: info.response, ...(rejected.length > 0 ? { rejected } : {}) };
      } catch (e) {
        const err = e as { message?: string; response?: string; permanent?: boolean };
        return { accepted: false, response: err.response ?? err.message ?? String(e), permanent: err.permanent === true };
      }
    },
    close() {
      transporter.close();
    },
  };
}

/** A message as the built-in mailbox keeps it. */
export interface MailboxMessage {
  readonly messageId: string;
  /** Envelope recipients (To and Cc). */
  readonly to: readonly string[];
  /** Decoded subject. */
  readonly subject: string;
  /** The signed .eml bytes, downloadable from `/dev/mailbox`. */
  readonly raw: Uint8Array;
}

/**
 * Storage of the built-in mailbox; the lead implements it on the database. `save` must be
 * idempotent on `messageId` (an upsert): a retry after an unclear outcome stores one mail, not two.
 */
export interface MailboxStore {
  save(message: MailboxMessage): Promise<void>;
}

/** The built-in mailbox transport (spec 05: used when `SMTP_URL` is not set). */
export function createMailboxTransport(store: MailboxStore): MailTransport {
  return {
    name: 'mailbox',
    async send(raw, envelope) {
      const { fields } = splitMessage(raw);
      const messageId = headerValue(fields, 'message-id');
      if (messageId === null) throw new RangeError('message has no Message-ID');
      const subject = decodeEncodedWords(headerValue(fields, 'subject') ?? '');
      await store.save({ messageId, to: [...envelope.to], subject, raw: Uint8Array.from(raw) });
      return { accepted: true, response: 'stored in the built-in mailbox' };
    },
    close() {},
  };
}

/** In-memory {@link MailboxStore} for tests: keeps one message per Message-ID, in arrival order. */
export class MemoryMailboxStore implements MailboxStore {
  readonly messages: MailboxMessage[] = [];

  /** Stores the message, replacing an earlier one with the same Message-ID. */
  async save(message: MailboxMessage): Promise<void> {
    const i = this.messages.findIndex((m) => m.messageId === message.messageId);
    if (i >= 0) this.messages[i] = message;
    else this.messages.push(message);
  }
}
