/**
 * A local SMTP server for tests (smtp-server on 127.0.0.1, a free port, no TLS, no auth) that keeps
 * every delivered message byte for byte. `rejectRecipient` makes it refuse addresses (550).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: Buffer;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>` — what `SMTP_URL` would hold. */
  readonly url: string;
  readonly received: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * Starts the server; `rejectRecipient(address)` returning true answers 550 for that RCPT TO.
 * `port` (default: a free one) lets a test bring a server back on the port an outage left dead.
 */
export async function startSmtpServer(rejectRecipient: (address: string) => boolean = () => false, opts: { port?: number } = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!rejectRecipient(address.address)) return callback();
      const err = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
