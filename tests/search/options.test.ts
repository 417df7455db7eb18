import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, resolveOptions } from '../../src/search/options.js';

describe('resolveOptions', () => {
  it('fills what is not given from the defaults, group by group', () => {
    const options = resolveOptions({ passages: { maxLength: 800 }, candidates: 10 });
    expect(options.passages).toEqual({ ...DEFAULT_OPTIONS.passages, maxLength: 800 });
    expect(options.candidates).toBe(10);
    expect(options.bm25).toEqual(DEFAULT_OPTIONS.bm25);
  });

  it('names the key of a value out of range', () => {
    expect(() => resolveOptions({ passages: { maxLength: 50 } })).toThrow(
      'passages.maxLength must be a whole number from 200 to 4000, not 50',
    );
    expect(() => resolveOptions({ bm25: { b: 2 } })).toThrow('bm25.b must be a number from 0 to 1, not 2');
    expect(() => resolveOptions({ expansion: { fuzzy: [0.8, Number.NaN] } })).toThrow(
      'expansion.fuzzy[1] must be a number',
    );
    expect(() => resolveOptions({ candidates: 2.5 })).toThrow('candidates must be a whole number');
  });
});
