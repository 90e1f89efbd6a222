// Every notification, signed and delivered over SMTP through nodemailer to a local smtp-server, must
// verify with `openssl smime -verify -in mail.eml -CAfile root.pem` (default purpose smimesign), and
// fail after one body byte is changed (spec 05 §Signature).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSignedMail } from '../../api/mail/build.ts';
import { makeMessageId, personAddress } from '../../api/mail/mime.ts';
import { headerValue, splitMessage } from '../../api/mail/mime-headers.ts';
import { MAIL_KINDS } from '../../api/mail/templates/index.ts';
import { createSmtpTransport } from '../../api/mail/transport.ts';
import type { MailTransport } from '../../api/mail/transport.ts';
import { ADMIN, OFFICER, SAMPLE_DATA } from '../helpers/mail-fixtures.ts';
import { leafParts, splitSigned, subjectOf } from '../helpers/smime-parse.ts';
import type { TestSmtpServer } from '../helpers/smtp-server.ts';
import { startSmtpServer } from '../helpers/smtp-server.ts';
import type { TestMailCa } from '../helpers/test-mail-ca.ts';
import { createTestMailCa } from '../helpers/test-mail-ca.ts';

const run = promisify(execFile);
const MAIL_FROM = 'hakko@example.ac.jp';

let dir: string;
let ca: TestMailCa;
let smtp: TestSmtpServer;
let transport: MailTransport;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hakko-smime-'));
  ca = await createTestMailCa(MAIL_FROM);
  await writeFile(path.join(dir, 'root.pem'), ca.rootPem);
  await writeFile(path.join(dir, 'mail-cert.pem'), ca.mailPem);
  smtp = await startSmtpServer();
  transport = createSmtpTransport(smtp.url);
});

