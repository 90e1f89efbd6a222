/** A clock tests move by hand. */
import type { Clock } from '../../api/clock.ts';

export class FakeClock implements Clock {
  #t: number;
  constructor(start: Date | string = '2026-04-01T00:00:00Z') {
    this.#t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#t);
  }
  advance(ms: number): void {
    this.#t += ms;
  }
  advanceDays(d: number): void {
    this.#t += d * 86_400_000;
  }
  set(d: Date | string): void {
    this.#t = new Date(d).getTime();
  }
}
