/** Reading the OpenAPI document for the reference page: operations by tag, types in one line, properties. */
import { describe, expect, it } from 'vitest';
import { anchorOf, blocks, operationsByTag, propertiesOf, refName, segments, typeText } from './openapi-view.ts';

const doc = {
  tags: [{ name: 'Public', description: 'open' }, { name: 'Officer' }, { name: 'Unused' }],
  paths: {
    '/api/officer/x': { get: { operationId: 'getX', tags: ['Officer'] }, post: { operationId: 'postX', tags: ['Officer'] } },
    '/api/health': { get: { operationId: 'getHealth', tags: ['Public'] } },
    '/api/odd': { get: { tags: ['Later'] } },
  },
};

describe('operationsByTag', () => {
  it('ok groups by the document\'s tag order, drops empty tags, keeps an unknown tag at the end', () => {
    const g = operationsByTag(doc);
    expect(g.map((x) => [x.tag, x.operations.map((o) => `${o.method} ${o.path}`)])).toEqual([
      ['Public', ['get /api/health']], ['Officer', ['get /api/officer/x', 'post /api/officer/x']], ['Later', ['get /api/odd']],
    ]);
    expect(anchorOf(g[0]!.operations[0]!)).toBe('op-getHealth');
    expect(g[2]!.operations[0]!.id).toBe('get-/api/odd');
  });
});

describe('typeText', () => {
  it.each([
    [{ $ref: '#/components/schemas/CertificateItem' }, 'CertificateItem'],
    [{ type: 'integer', minimum: 1, maximum: 200 }, 'integer 1–200'],
    [{ type: 'string', maxLength: 128 }, 'string –128 chars'],
    [{ type: ['string', 'null'], pattern: '^[0-9]{1,40}$' }, 'string /^[0-9]{1,40}$/ | null'],
    [{ type: 'string', enum: ['valid', 'revoked'] }, '"valid" | "revoked"'],
    [{ type: 'array', items: { $ref: '#/components/schemas/Problem' } }, 'array of Problem'],
    [{ anyOf: [{ $ref: '#/components/schemas/A' }, { type: 'null' }] }, 'A | null'],
    [{ const: 'revoked' }, '"revoked"'],
    [{ type: 'string', format: 'binary' }, 'string (binary)'],
  ])('%j → %s', (schema, text) => {
    expect(typeText(schema).text).toBe(text);
  });

  it('ok a reference is kept for the link, also inside arrays and unions', () => {
    expect(typeText({ type: 'array', items: { $ref: '#/components/schemas/P' } }).ref).toBe('P');
    expect(refName({ $ref: '#/other/X' })).toBeNull();
  });
});

describe('propertiesOf', () => {
  it('ok names, types, required, description and example; nothing for a non-object', () => {
    const props = propertiesOf({ type: 'object', required: ['serial'], properties: { serial: { type: 'string', description: 'Serial', example: '12' }, note: { type: 'string' } } });
    expect(props).toEqual([
      { name: 'serial', type: { text: 'string', ref: null }, required: true, description: 'Serial', example: '"12"' },
      { name: 'note', type: { text: 'string', ref: null }, required: false, description: '', example: null },
    ]);
    expect(propertiesOf({ type: 'string' })).toEqual([]);
  });
});

describe('descriptions', () => {
  it('ok backticks become code spans; "- " lines a list between paragraphs', () => {
    expect(segments('send `X-Hakko-Request: 1` always')).toEqual([{ code: false, text: 'send ' }, { code: true, text: 'X-Hakko-Request: 1' }, { code: false, text: ' always' }]);
    expect(blocks('Intro.\n\n- one\n- two\nAfter.')).toEqual([{ list: false, lines: ['Intro.'] }, { list: true, lines: ['one', 'two'] }, { list: false, lines: ['After.'] }]);
  });
});
