import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/content/parseArticle.js';
import { chunkArticle } from '../../src/search/chunk.js';
import { DEFAULT_OPTIONS } from '../../src/search/options.js';

/** Lines a moderator might get wrong, in any order and number. */
const line = fc.oneof(
  fc.constantFrom(
    '---',
    '--- ',
    'title: A title',
    'title:',
    'title: "quoted"',
    "title: 'single'",
    'url: https://example.com/a',
    'url: notaurl',
    'published: 2025-02-20',
    'published: 2025-13-45',
    'sources:',
    'sources: [https://a.example, https://b.example]',
    '  - https://example.com/s',
    '  - javascript:alert(1)',
    '- https://example.com/s',
    'caption: a picture',
    'unknown: key',
    ': no key',
    'no colon here',
    '',
    '## Key Insights',
    '- an insight',
    '* another',
    '1. numbered',
    '## Sources',
    'Sources:',
    '# Title heading',
    '##',
    '### Sub',
    'A paragraph of text. With two sentences.',
    'U.S. officials said the U.S. would act.',
    '<@123456789012345678> @everyone',
  ),
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

describe('parseArticle on generated files', () => {
  it('never throws; yields an article or problems pointing at real lines; articles chunk cleanly', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.constantFrom('\n', '\r\n', '\r'), (lines, newline) => {
        const source = lines.join(newline);
        const { article, problems } = parseArticle('a.md', source, 'a');
        const lineCount = source.split(/\r\n|\r|\n/).length;
        for (const problem of problems) {
          expect(problem.line).toBeGreaterThanOrEqual(0);
          expect(problem.line).toBeLessThanOrEqual(lineCount + 1);
          expect(problem.message.length).toBeGreaterThan(0);
        }
        expect(article === null).toBe(problems.length > 0);
        if (article) {
          expect(article.title.length).toBeGreaterThan(0);
          for (const source of article.sources) expect(source).toMatch(/^https?:\/\//i);
          for (const passage of chunkArticle(article, DEFAULT_OPTIONS.passages))
            expect(passage.text.length).toBeLessThanOrEqual(DEFAULT_OPTIONS.passages.maxLength);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('never throws on arbitrary text, including files with only front matter or nothing at all', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 3000 }),
          fc.string({ unit: 'binary', maxLength: 3000 }),
          fc.constantFrom('', '---\ntitle: T\n---', '---\n---\n', '\uFEFF'),
        ),
        (source) => {
          const { article, problems } = parseArticle('b.md', source, 'b');
          expect(article === null).toBe(problems.length > 0);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
