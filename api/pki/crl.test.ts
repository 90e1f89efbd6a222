import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { buildCrl } from './crl.ts';
import { fromPem } from './pem.ts';
import { parseDer } from './asn1.ts';
import type { Ca } from './hierarchy.ts';
import { testCa } from '../../tests/helpers/pki.ts';

let ca: Ca;
beforeAll(async () => {
  ({ ca } = await testCa());
});
const T = new Date('2026-05-01T12:00:00.999Z');

describe('CRL (RFC 5280 §5, spec 03 §Revocation status)', () => {
  it('ok: v2, issuer, thisUpdate/nextUpdate (+7 days, whole seconds), cRLNumber, AKI, entries with reasons', async () => {
    const crl = await buildCrl({
      ca: ca.issuer,
      entries: [
        { serial: 0x2222n, revokedAt: new Date('2026-04-30T01:02:03.456Z'), reason: 1 },
        { serial: 0x1111n, revokedAt: new Date('2026-04-29T00:00:00Z'), reason: 0 },
      ],
      thisUpdate: T,
      crlNumber: 42n,
    });
    expect(crl.pem).toMatch(/^-----BEGIN X509 CRL-----\n/);
    expect(Buffer.from(fromPem(crl.pem, ['X509 CRL'])!).equals(Buffer.from(crl.der))).toBe(true);
    const p = new pkijs.CertificateRevocationList({ schema: parseDer(crl.der, 'CRL') });
    expect(p.version).toBe(1);
    expect(p.thisUpdate.value.toISOString()).toBe('2026-05-01T12:00:00.000Z');
    expect(p.nextUpdate!.value.toISOString()).toBe('2026-05-08T12:00:00.000Z');
    expect(Buffer.from(p.issuer.valueBeforeDecode).equals(Buffer.from(ca.issuer.certificate.subjectDer))).toBe(true);
    const ext = Object.fromEntries(p.crlExtensions!.extensions.map((e) => [e.extnID, e]));
    expect((ext['2.5.29.20']!.parsedValue as asn1js.Integer).valueBlock.valueDec).toBe(42);
    expect(Buffer.from((ext['2.5.29.35']!.parsedValue as pkijs.AuthorityKeyIdentifier).keyIdentifier!.valueBlock.valueHexView).equals(Buffer.from(ca.issuer.keyId))).toBe(true);
    const entries = p.revokedCertificates!;
    expect(entries.map((e) => e.userCertificate.valueBlock.valueDec)).toEqual([0x1111, 0x2222]); // sorted
    expect(entries[0]!.crlEntryExtensions).toBeUndefined(); // reason 0 (unspecified) is omitted, RFC 5280 §5.3.1
    expect(entries[1]!.revocationDate.value.toISOString()).toBe('2026-04-30T01:02:03.000Z');
    const reason = entries[1]!.crlEntryExtensions!.extensions[0]!;
    expect(reason.extnID).toBe('2.5.29.21');
    expect((reason.parsedValue as asn1js.Enumerated).valueBlock.valueDec).toBe(1);
    // the signature verifies with the issuing CA key
    const key = new crypto.X509Certificate(ca.issuingDer).publicKey;
    expect(crypto.verify('sha256', new Uint8Array(p.tbsView), key, new Uint8Array(p.signatureValue.valueBlock.valueHexView))).toBe(true);
  });
  it('ok: no entries → no revokedCertificates field; the root CRL is signed by the root', async () => {
    const crl = await buildCrl({ ca: ca.rootIssuer!, entries: [], thisUpdate: T, crlNumber: 1n, nextUpdate: new Date('2026-05-02T12:00:00Z') });
    const p = new pkijs.CertificateRevocationList({ schema: parseDer(crl.der, 'CRL') });
    expect(p.revokedCertificates).toBeUndefined();
    expect(crl.nextUpdate.toISOString()).toBe('2026-05-02T12:00:00.000Z');
    const key = new crypto.X509Certificate(ca.rootDer).publicKey;
    expect(crypto.verify('sha256', new Uint8Array(p.tbsView), key, new Uint8Array(p.signatureValue.valueBlock.valueHexView))).toBe(true);
  });
  it('ok: 20,000 entries in well under a second when re-issued', async () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => ({ serial: BigInt(i + 1) << 64n, revokedAt: T, reason: 4 as const }));
    await buildCrl({ ca: ca.issuer, entries, thisUpdate: T, crlNumber: 2n });
    const t0 = performance.now();
    const crl = await buildCrl({ ca: ca.issuer, entries, thisUpdate: T, crlNumber: 3n });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(crl.der.length).toBeGreaterThan(20_000 * 30);
  });
  it('NG a negative or oversized cRLNumber', async () => {
    await expect(buildCrl({ ca: ca.issuer, entries: [], thisUpdate: T, crlNumber: -1n })).rejects.toThrow(/cRLNumber/);
  });
});
