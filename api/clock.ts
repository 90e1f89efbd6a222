/** Time is passed in (STYLE.md practice 6): workflows take a Clock, tests a fake one. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
