/**
 * `hakko demo` output (issue 12: the first run reaches the dashboard): sets the demo up, writes the
 * sample request file into the data directory, and says what to do next, step by step.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Services } from '../services.ts';
import { demoRequestFile, setUpDemo } from '../workflows/demo.ts';
import type { CliResult } from './io.ts';

export async function runDemo(s: Services, json: boolean, actor: string): Promise<CliResult> {
  const demo = await setUpDemo(s, actor);
  const dir = path.resolve(s.config.dataDir, 'demo');
  mkdirSync(dir, { recursive: true });
  const sampleFile = path.join(dir, 'demo-issue.tsv');
  writeFileSync(sampleFile, demoRequestFile());
  const e = demo.enrollment;
  if (json) {
    return { stdout: JSON.stringify({ institution: demo.institution.code, officer: demo.officer, url: e.url, pin: e.pin, expiresAt: e.expiresAt, sampleFile }) + '\n', stderr: '', code: 0 };
  }
  const mailbox = s.config.smtpUrl ? `SMTP (${new URL(s.config.smtpUrl).host})` : `${s.config.publicUrl}/dev/mailbox`;
  const lines = [
    `Demo institution:  ${demo.institution.code} (${demo.institution.ja} / ${demo.institution.en}), mail domain ${demo.institution.domains[0]}`,
    `Demo officer:      ${demo.officer.name} <${demo.officer.email}>`,
    `URL: ${e.url}`,
    `PIN: ${e.pin}`,
    `Expires: ${e.expiresAt}`,
    `Sample request file: ${sampleFile}`,
    '',
    'Next (README "First run"):',
    `  1. Open the URL, enter the PIN: the browser makes the officer key and saves officer.p12 (its password is the PIN).`,
    `  2. Import officer.p12 into the browser; trust the root certificate ${s.config.publicUrl}/pki/ca/root.crt for the HTTPS listener.`,
    `  3. Open ${s.config.publicHttpsUrl}/officer, choose the certificate, upload the sample file.`,
    `  4. Mail (PIN URLs, pickup URLs): ${mailbox}`,
  ];
  return { stdout: lines.join('\n') + '\n', stderr: '', code: 0 };
}
