/** `hakko tsv check` — the upload's validation without writing anything (spec README §CLI). */
import type { Services } from '../services.ts';
import type { Command } from './parse.ts';
import type { CliIo, CliResult } from './run.ts';

export async function runTsvCheck(_s: Services, _cmd: Extract<Command, { kind: 'tsv.check' }>, _io: CliIo): Promise<CliResult> {
  // TODO(issue 3): wire to the shared validator (api/domain/tsv) with the database lookups.
  return { stdout: '', stderr: 'hakko: tsv check is not available yet\n', code: 2 };
}
