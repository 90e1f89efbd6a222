// S/MIME signing (spec 05 §Signature): multipart/signed layout, CMS structure, signature made only
// through the Signer interface, verification in pkijs (OpenSSL checks are in tests/interop).
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Signer } from '../../api/pki/signer.ts';
import { buildSignedMail } from '../../api/mail/build.ts';
import type { ComposeOptions } from '../../api/mail/mime.ts';
import { composeMail } from '../../api/mail/mime.ts';
import { headerValue } from '../../api/mail/mime-headers.ts';
import { createDetachedSignature, derSort, signMail, splitForSigning } from '../../api/mail/smime.ts';
import { SAMPLE_DATA } from '../helpers/mail-fixtures.ts';
import { splitSigned } from '../helpers/smime-parse.ts';
import type { TestMailCa } from '../helpers/test-mail-ca.ts';
import { createTestMailCa } from '../helpers/test-mail-ca.ts';

const OPTIONS: ComposeOptions = {
  from: 'hakko@example.ac.jp', to: ['pki-admin@sample.ac.jp'],
  messageId: '<outbox-7.n0nce@example.ac.jp>', date: new Date('2026-12-01T00:00:00Z'),
};

let ca: TestMailCa;
beforeAll(async () => {
  ca = await createTestMailCa('hakko@example.ac.jp', new Date('2026-11-01T00:00:00Z'));
});

function signedDataOf(p7s: Uint8Array): pkijs.SignedData {
  const info = pkijs.ContentInfo.fromBER(Uint8Array.from(p7s));
  expect(info.contentType).toBe('1.2.840.113549.1.7.2');
  return new pkijs.SignedData({ schema: info.content });
}

