/** What the app and the workflows are built from (no globals): wired once in `main.ts`, or by tests. */
import type { Config } from './config.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './log.ts';
import type { ServerKeys } from './secrets/keys.ts';
import type { CaRuntime } from './pki/runtime.ts';
import type { Signals } from './signals.ts';

export interface Services {
  readonly config: Config;
  readonly db: Db;
  readonly dbKind: 'pglite' | 'postgres';
  readonly clock: Clock;
  readonly log: Logger;
  readonly keys: ServerKeys;
  readonly ca: CaRuntime;
  /** Wake-ups after commits; replaced by the server once its worker and publisher run. */
  signals: Signals;
}
