/**
 * CP932 (Windows-31J) encoding for files Hakko writes, and the test "can CP932 encode this character"
 * for the names rule (spec 02 §File rules, §Value rules). Pure JavaScript (encoding-japanese), so it
 * runs in the browser too; iconv-lite is server-only (STACK.md §CP932).
 */
import Encoding from 'encoding-japanese';

const decoder = new TextDecoder('shift_jis', { fatal: true });
const QUESTION_MARK = 0x3f;

function isLead(b: number): boolean {
  return (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc);
}

let necSelectedToIbm: Map<number, number> | null = null;

/**
 * encoding-japanese writes the IBM extension characters in the NEC-selected rows (ED/EE); Windows
 * writes them in the IBM rows (FA–FC). Both decode the same; we write what Windows writes, so that
 * files are byte-identical with Excel's. Built once from the decoder itself (no hand-written table).
 */
function ibmRemap(): Map<number, number> {
  if (necSelectedToIbm !== null) return necSelectedToIbm;
  const ibmByChar = new Map<string, number>();
  const map = new Map<number, number>();
  const pairs = (leads: readonly number[], visit: (code: number, ch: string) => void) => {
    for (const lead of leads) {
      for (let trail = 0x40; trail <= 0xfc; trail++) {
        const ch = tryDecode(Uint8Array.of(lead, trail));
        if (ch !== null && ch.length === 1) visit((lead << 8) | trail, ch);
      }
    }
  };
  pairs([0xfa, 0xfb, 0xfc], (code, ch) => ibmByChar.has(ch) || ibmByChar.set(ch, code));
  pairs([0xed, 0xee], (code, ch) => {
    const ibm = ibmByChar.get(ch);
    if (ibm !== undefined) map.set(code, ibm);
  });
  necSelectedToIbm = map;
  return map;
}

function tryDecode(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

function remapToWindows(bytes: number[]): void {
  const remap = ibmRemap();
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (!isLead(b) || i + 1 >= bytes.length) continue;
    if (b === 0xed || b === 0xee) {
      const ibm = remap.get((b << 8) | bytes[i + 1]!);
      if (ibm !== undefined) {
        bytes[i] = ibm >> 8;
        bytes[i + 1] = ibm & 0xff;
      }
    }
    i++;
  }
}

/**
 * Encodes text as CP932 the way Windows does. Characters CP932 cannot encode become `?` — check
 * with `unencodableChars` first (the names rule does, spec 02 §Value rules).
 */
export function encodeCp932(text: string): Uint8Array<ArrayBuffer> {
  const bytes = Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE', type: 'array' });
  remapToWindows(bytes);
  return Uint8Array.from(bytes);
}

const encodable = new Map<string, boolean>();

/** True when CP932 can encode the character (one code point): encode, decode, compare. */
export function cp932Encodable(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80) return true;
  let ok = encodable.get(ch);
  if (ok === undefined) {
    const bytes = Encoding.convert(Encoding.stringToCode(ch), { to: 'SJIS', from: 'UNICODE', type: 'array' });
    ok = !(bytes.length === 1 && bytes[0] === QUESTION_MARK) && tryDecode(Uint8Array.from(bytes)) === ch;
    encodable.set(ch, ok);
  }
  return ok;
}

/** The distinct characters of `text` that CP932 cannot encode (e.g. `〜` U+301C, emoji, `ü`). */
export function unencodableChars(text: string): string[] {
  const bad = new Set<string>();
  for (const ch of text) if (!cp932Encodable(ch)) bad.add(ch);
  return [...bad];
}
