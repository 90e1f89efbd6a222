/** Which errors the error handler answers with 503 UNAVAILABLE (database away) instead of 500. */
import { describe, expect, it } from 'vitest';
import { isDatabaseDown } from './error-handler.ts';

const withCode = (code: string, cause?: unknown) => Object.assign(new Error(code, { cause }), { code });

describe('isDatabaseDown', () => {
  it('ok driver and socket codes, SQLSTATE class 08, shutdown and too-many-connections, at any depth of the cause chain', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '08006', '08003', '57P01', '57P02', '57P03', '53300']) {
      expect(isDatabaseDown(withCode(code)), code).toBe(true);
    }
    // drizzle's query error wrapping the driver's, wrapped again by a workflow.
    expect(isDatabaseDown(new Error('upload failed', { cause: new Error('Failed query: insert …', { cause: withCode('57P01') }) }))).toBe(true);
    expect(isDatabaseDown(new AggregateError([new Error('x'), withCode('ECONNREFUSED')]))).toBe(true);
  });

  it('NG bugs and data errors stay 500', () => {
    for (const code of ['23505', '22001', '42P01', '40001', 'ERR_INVALID_ARG_TYPE']) expect(isDatabaseDown(withCode(code)), code).toBe(false);
    expect(isDatabaseDown(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseDown(null)).toBe(false);
    const loop: Error & { cause?: unknown } = new Error('self');
    loop.cause = loop;
    expect(isDatabaseDown(loop)).toBe(false);
  });
});