describe('signMail', () => {
  test('ok: multipart/signed with protocol and micalg; outer headers kept', async () => {
    const m = await buildSignedMail('pin-notice', SAMPLE_DATA['pin-notice'], OPTIONS, ca.signer, ca.chain);
    const parts = splitSigned(m.raw);
    expect(parts.contentType).toMatch(/^multipart\/signed; protocol="application\/pkcs7-signature"; micalg=sha-256; boundary="/);
    expect(headerValue(parts.fields, 'message-id')).toBe(OPTIONS.messageId);
    expect(headerValue(parts.fields, 'mime-version')).toBe('1.0');
    expect(parts.fields.filter((f) => /^content-/i.test(f))).toHaveLength(1);
    expect(m.raw.toString('latin1')).toContain('Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64');
    expect(m.raw.every((b) => b < 0x80)).toBe(true);
  });

  test('ok: the signed entity is the content headers and body of the composed mail, byte for byte', async () => {
    const composed = await composeMail('renewal-pickup-completed', SAMPLE_DATA['renewal-pickup-completed'], OPTIONS);
    const signed = await signMail(composed.raw, ca.signer, ca.chain);
    expect(splitSigned(signed).signed.equals(Buffer.from(splitForSigning(composed.raw).inner))).toBe(true);
    expect(splitSigned(signed).signed.toString('latin1')).toMatch(/^Content-Type: multipart\/mixed;/);
  });

  test('ok: CMS verifies (pkijs) against the root, with signed attributes', async () => {
    const m = await buildSignedMail('revocation-completed', SAMPLE_DATA['revocation-completed'], OPTIONS, ca.signer, ca.chain);
    const { signed, p7s } = splitSigned(m.raw);
    const sd = signedDataOf(p7s);
    expect(sd.encapContentInfo.eContent).toBeUndefined();
    expect(sd.certificates).toHaveLength(3);
    const root = pkijs.Certificate.fromBER(Uint8Array.from(ca.chain[1]!));
    const ok = await sd.verify({ signer: 0, data: Uint8Array.from(signed).buffer, trustedCerts: [root], checkChain: true, checkDate: new Date('2026-12-01T00:00:00Z') });
    expect(ok).toBe(true);
    const types = sd.signerInfos[0]!.signedAttrs!.attributes.map((a) => a.type);
    expect(new Set(types)).toEqual(new Set(['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.5']));
    const time = sd.signerInfos[0]!.signedAttrs!.attributes.find((a) => a.type === '1.2.840.113549.1.9.5')!.values[0] as asn1js.UTCTime;
    expect(time.toDate().toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  test('ok: the certificates go in exactly as issued (signer, issuing CA, root), also when the parsed chain is reused for the next mail', async () => {
    for (const kind of ['pin-notice', 'pickup-notice'] as const) {
      const m = await buildSignedMail(kind, SAMPLE_DATA[kind], OPTIONS, ca.signer, ca.chain);
      const certs = signedDataOf(splitSigned(m.raw).p7s).certificates!.map((c) => Buffer.from((c as pkijs.Certificate).toSchema(true).toBER(false)));
      expect(certs.map((c) => c.toString('hex'))).toEqual([ca.signer.certificate, ...ca.chain].map((d) => Buffer.from(d).toString('hex')));
    }
    // Another chain for the same signer is not served from the cache.
    const alone = await signMail((await composeMail('pin-notice', SAMPLE_DATA['pin-notice'], OPTIONS)).raw, ca.signer, [ca.chain[0]!]);
    expect(signedDataOf(splitSigned(alone).p7s).certificates).toHaveLength(2);
  });

  test('NG one changed byte in the signed entity fails verification', async () => {
    const m = await buildSignedMail('expiry-reminder', SAMPLE_DATA['expiry-reminder'], OPTIONS, ca.signer, ca.chain);
    const { signed, p7s } = splitSigned(m.raw);
    const tampered = Buffer.from(signed);
    const i = tampered.lastIndexOf('A'.charCodeAt(0));
    tampered[i] = 'B'.charCodeAt(0);
    const sd = signedDataOf(p7s);
    await expect(sd.verify({ signer: 0, data: Uint8Array.from(tampered).buffer })).rejects.toThrow(/digest/);
  });

  test('ok: the signature is what Signer.sign returned for the DER SET of the signed attributes', async () => {
    const seen: Uint8Array[] = [];
    const spy: Signer = { ...ca.signer, sign: async (d) => { seen.push(d); return ca.signer.sign(d); } };
    const p7s = await createDetachedSignature(new TextEncoder().encode('x\r\n'), spy, ca.chain, new Date('2026-12-01T00:00:00Z'));
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe(0x31);
    const si = signedDataOf(p7s).signerInfos[0]!;
    const attrs = new Uint8Array(si.signedAttrs!.toSchema().toBER(false));
    expect(attrs[0]).toBe(0xa0);
    expect(Buffer.from(attrs.subarray(1)).equals(Buffer.from(seen[0]!.subarray(1)))).toBe(true);
    expect(si.signatureAlgorithm.algorithmId).toBe('1.2.840.113549.1.1.1');
    expect(si.digestAlgorithm.algorithmId).toBe('2.16.840.1.101.3.4.2.1');
  });

  test('ok: an ECDSA signer gives ecdsa-with-SHA256 and verifies (pkijs)', async () => {
    const ec = await createTestMailCa('hakko@example.ac.jp', new Date('2026-11-01T00:00:00Z'), 'P-256');
    const content = new TextEncoder().encode('Content-Type: text/plain\r\n\r\nx\r\n');
    const sd = signedDataOf(await createDetachedSignature(content, ec.signer, ec.chain, new Date('2026-12-01T00:00:00Z')));
    expect(sd.signerInfos[0]!.signatureAlgorithm.algorithmId).toBe('1.2.840.10045.4.3.2');
    expect(sd.signerInfos[0]!.signatureAlgorithm.algorithmParams).toBeUndefined();
    await expect(sd.verify({ signer: 0, data: Uint8Array.from(content).buffer })).resolves.toBe(true);
  });

  test('ok: signed attributes are in DER SET OF order', () => {
    const a = new pkijs.Attribute({ type: '1.2.840.113549.1.9.5', values: [new asn1js.UTCTime({ valueDate: new Date(0) })] });
    const b = new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })] });
    const c = new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: new Uint8Array(32).buffer })] });
    expect(derSort([a, b, c]).map((x) => x.type)).toEqual(['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.5', '1.2.840.113549.1.9.4']);
  });

  test('ok: same input, same bytes', async () => {
    const a = await buildSignedMail('pin-notice', SAMPLE_DATA['pin-notice'], OPTIONS, ca.signer, ca.chain);
    const b = await buildSignedMail('pin-notice', SAMPLE_DATA['pin-notice'], OPTIONS, ca.signer, ca.chain);
    expect(a.raw.equals(b.raw)).toBe(true);
  });

  test('ok: a message with LF line ends is signed in CRLF form', async () => {
    const composed = await composeMail('pin-notice', SAMPLE_DATA['pin-notice'], OPTIONS);
    const lf = Buffer.from(composed.raw.toString('latin1').replaceAll('\r\n', '\n'), 'latin1');
    expect((await signMail(lf, ca.signer, ca.chain)).equals(await signMail(composed.raw, ca.signer, ca.chain))).toBe(true);
  });

  test('NG 8-bit content is refused (a relay could re-encode it)', async () => {
    const raw = Buffer.from('Date: Tue, 01 Dec 2026 00:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n有効\r\n', 'utf8');
    await expect(signMail(raw, ca.signer, ca.chain)).rejects.toThrow(/7-bit/);
  });

  test('NG no Date header and no signing time', async () => {
    const raw = Buffer.from('Content-Type: text/plain\r\n\r\nx\r\n');
    await expect(signMail(raw, ca.signer, ca.chain)).rejects.toThrow(/Date/);
  });
});
