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
 *
 * Linear in the input: the markers are found with indexOf, and a label whose END marker is missing
 * is not searched again. (A regular expression with a lazy body and a back-reference took quadratic
 * time on text full of BEGIN lines without an END — 3.5 s for 272 KB, hours for the 8 MiB a bulk
 * CSR call may carry: tests/security/fuzz.test.ts.)
 */
export function fromPem(pem: string, labels: readonly string[]): Uint8Array<ArrayBuffer> | null {
  const noEnd = new Set<string>();
  for (;;) {
    let start = -1;
    let label = '';
    for (const l of labels) {
      if (noEnd.has(l)) continue;
      const i = pem.indexOf(`-----BEGIN ${l}-----`);
      if (i >= 0 && (start < 0 || i < start)) [start, label] = [i, l];
    }
    if (start < 0) return null;
    const bodyStart = start + `-----BEGIN ${label}-----`.length;
    const end = pem.indexOf(`-----END ${label}-----`, bodyStart);
    if (end < 0) {
      noEnd.add(label);
      continue;
    }
    return base64Body(pem.slice(bodyStart, end));
  }
}

function base64Body(text: string): Uint8Array<ArrayBuffer> | null {
  const body = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0 || body.length === 0) return null;
  const der = Buffer.from(body, 'base64');
  return new Uint8Array(der.buffer, der.byteOffset, der.length).slice();
}

/** Every `CERTIFICATE` block of a PEM bundle, in order (linear, like fromPem). */
export function certificatesFromPem(pem: string): Uint8Array<ArrayBuffer>[] {
  const out: Uint8Array<ArrayBuffer>[] = [];
  const BEGIN = '-----BEGIN CERTIFICATE-----';
  const END = '-----END CERTIFICATE-----';
  for (let i = pem.indexOf(BEGIN); i >= 0; ) {
    const end = pem.indexOf(END, i + BEGIN.length);
    if (end < 0) break;
    const der = base64Body(pem.slice(i + BEGIN.length, end));
    if (der) out.push(der);
    i = pem.indexOf(BEGIN, end + END.length);
  }
  return out;
}
