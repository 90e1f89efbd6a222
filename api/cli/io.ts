/** What a `hakko` command reads and returns, shared by the runner and the commands it delegates to. */

/** A command's collected output and exit code (the local and the socket path print the same). */
export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface CliIo {
  /** Reads a file named on the command line (pre-read by the client in socket mode). */
  readFile(path: string): Uint8Array;
}
