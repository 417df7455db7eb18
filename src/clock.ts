/** A timer set on a {@link Clock}, which can be cancelled. */
export interface Timer {
  cancel(): void;
}

/**
 * What anything scheduled reads the time from and waits on: the system's clock in the bot, a clock
 * the tests move by hand, so no test waits real minutes.
 *
 * @example
 * const timer = clock.after(60_000, () => void poll());
 * timer.cancel();
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `run` once `ms` have passed on this clock; the timer never keeps the process alive. */
  after(ms: number, run: () => void): Timer;
}

/** The system's clock. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  after(ms, run) {
    const timer = setTimeout(run, Math.max(0, ms)).unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
