/**
 * How much longer `work` takes on an input 16 times as large: the fastest of a few runs at each
 * size, so one pause of the collector or the machine does not decide it. Linear work gives about
 * 16, work that grows with the square of the size about 256. A ratio between sizes, never an
 * absolute time: the property tests hold on a slow machine as on a fast one.
 *
 * @example
 * expect(growth((text) => splitSentences(text), (n) => '!'.repeat(n), 20_000)).toBeLessThan(LINEAR)
 */
export function growth<T>(work: (input: T) => unknown, make: (size: number) => T, size: number, runs = 5): number {
  const small = make(size);
  const large = make(size * 16);
  // Compiled and warm at both sizes before either is timed.
  work(small);
  work(large);
  const fastest = (input: T): number => {
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      work(input);
      best = Math.min(best, performance.now() - started);
    }
    return best;
  };
  // Below a tenth of a millisecond, timer resolution decides: count that as the floor.
  return fastest(large) / Math.max(fastest(small), 0.1);
}

/**
 * The most {@link growth} may be for work called linear: four times the 16 of linear work, room for
 * the collector's extra work on larger inputs and a loaded machine (the test files run side by
 * side), and a quarter of the 256 of quadratic work.
 */
export const LINEAR = 64;
