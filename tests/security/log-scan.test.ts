/**
 * Security suite — the run-wide log scan (tests/global-log-scan.ts) is itself tested: it finds a
 * planted PIN, and the helpers record what a test used. What it checks at the end of a run: every
 * log that a test server (in-process or a real process) and nginx wrote during the e2e, faults and
 * security projects, searched for every PIN and URL token a test or a browser used.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanLogs } from '../global-log-scan.ts';
import { SECRETS_FILE, fileLogger, logDir, recordFromTraffic } from '../helpers/test-logs.ts';
import { loggedPath } from '../../api/http/error-handler.ts';

describe('the run-wide log scan', () => {
  it('NG a PIN or token in any log is found; the rest passes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hakko-scan-test-'));
    writeFileSync(path.join(dir, SECRETS_FILE), 'ABCDEFGHJKMNPQRS\nTOKENtoken_0123456789-abcdefghijklmnopqrstuv\n');
    writeFileSync(path.join(dir, 'a.log'), '2026-12-05 INFO pickup confirmed {"request":1}\n');
    expect(scanLogs(dir)).toMatchObject({ logs: 1, secrets: 2, hits: [] });
    writeFileSync(path.join(dir, 'b.log'), 'WARN  something {"path":"/api/pickup/TOKENtoken_0123456789-abcdefghijklmnopqrstuv/csr"}\n');
    expect(scanLogs(dir).hits).toEqual([{ secret: 'TOKE…', file: 'b.log' }]);
  });

  it('ok this run has a log directory, servers log there, and traffic is recorded', () => {
    expect(process.env.HAKKO_TEST_LOG_DIR).toBeTruthy();
    const before = (() => { try { return readFileSync(path.join(logDir(), SECRETS_FILE), 'utf8'); } catch { return ''; } })();
    recordFromTraffic('http://127.0.0.1:1/api/pickup/RECORDEDtoken_abcdefghijklmnopqrstuvwxyz0123/verify', '{"pin":"PQRSTUVWXYZ23456"}');
    const after = readFileSync(path.join(logDir(), SECRETS_FILE), 'utf8');
    expect(after.slice(before.length)).toContain('RECORDEDtoken_abcdefghijklmnopqrstuvwxyz0123\n');
    expect(after.slice(before.length)).toContain('PQRSTUVWXYZ23456\n');
    // The server's own path redaction, as the log would show that request.
    const log = fileLogger('scan-selftest');
    log.info('request', { path: loggedPath('/api/pickup/RECORDEDtoken_abcdefghijklmnopqrstuvwxyz0123/verify') });
    expect(scanLogs(logDir()).hits.filter((h) => h.file.startsWith('scan-selftest'))).toEqual([]);
  });
});
