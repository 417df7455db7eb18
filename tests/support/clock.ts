import type { Clock, Timer } from '../../src/clock.js';

/** A clock the test moves by hand: timers run when {@link TestClock.advance} passes their time. */
export interface TestClock extends Clock {
  /**
   * Moves the time on by `ms` at once, then runs each timer that fell due (in order), letting the
   * work each starts run: a timer set again by one that ran waits for the next advance.
   */
  advance(ms: number): Promise<void>;
}

/** A {@link TestClock} starting at `start` (ms since the epoch). */
export function testClock(start = Date.parse('2026-12-07T12:00:00Z')): TestClock {
  let now = start;
  let timers: Array<{ at: number; run: () => void; id: number }> = [];
  let next = 0;
  return {
    now: () => now,
    after(ms: number, run: () => void): Timer {
      const id = next++;
      timers.push({ at: now + Math.max(0, ms), run, id });
      return { cancel: () => (timers = timers.filter((timer) => timer.id !== id)) };
    },
    async advance(ms: number) {
      now += ms;
      const due = timers.filter((timer) => timer.at <= now).sort((a, b) => a.at - b.at || a.id - b.id);
      timers = timers.filter((timer) => timer.at > now);
      for (const timer of due) {
        timer.run();
        // Let what the timer started (I/O included) move on before the next one.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}
