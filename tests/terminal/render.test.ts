import { describe, expect, it } from 'vitest';
import { wrap } from '../../src/terminal/render.js';

describe('wrap', () => {
  it('breaks at word boundaries within the width, indenting continuation lines', () => {
    expect(wrap('1. one two three four five', 12, '   ')).toEqual(['1. one two', '   three', '   four five']);
  });

  it('counts no room for ANSI styling, and leaves short lines and no width alone', () => {
    expect(wrap('\u001b[1mbold words here\u001b[22m', 15)).toEqual(['\u001b[1mbold words here\u001b[22m']);
    expect(wrap('a b c', null)).toEqual(['a b c']);
  });

  it('keeps a word longer than the line whole, beside its bullet', () => {
    expect(wrap('  - https://example.com/a/very/long/link', 20, '    ')).toEqual([
      '  - https://example.com/a/very/long/link',
    ]);
  });
});
