/**
 * A fixed number of slots for work that must not all run at once: `run` waits for a free slot (in
 * the order asked), runs the work, and frees the slot however the work ends.
 *
 * @example
 * const conversions = new Slots(2);
 * const result = await conversions.run(() => convertInWorker(request));
 */
export class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(count: number) {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`slots must be a whole number from 1, not ${count}`);
    this.free = count;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
