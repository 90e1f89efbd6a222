/** Runs a command that arrived over the CLI socket inside the server, with the client's files. */
import type { Services } from '../services.ts';
import { parseCommand, UsageError } from './parse.ts';
import { runCommand, type CliResult } from './run.ts';
import type { SocketRequest } from './socket.ts';

export async function executeRemote(s: Services, req: SocketRequest): Promise<CliResult> {
  let cmd;
  try {
    cmd = parseCommand(req.argv);
  } catch (e) {
    if (e instanceof UsageError) return { stdout: '', stderr: `hakko: ${e.message}\n`, code: 2 };
    throw e;
  }
  return runCommand(s, cmd, {
    readFile(p) {
      const b64 = req.files[p];
      if (b64 === undefined) throw new Error(`file not sent: ${p}`);
      return new Uint8Array(Buffer.from(b64, 'base64'));
    },
  });
}
