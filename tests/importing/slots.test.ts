import { describe, expect, it } from 'vitest';
import { Slots } from '../../src/importing/slots.js';

describe('Slots', () => {
  it('runs at most its count of works at once, the rest in the order asked, freeing a slot however a work ends', async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const work = (i: number, fail = false) =>
      slots.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
        order.push(i);
        if (fail) throw new Error(`work ${i} failed`);
        return i;
      });
    const results = await Promise.allSettled([work(0), work(1, true), work(2), work(3), work(4)]);
    expect(most).toBe(2);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      0,
      'work 1 failed',
      2,
      3,
      4,
    ]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(() => new Slots(0)).toThrow(RangeError);
  });
});
