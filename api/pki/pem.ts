/** PEM (RFC 7468) encoding and decoding. */

/** DER → PEM with 64-character lines and the given label (`CERTIFICATE`, `X509 CRL`, …). */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.length).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * The DER of the first PEM block whose label is one of `labels`, or null. Only base64 characters and
 * whitespace may appear between the boundaries (RFC 7468 §3, strict); headers are not accepted.
 */
export function fromPem(pem: string, labels: readonly string[]): Uint8Array<ArrayBuffer> | null {
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(pem); m; m = re.exec(pem)) {
    if (!labels.includes(m[1]!)) continue;
    const body = m[2]!.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0 || body.length === 0) return null;
    const der = Buffer.from(body, 'base64');
    return new Uint8Array(der.buffer, der.byteOffset, der.length).slice();
  }
  return null;
}

/** Every `CERTIFICATE` block of a PEM bundle, in order. */
export function certificatesFromPem(pem: string): Uint8Array<ArrayBuffer>[] {
  const out: Uint8Array<ArrayBuffer>[] = [];
  const re = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
  for (const m of pem.match(re) ?? []) {
    const der = fromPem(m, ['CERTIFICATE']);
    if (der) out.push(der);
  }
  return out;
}
