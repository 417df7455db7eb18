import { describe, expect, it } from 'vitest';
import { renderReply, wrap } from '../../src/terminal/render.js';

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

describe('renderReply', () => {
  it('shows no control character of any text it is given: an escape sequence in a stored question or a title drives nothing', () => {
    const text = renderReply(
      {
        tone: 'info',
        title: 'Gaps \u001b]0;pwned\u0007',
        body: 'Body \u001b[2J',
        lists: [{ heading: 'Heading \u009b31m', items: ['a question \u001b[31mred\u001b[0m'] }],
        ephemeral: false,
      },
      { ansi: false, width: null },
    );
    // eslint-disable-next-line no-control-regex -- control characters are what must not appear
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('a question  [31mred [0m');
  });
});
