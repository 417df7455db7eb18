/**
 * How much longer `work` takes on an input 16 times as large: per call, in CPU time (what other
 * processes do on the machine does not count), each size timed over enough calls to last about
 * 20 ms (many for the small input, fewer for the large), the fastest of five such rounds, so
 * neither the timer's resolution nor one pause of the collector decides it (with three, a loaded
 * machine once measured 67.5 for linear work). Linear work gives about 16, work that grows with the square of the size
 * about 256. A ratio between sizes, never an absolute time: the property tests hold on a slow
 * machine as on a fast one.
 *
 * @example
 * expect(growth((text) => splitSentences(text), (n) => '!'.repeat(n), 2_000)).toBeLessThan(LINEAR)
 */
export function growth<T>(work: (input: T) => unknown, make: (size: number) => T, size: number, rounds = 5): number {
  const small = make(size);
  const large = make(size * 16);
  // Compiled and warm at both sizes before either is timed.
  work(small);
  work(large);
  const started = cpuMs();
  work(small);
  const once = Math.max(cpuMs() - started, 0.001);
  const calls = Math.min(1000, Math.max(1, Math.round(20 / once)));
  const perCall = (input: T, count: number): number => {
    let best = Infinity;
    for (let round = 0; round < rounds; round++) {
      const start = cpuMs();
      for (let i = 0; i < count; i++) work(input);
      best = Math.min(best, (cpuMs() - start) / count);
    }
    return best;
  };
  return perCall(large, Math.max(1, Math.round(calls / 16))) / perCall(small, calls);
}

/** This process's CPU time so far, user and system, in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * The most {@link growth} may be for work called linear: four times the 16 of linear work, room for
 * the collector's extra work on larger inputs and a loaded machine (the test files run side by
 * side), and a quarter of the 256 of quadratic work.
 */
export const LINEAR = 64;
