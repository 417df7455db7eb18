/**
 * Called after every small step of a long job on a thread that must stay responsive (assembling an
 * engine while the current one answers questions): a promise once the job has used up the caller's
 * time budget, which resolves after other work has run; otherwise `undefined`, so calling it after
 * every item costs about a clock read. The caller owns the one budget; steps never count items.
 *
 * @example
 * const pause: Pause = () => (performance.now() - since < 4 ? undefined : letOthersRun());
 */
export type Pause = () => Promise<void> | undefined;

/**
 * Runs `steps` (a generator that yields after each small step) to their end, asking `pause` after
 * each whether to let other work run first; resolves to what the generator returns.
 *
 * @example
 * const postings = await paced(Postings.load(data, options), pause);
 */
export async function paced<T>(steps: Iterator<unknown, T>, pause: Pause): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    const due = pause();
    if (due) await due;
  }
}

/**
 * Runs `steps` to their end at once, for work done on the spot (an engine built where it serves).
 *
 * @example
 * const postings = unpaced(Postings.load(data, options));
 */
export function unpaced<T>(steps: Iterator<unknown, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
