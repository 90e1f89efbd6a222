import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.ts';

/** RFC 4180 writing, for the round-trip property. */
const writeCsv = (rows: string[][]) => rows.map((r) => r.map((v) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(',')).join('\r\n') + '\r\n';

describe('parseCsv', () => {
  it('ok quoted fields with commas, quotes and line ends; CRLF and LF; no final line end', () => {
    expect(parseCsv('a,"b,c","d ""e"""\r\n"x\ny",,z\nlast,one')).toEqual([['a', 'b,c', 'd "e"'], ['x\ny', '', 'z'], ['last', 'one']]);
  });
  it('ok empty text has no records; an empty line is one empty field', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('a\n\nb\n')).toEqual([['a'], [''], ['b']]);
  });
  it('ok a quote inside an unquoted field is an ordinary character', () => {
    expect(parseCsv('伊藤 "みさき",x\n')).toEqual([['伊藤 "みさき"', 'x']]);
  });
  it('ok round trip of what RFC 4180 writes (property)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'あ', ',', '"', '\n', '\r\n', ' ', '①') });
    fc.assert(fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
      expect(parseCsv(writeCsv(rows))).toEqual(rows);
    }));
  });
});
