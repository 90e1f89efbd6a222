/**
 * Just enough RFC 5322 / RFC 2047 reading for Hakko's own messages: split a message into its header
 * fields and body, read one header, decode encoded words. The S/MIME wrapper uses it to move the
 * content headers into the signed entity; the mailbox transport to read Message-ID and Subject.
 * It only reads messages `composeMail` built (7-bit, CRLF) — not a general mail parser.
 */

const CR = 0x0d;
const LF = 0x0a;

/** Converts bare LF (and bare CR) line ends to CRLF: the canonical form S/MIME signs (RFC 8551 §3.1.1). */
export function toCrlf(raw: Uint8Array): Uint8Array<ArrayBuffer> {
  let extra = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === LF && raw[i - 1] !== CR) extra++;
    else if (raw[i] === CR && raw[i + 1] !== LF) extra++;
  }
  if (extra === 0) return Uint8Array.from(raw);
  const out = new Uint8Array(raw.length + extra);
  let o = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === LF && raw[i - 1] !== CR) out[o++] = CR;
    out[o++] = b;
    if (b === CR && raw[i + 1] !== LF) out[o++] = LF;
  }
  return out;
}

/** Throws unless every byte is 7-bit: relays may re-encode 8-bit parts and so break a signature (RFC 8551 §3.1.2). */
export function assertSevenBit(raw: Uint8Array): void {
  const i = raw.findIndex((b) => b > 0x7f || b === 0);
  if (i >= 0) throw new RangeError(`message is not 7-bit at byte ${i}`);
}

/** A message split at the first empty line: the header fields (each with its folded lines) and the body. */
export interface SplitMessage {
  /** Each field as written, continuation lines included, without the final CRLF. */
  readonly fields: readonly string[];
  /** Everything after the empty line. */
  readonly body: Uint8Array<ArrayBuffer>;
}

/** Splits a CRLF message into header fields and body. */
export function splitMessage(raw: Uint8Array): SplitMessage {
  const bytes = Uint8Array.from(raw);
  let end = -1;
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === CR && bytes[i + 1] === LF && bytes[i + 2] === CR && bytes[i + 3] === LF) { end = i; break; }
  }
  if (end < 0) throw new RangeError('message has no empty line after its header');
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, end));
  const fields: string[] = [];
  for (const line of header.split('\r\n')) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += '\r\n' + line;
    else fields.push(line);
  }
  return { fields, body: bytes.slice(end + 4) };
}

/** Lower-case name of a header field. */
export function fieldName(field: string): string {
  const i = field.indexOf(':');
  if (i <= 0) throw new RangeError(`malformed header field: ${field.slice(0, 40)}`);
  return field.slice(0, i).trim().toLowerCase();
}

/** The unfolded value of the first field called `name`, or null. */
export function headerValue(fields: readonly string[], name: string): string | null {
  const f = fields.find((x) => fieldName(x) === name.toLowerCase());
  return f === undefined ? null : f.slice(f.indexOf(':') + 1).replace(/\r\n(?=[ \t])/g, '').trim();
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`); whitespace between adjacent words is dropped. */
export function decodeEncodedWords(value: string): string {
  const word = /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g;
  const joined = value.replace(/(\?=)[ \t]+(?==\?)/g, '$1');
  return joined.replace(word, (_m, charset: string, enc: string, text: string) => {
    const bytes = enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : qDecode(text);
    return new TextDecoder(charset.toLowerCase()).decode(bytes);
  });
}

function qDecode(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '_') out.push(0x20);
    else if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) { out.push(parseInt(text.slice(i + 1, i + 3), 16)); i += 2; }
    else out.push(c.charCodeAt(0));
  }
  return Uint8Array.from(out);
}
