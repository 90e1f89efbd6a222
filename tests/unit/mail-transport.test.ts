// Transports (spec 05 §Delivery): the built-in mailbox keeps one mail per Message-ID; SMTP sends the
// signed bytes unchanged and reports refusals instead of throwing (the worker retries).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ComposeOptions } from '../../api/mail/mime.ts';
import { composeMail } from '../../api/mail/mime.ts';
import { createMailboxTransport, createSmtpTransport, MemoryMailboxStore } from '../../api/mail/transport.ts';
import { SAMPLE_DATA } from '../helpers/mail-fixtures.ts';
import type { TestSmtpServer } from '../helpers/smtp-server.ts';
import { startSmtpServer } from '../helpers/smtp-server.ts';

const OPTIONS: ComposeOptions = {
  from: 'hakko@example.ac.jp', to: ['pki-admin@sample.ac.jp'], cc: ['ra-officer@sample.ac.jp'],
  messageId: '<outbox-9.abc@example.ac.jp>', date: new Date('2026-12-01T00:00:00Z'),
};

describe('mailbox transport', () => {
  test('ok: stores Message-ID, decoded subject, envelope recipients and the raw bytes', async () => {
    const store = new MemoryMailboxStore();
    const mail = await composeMail('pin-notice', SAMPLE_DATA['pin-notice'], OPTIONS);
    const result = await createMailboxTransport(store).send(mail.raw, mail.envelope);
    expect(result.accepted).toBe(true);
    expect(store.messages).toHaveLength(1);
    const [m] = store.messages;
    expect(m!.messageId).toBe('<outbox-9.abc@example.ac.jp>');
    expect(m!.subject).toBe('[Hakko] アクセスPIN発行通知 / Access PIN issued');
    expect(m!.to).toEqual(['pki-admin@sample.ac.jp', 'ra-officer@sample.ac.jp']);
    expect(Buffer.from(m!.raw).equals(mail.raw)).toBe(true);
  });

  test('ok: a retry with the same Message-ID stores one mail, not two', async () => {
    const store = new MemoryMailboxStore();
    const transport = createMailboxTransport(store);
    const mail = await composeMail('pin-notice', SAMPLE_DATA['pin-notice'], OPTIONS);
    await transport.send(mail.raw, mail.envelope);
    await transport.send(mail.raw, mail.envelope);
    const other = await composeMail('pin-notice', SAMPLE_DATA['pin-notice'], { ...OPTIONS, messageId: '<outbox-10.abc@example.ac.jp>' });
    await transport.send(other.raw, other.envelope);
    expect(store.messages.map((m) => m.messageId)).toEqual(['<outbox-9.abc@example.ac.jp>', '<outbox-10.abc@example.ac.jp>']);
  });
});

describe('smtp transport', () => {
  let server: TestSmtpServer;
  beforeAll(async () => {
    server = await startSmtpServer((address) => address.startsWith('nobody@'));
  });
  afterAll(async () => {
    await server.close();
  });

  test('ok: delivers the raw bytes unchanged to the envelope recipients', async () => {
    const mail = await composeMail('renewal-pickup-completed', SAMPLE_DATA['renewal-pickup-completed'], OPTIONS);
    const transport = createSmtpTransport(server.url);
    const result = await transport.send(mail.raw, mail.envelope);
    transport.close();
    expect(result.accepted).toBe(true);
    expect(result.response).toMatch(/^250/);
    const got = server.received.at(-1)!;
    expect(got.from).toBe('hakko@example.ac.jp');
    expect(got.to).toEqual(['pki-admin@sample.ac.jp', 'ra-officer@sample.ac.jp']);
    expect(got.raw.equals(mail.raw)).toBe(true);
  });

  test('NG a refused recipient → not accepted, permanent', async () => {
    const mail = await composeMail('pin-notice', SAMPLE_DATA['pin-notice'], { ...OPTIONS, to: ['nobody@sample.ac.jp'], cc: [] });
    const transport = createSmtpTransport(server.url);
    const result = await transport.send(mail.raw, mail.envelope);
    transport.close();
    expect(result).toMatchObject({ accepted: false, permanent: true });
    expect(result.response).toMatch(/550/);
  });

  test('ok: one of two recipients refused → sent (a retry would double it), refused address reported', async () => {
    const mail = await composeMail('pin-notice', SAMPLE_DATA['pin-notice'], { ...OPTIONS, cc: ['nobody@sample.ac.jp'] });
    const transport = createSmtpTransport(server.url);
    const result = await transport.send(mail.raw, mail.envelope);
    transport.close();
    expect(result).toMatchObject({ accepted: true, rejected: ['nobody@sample.ac.jp'] });
    expect(server.received.at(-1)!.to).toEqual(['pki-admin@sample.ac.jp']);
  });

  test('NG no server listening → not accepted, not permanent (retry later)', async () => {
    const mail = await composeMail('pin-notice', SAMPLE_DATA['pin-notice'], OPTIONS);
    const transport = createSmtpTransport('smtp://127.0.0.1:1/?connectionTimeout=2000');
    const result = await transport.send(mail.raw, mail.envelope);
    transport.close();
    expect(result.accepted).toBe(false);
    expect(result.permanent).toBe(false);
    expect(result.response).toBeTruthy();
  });
});
