/**
 * The CLI ↔ server bridge (spec README §Process): while a server holds the PGlite lock, the CLI
 * sends its command over a Unix socket in the data directory (mode 0600) and the server runs it
 * through the same code. One JSON request line, one JSON answer line.
 */
import { chmodSync, rmSync } from 'node:fs';
import net from 'node:net';
import type { CliResult } from './run.ts';

export interface SocketRequest {
  readonly argv: readonly string[];
  /** Files named on the command line, read by the client: path → base64. */
  readonly files: Record<string, string>;
}

export function serveCliSocket(path: string, handle: (req: SocketRequest) => Promise<CliResult>): Promise<net.Server> {
  rmSync(path, { force: true });
  const server = net.createServer((conn) => {
    let buf = '';
    conn.setEncoding('utf8');
    conn.on('data', (chunk) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      buf = '';
      let req: SocketRequest;
      try {
        req = JSON.parse(line) as SocketRequest;
      } catch {
        conn.end(JSON.stringify({ stdout: '', stderr: 'hakko: malformed request\n', code: 2 }) + '\n');
        return;
      }
      handle(req).then(
        (res) => conn.end(JSON.stringify(res) + '\n'),
        (err: Error) => conn.end(JSON.stringify({ stdout: '', stderr: `hakko: server error: ${err.message}\n`, code: 2 }) + '\n'),
      );
    });
    conn.on('error', () => {});
  });
  return new Promise((resolve, reject) => {
    const old = process.umask(0o177);
    server.once('error', reject);
    server.listen(path, () => {
      process.umask(old);
      chmodSync(path, 0o600);
      resolve(server);
    });
  });
}

export function sendToServer(path: string, req: SocketRequest, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const conn = net.createConnection(path);
    let buf = '';
    conn.setEncoding('utf8');
    conn.setTimeout(timeoutMs, () => conn.destroy(new Error('the server did not answer in time')));
    conn.on('connect', () => conn.write(JSON.stringify(req) + '\n'));
    conn.on('data', (c) => (buf += c));
    conn.on('end', () => {
      try {
        resolve(JSON.parse(buf) as CliResult);
      } catch {
        reject(new Error('the server closed the connection without an answer'));
      }
    });
    conn.on('error', reject);
  });
}
