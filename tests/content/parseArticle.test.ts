import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/content/article.js';
import { parseArticle, readHeading } from '../../src/content/parseArticle.js';
import { articleText } from '../support/content.js';
import { growth, LINEAR } from '../support/linear.js';

const parse = (text: string) => parseArticle('a.md', text, 'a');
const problems = (text: string): string[] => parse(text).problems.map(formatProblem);

describe('parseArticle', () => {
  it('reads front matter, lead, key insights and sections', () => {
    const { article, problems } = parse(articleText());
    expect(problems).toEqual([]);
    expect(article).toMatchObject({
      slug: 'a',
      title: 'Harbour Bridge Reopens',
      url: 'https://example.com/bridge',
      published: '2025-03-01',
      sources: ['https://example.com/source-1'],
      lead: ['The Harbour Bridge reopened on Monday after two years of repairs.'],
      insights: ['Repairs cost 40 million euros.', 'Cyclists get a separate lane.'],
      sections: [
        {
          heading: 'The Repairs',
          paragraphs: ['Engineers replaced 300 steel cables. Work ran late because of storms.'],
        },
      ],
    });
  });

  it('accepts a trailing "## Sources" list as pasted articles have it, merged without repeats', () => {
    const text = articleText({
      extra:
        '\n## Sources\n\n1. https://example.com/source-1\n2. [Wire](https://example.com/wire)\n- <https://example.com/third>\n',
    });
    expect(parse(text).article?.sources).toEqual([
      'https://example.com/source-1',
      'https://example.com/wire',
      'https://example.com/third',
    ]);
  });

  it('accepts "Sources:" as a plain line before the list', () => {
    const text = articleText({ extra: '\nSources:\n\n  1. https://example.com/wire\n' });
    expect(parse(text).article?.sources).toEqual(['https://example.com/source-1', 'https://example.com/wire']);
  });

  it('reports a missing title with its line', () => {
    expect(problems('---\nurl: https://example.com\n---\n\nText.\n')).toEqual([
      'a.md:1: missing title: add "title: …" to the front matter',
    ]);
    expect(problems('---\ntitle:\n---\n\nText.\n')).toEqual([
      'a.md:2: missing title: add "title: …" to the front matter',
    ]);
  });

  it('reports an empty body', () => {
    expect(problems('---\ntitle: T\n---\n\n\n')).toEqual([
      'a.md:4: empty body: add a lead paragraph after the front matter',
    ]);
  });

  it('reports malformed front matter: missing, unclosed, bad lines, unknown and repeated keys', () => {
    expect(problems('Just text.\n')).toEqual([
      'a.md:1: expected front matter: a "---" line, then "title: …", then "---"',
    ]);
    expect(problems('---\ntitle: T\n\nText.\n')).toEqual([
      'a.md:1: front matter is not closed: add a "---" line after it',
    ]);
    expect(problems('---\ntitle: T\nthis is not a pair\n---\n\nText.\n')).toEqual([
      'a.md:3: malformed front matter line: expected "key: value", got "this is not a pair"',
    ]);
    expect(problems('---\ntitle: T\ntitel: U\n---\n\nText.\n')).toEqual([
      'a.md:3: unknown front matter key "titel" (expected one of: title, url, published, author, caption, sources)',
    ]);
    expect(problems('---\ntitle: T\ntitle: U\n---\n\nText.\n')).toEqual(['a.md:3: "title" is given twice']);
    expect(problems('---\ntitle: T\n- https://example.com\n---\n\nText.\n')).toEqual([
      'a.md:3: list item outside a list: only "sources:" takes "- url" items',
    ]);
  });

  it('reports sources and urls that are not http(s), and bad dates', () => {
    const text =
      '---\ntitle: T\nurl: ftp://example.com/x\npublished: 2025-02-30\nsources:\n  - https://ok.example.com/\n  - javascript:alert(1)\n  - www.example.com\n---\n\nText.\n';
    expect(problems(text)).toEqual([
      'a.md:3: url is not an http(s) URL: "ftp://example.com/x"',
      'a.md:4: published is not a date in the form YYYY-MM-DD: "2025-02-30"',
      'a.md:7: source is not an http(s) URL: "javascript:alert(1)"',
      'a.md:8: source is not an http(s) URL: "www.example.com"',
    ]);
  });

  it('reports paragraphs inside Key Insights, non-links under Sources, "# " headings and empty sections', () => {
    const text =
      '---\ntitle: T\n---\n\nLead.\n\n# Title again\n\n## Key Insights\n\nA paragraph.\n\n## Empty\n\n## Sources\n\n- not a link\n';
    expect(problems(text)).toEqual([
      'a.md:7: a "# " heading in the body: put the title in the front matter and use "## " for sections',
      'a.md:11: Key Insights takes only a bullet list ("- insight"), not paragraphs',
      'a.md:17: the Sources section takes only a list of links ("- https://…")',
      'a.md:13: section "Empty" has no text',
    ]);
  });

  it('refuses binary content', () => {
    expect(problems('---\ntitle: T\n---\n\nText\u0000.\n')).toEqual(['a.md:1: not a text file (it holds NUL bytes)']);
  });

  it('yields no article when the file has any problem, so half-read content never serves', () => {
    expect(parse('---\ntitle: T\nurl: nope\n---\n\nText.\n').article).toBeNull();
  });

  it('handles Windows line endings and a byte-order mark', () => {
    const { article, problems } = parse(`\uFEFF${articleText().replace(/\n/g, '\r\n')}`);
    expect(problems).toEqual([]);
    expect(article?.insights).toHaveLength(2);
  });

  it('holds every article to the limits that keep its cost its own, each reported at its line', () => {
    const long = (words: number) => Array.from({ length: words }, (_, i) => `word${i}`).join(' ');
    expect(
      problems(
        [
          '---',
          `title: ${long(60)}`,
          `caption: ${'c'.repeat(1001)}`,
          `author: ${'a'.repeat(201)}`,
          'sources:',
          ...Array.from({ length: 51 }, (_, i) => `  - https://example.com/${i}`),
          '---',
          '',
          'Lead.',
          '',
          `## ${long(40)}`,
          '',
          'Text.',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'a.md:2: title is too long (409 characters; at most 300): shorten it',
      'a.md:3: caption is too long (1,001 characters; at most 1,000): shorten it',
      'a.md:4: author is too long (201 characters; at most 200): shorten it',
      'a.md:56: more than 50 sources: keep the main ones',
      'a.md:61: heading is too long (269 characters; at most 200): shorten it, or make it a paragraph',
    ]);
    const paragraphs = Array.from({ length: 1001 }, (_, i) => `Paragraph ${i}.`).join('\n\n');
    expect(problems(`---\ntitle: T\n---\n\n${paragraphs}\n`)).toEqual([
      'a.md:2005: more than 1,000 paragraphs, list items and headings: split the article in two',
    ]);
  });

  it('reads a list item or front matter line holding a line separator in linear time, and refuses a URL with a user name', () => {
    const item = (n: number) => `---\ntitle: T\n---\n\nLead.\n\n- item${' '.repeat(n)}\u2028x\n`;
    expect(growth((text: string) => parse(text), item, 2_000)).toBeLessThan(LINEAR);
    expect(problems('---\ntitle: T\nurl: https://phish.example)@news.example/a\n---\n\nLead.\n')).toEqual([
      'a.md:3: url is not an http(s) URL: "https://phish.example)@news.example/a"',
    ]);
  });

  it('reads a closing "#" of a heading as CommonMark does: "C#" keeps it, "Key Insights #" is Key Insights', () => {
    expect(readHeading('## C#')).toEqual({ level: 2, text: 'C#' });
    expect(readHeading('## Key Insights ##')).toEqual({ level: 2, text: 'Key Insights' });
    expect(readHeading('not a heading')).toBeNull();
    const { article } = parse('---\ntitle: T\n---\n\nLead.\n\n## C#\n\nA language.\n\n## Key Insights #\n\n- One.\n');
    expect(article?.sections.map((section) => section.heading)).toEqual(['C#']);
    expect(article?.insights).toEqual(['One.']);
  });

  it('reads text as it is seen: no bidirectional overrides or control characters, titles composed and on one line', () => {
    const { article } = parse(
      '---\ntitle: "Safe\u202Egpj.exe fi\u0301nal  \u0007report"\ncaption: "\u2066A\u2069 picture"\n---\n\nText \u202Eesrever\u001b[31m.\n',
    );
    expect(article?.title).toBe('Safegpj.exe f\u00EDnal report');
    expect(article?.caption).toBe('A picture');
    expect(article?.lead).toEqual(['Text esrever [31m.']);
  });
});
