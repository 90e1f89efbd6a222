/**
 * A background job that never overlaps itself: it runs on a timer and whenever it is kicked; a kick
 * during a run asks for one more run, and a pass may ask to run again at once (more work waiting).
 */
import type { Logger } from '../log.ts';

export interface BackgroundJob {
  /** Runs the job now, or once more after the current run. */
  kick(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/** `pass` returns true when it should run again at once; `intervalMs` 0 means kicks only. */
export function startBackgroundJob(name: string, pass: () => Promise<boolean | void>, intervalMs: number, log: Logger, opts: { runAtStart?: boolean } = {}): BackgroundJob {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          if ((await pass()) === true) again = true;
        } catch (e) {
          log.warn(`${name} failed`, { error: (e as Error).message });
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };
  const timer = intervalMs > 0 ? setInterval(kick, intervalMs) : null;
  timer?.unref();
  if (opts.runAtStart !== false) kick();
  return {
    kick,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
