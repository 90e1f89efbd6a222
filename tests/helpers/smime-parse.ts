/**
 * Takes a multipart/signed message apart for tests (RFC 1847 §2.1): the signed entity exactly as
 * transmitted, the decoded smime.p7s, the outer header — and finds parts inside the signed entity.
 */
import { decodeEncodedWords, headerValue, splitMessage } from '../../api/mail/mime-headers.ts';

export interface SignedParts {
  readonly fields: readonly string[];
  readonly contentType: string;
  readonly signed: Buffer;
  readonly p7s: Buffer;
  /** Byte offset of `signed` inside the message (for tampering tests). */
  readonly signedOffset: number;
}

function boundaryOf(contentType: string): string {
  const m = /boundary="?([^";]+)"?/i.exec(contentType);
  if (!m) throw new Error(`no boundary in ${contentType}`);
  return m[1]!;
}

/** Splits a multipart/signed message into its signed entity and signature. */
export function splitSigned(raw: Buffer): SignedParts {
  const { fields } = splitMessage(raw);
  const contentType = headerValue(fields, 'content-type') ?? '';
  const b = boundaryOf(contentType);
  const first = raw.indexOf(`\r\n--${b}\r\n`) + `\r\n--${b}\r\n`.length;
  const second = raw.indexOf(`\r\n--${b}\r\n`, first);
  const close = raw.indexOf(`\r\n--${b}--`, second);
  if (first < 0 || second < 0 || close < 0) throw new Error('not a two-part multipart/signed body');
  const sigPart = raw.subarray(second + `\r\n--${b}\r\n`.length, close);
  const sigBody = sigPart.subarray(sigPart.indexOf('\r\n\r\n') + 4).toString('latin1');
  return { fields, contentType, signed: raw.subarray(first, second), p7s: Buffer.from(sigBody, 'base64'), signedOffset: first };
}

/** The decoded Subject of a message. */
export function subjectOf(raw: Buffer): string {
  return decodeEncodedWords(headerValue(splitMessage(raw).fields, 'subject') ?? '');
}

/** Leaf parts (headers + decoded body) of a MIME entity, descending into multiparts. */
export function leafParts(entity: Buffer): { fields: readonly string[]; body: Buffer }[] {
  const { fields, body } = splitMessage(entity);
  const ct = headerValue(fields, 'content-type') ?? 'text/plain';
  if (/^multipart\//i.test(ct)) {
    const b = boundaryOf(ct);
    const text = Buffer.from(body).toString('latin1');
    const chunks = text.split(new RegExp(`(?:^|\\r\\n)--${b.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}(?:--)?\\r\\n`)).slice(1);
    return chunks.filter((c) => c.trim() !== '').flatMap((c) => leafParts(Buffer.from(c, 'latin1')));
  }
  const cte = (headerValue(fields, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  const decoded = cte === 'base64' ? Buffer.from(Buffer.from(body).toString('latin1'), 'base64') : Buffer.from(body);
  return [{ fields, body: decoded }];
}