afterAll(async () => {
  transport?.close();
  await smtp?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs `openssl smime -verify`; resolves with exit code and output instead of throwing. */
async function verify(file: string, ...extra: string[]): Promise<{ code: number; stderr: string }> {
  const args = ['smime', '-verify', '-in', file, '-CAfile', path.join(dir, 'root.pem'), '-out', `${file}.content`, ...extra];
  try {
    const { stderr } = await run('openssl', args);
    return { code: 0, stderr };
  } catch (e) {
    const err = e as { code?: number; stderr?: string };
    return { code: err.code ?? -1, stderr: err.stderr ?? '' };
  }
}

/** Builds, signs and delivers one mail; returns the .eml bytes the SMTP server received. */
async function deliver(kind: (typeof MAIL_KINDS)[number], n: number): Promise<Buffer> {
  const messageId = makeMessageId(n, 'interop', 'example.ac.jp');
  const mail = await buildSignedMail(kind, SAMPLE_DATA[kind] as never, {
    from: { name: 'Hakko', address: MAIL_FROM }, to: [personAddress(ADMIN)], cc: [personAddress(OFFICER)], messageId, date: new Date(),
  }, ca.signer, ca.chain);
  const result = await transport.send(mail.raw, mail.envelope);
  expect(result.accepted).toBe(true);
  const got = smtp.received.find((r) => headerValue(splitMessage(r.raw).fields, 'message-id') === messageId);
  expect(got).toBeDefined();
  expect(got!.raw.equals(mail.raw)).toBe(true);
  return got!.raw;
}

/** Changes one base64 character of the text body inside the signed entity (still valid base64). */
function flipBodyByte(raw: Buffer): Buffer {
  const { signed, signedOffset } = splitSigned(raw);
  const at = signedOffset + signed.indexOf('\r\n\r\n', signed.indexOf('Content-Transfer-Encoding: base64')) + 4 + 10;
  const out = Buffer.from(raw);
  out[at] = out[at] === 0x41 ? 0x42 : 0x41;
  expect(out.equals(raw)).toBe(false);
  return out;
}

test('ok: the mail signing certificate is fit for S/MIME signing (EKU emailProtection)', async () => {
  const { stdout } = await run('openssl', ['x509', '-in', path.join(dir, 'mail-cert.pem'), '-noout', '-purpose', '-ext', 'extendedKeyUsage,subjectAltName']);
  expect(stdout).toMatch(/S\/MIME signing : Yes/);
  expect(stdout).toContain('E-mail Protection');
  expect(stdout).toContain(`email:${MAIL_FROM}`);
});

describe.each(MAIL_KINDS.map((k, i) => [k, i] as const))('%s', (kind, i) => {
  test('ok: verifies with openssl smime; one flipped body byte fails', async () => {
    const raw = await deliver(kind, 100 + i);
    const file = path.join(dir, `${kind}.eml`);
    await writeFile(file, raw);
    const ok = await verify(file);
    expect(ok.stderr).toContain('Verification successful');
    expect(ok.code).toBe(0);

    const tampered = flipBodyByte(raw);
    const badFile = path.join(dir, `${kind}-tampered.eml`);
    await writeFile(badFile, tampered);
    const bad = await verify(badFile);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/digest failure|Verification failure/i);
  });
});

describe('delivered mail', () => {
  test('ok: openssl finds the signer and chain certificates in smime.p7s', async () => {
    const raw = await deliver('expiry-reminder', 200);
    const p7s = path.join(dir, 'sig.p7s');
    await writeFile(p7s, splitSigned(raw).p7s);
    const { stdout } = await run('openssl', ['pkcs7', '-inform', 'DER', '-in', p7s, '-print_certs', '-noout']);
    expect(stdout.match(/^subject=/gm)).toHaveLength(3);
    expect(stdout).toContain(`subject=CN = ${MAIL_FROM}`);
  });

  test('ok: the renewal attachment decodes as CP932, CRLF, 15 columns, reason 4', async () => {
    const raw = await deliver('renewal-pickup-completed', 201);
    expect(subjectOf(raw)).toBe('[Hakko] クライアント証明書取得通知 / Client certificate pickup completed');
    const parts = leafParts(splitSigned(raw).signed);
    const tsv = parts.find((p) => /filename=revoke-\d+\.tsv/.test(headerValue(p.fields, 'content-disposition') ?? ''));
    expect(tsv).toBeDefined();
    const text = new TextDecoder('shift_jis', { fatal: true }).decode(tsv!.body);
    expect(text.endsWith('\r\n')).toBe(true);
    const cols = text.slice(0, -2).split('\t');
    expect(cols).toHaveLength(15);
    expect(cols[3]).toBe('123456789012345678901234567890');
    expect(cols[4]).toBe('4');
    const body = parts[0]!.body.toString('utf8');
    expect(body).toContain('revoke-123456789012345678901234567890.tsv');
  });
});

describe('ECDSA mail signer', () => {
  test('ok: an ECDSA P-256 signature (ecdsa-with-SHA256) verifies with openssl; tampering fails', async () => {
    const ec = await createTestMailCa(MAIL_FROM, new Date(), 'P-256');
    const ecDir = await mkdtemp(path.join(dir, 'ec-'));
    await writeFile(path.join(ecDir, 'root.pem'), ec.rootPem);
    const mail = await buildSignedMail('pickup-completed', SAMPLE_DATA['pickup-completed'], {
      from: MAIL_FROM, to: [personAddress(OFFICER)], messageId: makeMessageId(300, 'ec', 'example.ac.jp'), date: new Date(),
    }, ec.signer, ec.chain);
    const file = path.join(ecDir, 'mail.eml');
    await writeFile(file, mail.raw);
    const args = ['smime', '-verify', '-in', file, '-CAfile', path.join(ecDir, 'root.pem'), '-out', '/dev/null'];
    const { stderr } = await run('openssl', args);
    expect(stderr).toContain('Verification successful');
    await writeFile(file, flipBodyByte(mail.raw));
    await expect(run('openssl', args)).rejects.toThrow();
  });
});
