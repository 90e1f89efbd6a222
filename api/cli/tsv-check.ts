/**
 * `hakko tsv check FILE --institution CODE [--kind …] [--lang …] [--json]` — exactly the validation
 * of an upload, database lookups and WHOIS included, without writing anything (spec README §CLI)
 * — except the WHOIS cache, which an upload would fill the same way.
 * Exit 0 when clean (warnings allowed), 1 when the file has errors.
 */
import { findInstitutionByCode } from '../../db/repos/institutions.ts';
import { readSettings } from '../../db/repos/settings.ts';
import { dbTsvLookup } from '../../db/repos/tsv-lookup.ts';
import { validateTsv } from '../domain/tsv/index.ts';
import type { Services } from '../services.ts';
import type { Command } from './parse.ts';
import type { CliIo, CliResult } from './io.ts';
import { jstToday } from '../workflows/upload-tsv.ts';
import { createWhoisClient } from '../whois/client.ts';
import path from 'node:path';

export async function runTsvCheck(s: Services, cmd: Extract<Command, { kind: 'tsv.check' }>, io: CliIo): Promise<CliResult> {
  const inst = await findInstitutionByCode(s.db, cmd.institution);
  if (!inst) return { stdout: '', stderr: `hakko: unknown institution: ${cmd.institution}\n`, code: 2 };
  const settings = await readSettings(s.db);
  const v = await validateTsv(io.readFile(cmd.file), {
    kind: cmd.tsvKind, lang: cmd.lang, fileName: path.basename(cmd.file), institution: inst, lookup: dbTsvLookup(s.db, inst.id, createWhoisClient({ servers: s.config.whoisServers, db: s.db, clock: s.clock, log: s.log })),
    today: jstToday(s.clock.now()), maxBytes: settings['upload.maxBytes'], maxLines: settings['upload.maxLines'], w227IsError: settings['tsv.w227IsError'],
  });
  const code = v.ok ? 0 : 1;
  if (cmd.json) return { stdout: JSON.stringify({ ok: v.ok, lines: v.lines, errors: v.problems }) + '\n', stderr: '', code };
  const lines = v.problems.map((p) => `${p.line}\t${p.level === 'warning' ? (cmd.lang === 'ja' ? '警告' : 'warning') : 'NG'}\t${p.message}`);
  const summary = cmd.lang === 'ja'
    ? `${v.lines}行: エラー${v.counts.errors}件、警告${v.counts.warnings}件${v.ok ? '(登録可能)' : ''}`
    : `${count(v.lines, 'line')}: ${count(v.counts.errors, 'error')}, ${count(v.counts.warnings, 'warning')}${v.ok ? ' (acceptable)' : ''}`;
  return { stdout: [...lines, summary].join('\n') + '\n', stderr: '', code };
}

/** `1 error`, `2 errors`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
