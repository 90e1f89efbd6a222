// `lines` (physical lines) of files the validator cannot decode or refuses by size (216, 217): counted
// from the bytes the way `splitTsv` counts decoded text, so `hakko tsv check --json` and the upload
// record report them.
import { describe, expect, it } from 'vitest';
import { splitTsv } from './codec.ts';
import { validateTsv } from './validate.ts';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const codes = (v: Awaited<ReturnType<typeof validateTsv>>) => v.fileProblems.map((p) => p.code);

describe('validateTsv lines of a refused file', () => {
  it.each([
    ['final CRLF', bytes('a\tb\r\n', [0xff], '\r\nc\r\n'), 3],
    ['no final line end', bytes('a\r\n', [0xff], '\nc'), 3],
    ['LF only, blank lines counted', bytes('\n\n', [0xff], '\n'), 3],
    ['one line without LF', bytes('AB', [0xff]), 1],
    ['a lone CR is not a line end', bytes('a\r', [0xff], '\rb'), 1],
  ])('NG 217 %s → lines from the bytes', async (_what, file, lines) => {
    const v = await validateTsv(file, { kind: 'issue' });
    expect(codes(v)).toEqual(['217']);
    expect(v.lines).toBe(lines);
  });

  it.each([
    ['final CRLF', 'x\r\ny\r\n\r\nz\r\n', 4],
    ['no final line end', 'x\ny\nz', 3],
  ])('NG 216 %s → lines from the bytes, as splitTsv counts the text', async (_what, text, lines) => {
    const v = await validateTsv(new TextEncoder().encode(text), { kind: 'issue', maxBytes: 4 });
    expect(codes(v)).toEqual(['216']);
    expect(v.lines).toBe(lines);
    expect(splitTsv(text).physicalLines).toBe(lines);
  });

  it('NG 208 no file and 213 empty file → 0 lines', async () => {
    expect((await validateTsv(null, { kind: 'issue' })).lines).toBe(0);
    const empty = await validateTsv(new Uint8Array(), { kind: 'issue' });
    expect([codes(empty), empty.lines]).toEqual([['213'], 0]);
  });
});
