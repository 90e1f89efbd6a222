import { describe, expect, it } from 'vitest';
import {
  authorityInfoAccess, authorityKeyIdentifier, basicConstraints, certificatePolicies, crlDistributionPoint, extKeyUsage, ipBytes, keyUsage, ocspNoCheck, subjectAltName, subjectKeyIdentifier,
} from './extensions.ts';
import { toHex } from './asn1.ts';
import { OID } from './oids.ts';

const hex = (s: string) => s.replace(/\s+/g, '').toLowerCase();
const ascii = (s: string) => Buffer.from(s).toString('hex');

// Known answers: each checked once against `openssl asn1parse` and OpenSSL-issued certificates.
describe('extension encodings (RFC 5280 §4.2)', () => {
  it('basicConstraints critical CA:FALSE is an empty SEQUENCE (DEFAULT omitted)', () => {
    expect(toHex(basicConstraints(false))).toBe(hex('30 0c 06 03 55 1d 13 01 01 ff 04 02 30 00'));
  });
  it('basicConstraints critical CA:TRUE, pathLen 0', () => {
    expect(toHex(basicConstraints(true, 0))).toBe(hex('30 12 06 03 55 1d 13 01 01 ff 04 08 30 06 01 01 ff 02 01 00'));
  });
  it.each([
    [['digitalSignature'], '03 02 07 80'],
    [['digitalSignature', 'keyEncipherment'], '03 02 05 a0'],
    [['digitalSignature', 'keyAgreement'], '03 02 03 88'],
    [['keyCertSign', 'cRLSign'], '03 02 01 06'],
  ] as const)('keyUsage %j drops trailing zero bits', (usages, bits) => {
    expect(toHex(keyUsage(usages))).toBe(hex(`30 0e 06 03 55 1d 0f 01 01 ff 04 04 ${bits}`));
  });
  it('extKeyUsage clientAuth', () => {
    expect(toHex(extKeyUsage([OID.clientAuth]))).toBe(hex('30 13 06 03 55 1d 25 04 0c 30 0a 06 08 2b 06 01 05 05 07 03 02'));
  });
  it('subjectAltName rfc822Name', () => {
    expect(toHex(subjectAltName([{ type: 'email', value: 'a@b.c' }]))).toBe(hex(`30 10 06 03 55 1d 11 04 09 30 07 81 05 ${ascii('a@b.c')}`));
  });
  it('subjectAltName dNSName and iPAddress (v4, v6)', () => {
    const der = toHex(subjectAltName([{ type: 'dns', value: 'localhost' }, { type: 'ip', value: '127.0.0.1' }, { type: 'ip', value: '::1' }]));
    expect(der).toContain(hex(`82 09 ${ascii('localhost')}`));
    expect(der).toContain(hex('87 04 7f 00 00 01'));
    expect(der).toContain(hex(`87 10 ${'00'.repeat(15)} 01`));
  });
  it('SKI and AKI (keyIdentifier [0] only)', () => {
    const id = new Uint8Array(20).fill(0xab);
    expect(toHex(subjectKeyIdentifier(id))).toBe(hex(`30 1d 06 03 55 1d 0e 04 16 04 14 ${'ab'.repeat(20)}`));
    expect(toHex(authorityKeyIdentifier(id))).toBe(hex(`30 1f 06 03 55 1d 23 04 18 30 16 80 14 ${'ab'.repeat(20)}`));
  });
  it('cRLDistributionPoints fullName URI', () => {
    const url = 'http://x/c.crl';
    expect(toHex(crlDistributionPoint(url))).toBe(hex(`30 1f 06 03 55 1d 1f 04 18 30 16 30 14 a0 12 a0 10 86 0e ${ascii(url)}`));
  });
  it('authorityInfoAccess OCSP + caIssuers', () => {
    expect(toHex(authorityInfoAccess({ ocsp: 'http://o', caIssuers: 'http://c' }))).toBe(
      hex(`30 3a 06 08 2b 06 01 05 05 07 01 01 04 2e 30 2c
        30 14 06 08 2b 06 01 05 05 07 30 01 86 08 ${ascii('http://o')}
        30 14 06 08 2b 06 01 05 05 07 30 02 86 08 ${ascii('http://c')}`),
    );
  });
  it('certificatePolicies with a 2.25 UUID arc (big arc encoded base-128)', () => {
    // 2.25.329800735698586629295641978511506172918 as OpenSSL encodes it (asn1parse -genstr OID:…).
    expect(toHex(certificatePolicies(['2.25.329800735698586629295641978511506172918']))).toBe(
      hex('30 21 06 03 55 1d 20 04 1a 30 18 30 16 06 14 69 83 f0 9d a7 eb cf de e0 c7 a1 a7 b2 c0 94 8c c8 f9 d7 76'),
    );
  });
  it('id-pkix-ocsp-nocheck is NULL', () => {
    expect(toHex(ocspNoCheck())).toBe(hex('30 0f 06 09 2b 06 01 05 05 07 30 01 05 04 02 05 00'));
  });
  it.each([
    ['127.0.0.1', '7f000001'],
    ['::1', '00000000000000000000000000000001'],
    ['2001:db8::8a2e:370:7334', '20010db80000000000008a2e03707334'],
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201'],
    ['fe80::', 'fe800000000000000000000000000000'],
  ])('ipBytes(%s)', (ip, want) => {
    expect(toHex(ipBytes(ip))).toBe(want);
  });
});
