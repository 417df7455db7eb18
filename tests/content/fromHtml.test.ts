import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { draftToMarkdown } from '../../src/content/draft.js';
import { htmlToDraft, isoDate, PAGE_LIMITS, PageTooLarge } from '../../src/content/fromHtml.js';
import { ARTICLE_LIMITS } from '../../src/content/limits.js';
import { normalizeText } from '../../src/content/normalize.js';
import { parseArticle } from '../../src/content/parseArticle.js';
import { ROOT } from '../support/content.js';
import { growth, LINEAR } from '../support/linear.js';

const PAGES = path.join(ROOT, 'tests/fixtures/news-pages');
const names = readdirSync(PAGES).filter((name) => !name.endsWith('.md'));

const flat = (text: string): string => normalizeText(text).replace(/\s+/g, ' ').trim();

/** The paragraphs of Readability's expected article: its `<p>` elements of 20 characters or more. */
function expectedParagraphs(name: string): string[] {
  const parse = parseHTML as unknown as (html: string) => {
    document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
  };
  const { document } = parse(readFileSync(path.join(PAGES, name, 'expected.html'), 'utf8'));
  return Array.from(document.querySelectorAll('p'))
    .map((p) => flat(p.textContent ?? ''))
    .filter((text) => text.length >= 20);
}

/**
 * A page imported as the bot imports it: its draft written in the article format, then read back by
 * the validator. Fetched from `https://news.test/<name>` unless `from` says where.
 */
function imported(name: string, from = `https://news.test/${name}`) {
  const draft = htmlToDraft(readFileSync(path.join(PAGES, name, 'source.html'), 'utf8'), from);
  if (!draft) throw new Error(`no article in ${name}`);
  const markdown = draftToMarkdown(draft);
  const { article, problems } = parseArticle(`${name}.md`, markdown, name, 'imported');
  return { markdown, article, problems };
}

describe('htmlToDraft on real news pages', () => {
  it.each(names)('%s: expected title and date, ≥ 95 % of the paragraphs, no markup, valid', (name) => {
    const metadata = JSON.parse(readFileSync(path.join(PAGES, name, 'expected-metadata.json'), 'utf8')) as {
      title: string;
      publishedTime: string | null;
    };
    const { markdown, article, problems } = imported(name);
    expect(problems).toEqual([]);
    expect(article?.title).toBe(flat(metadata.title));
    if (metadata.publishedTime) expect(article?.published).toBe(metadata.publishedTime.slice(0, 10));
    // Kept: in the text, or as the picture's caption.
    const text = flat(
      [
        article?.caption ?? '',
        ...(article?.lead ?? []),
        ...(article?.sections.flatMap((s) => [s.heading, ...s.paragraphs]) ?? []),
      ].join(' '),
    );
    const expected = expectedParagraphs(name);
    const kept = expected.filter((paragraph) => text.includes(paragraph));
    expect(kept.length / expected.length).toBeGreaterThanOrEqual(0.95);
    expect(markdown).not.toMatch(/<\/?(?:p|div|span|a|script|style|img|figure)\b|\{[^}]*:[^}]*;/i);
  });

  it('reads the canonical link, JSON-LD date and author, and the picture caption', () => {
    const { article } = imported('aclu', 'https://www.aclu.org/blog/facebook-tracking?utm_source=feed');
    expect(article).toMatchObject({
      url: 'https://www.aclu.org/blog/privacy-technology/internet-privacy/facebook-tracking-me-even-though-im-not-facebook',
      sources: [
        'https://www.aclu.org/blog/privacy-technology/internet-privacy/facebook-tracking-me-even-though-im-not-facebook',
      ],
      published: '2018-04-05',
      author: 'Daniel Kahn Gillmor',
    });
    // A canonical link to another site is not believed: the page is named by where it was fetched.
    expect(imported('aclu', 'https://news.test/aclu').article).toMatchObject({
      url: 'https://news.test/aclu',
      sources: ['https://news.test/aclu'],
    });
    expect(imported('aclu', 'https://aclu.org.evil.example/blog').article?.url).toBe(
      'https://aclu.org.evil.example/blog',
    );
    expect(imported('nytimes-1').article?.caption).toMatch(/^United Nations peacekeepers at a refugee camp in Sudan/);
    // A byline that is only dates names nobody; "By … March 11, 2015 3:46 PM" names its author.
    expect(imported('seattletimes-1').article?.author).toBeNull();
    expect(imported('yahoo-3').article?.author).toBe('GILLIAN MOHNEY');
  });

  it('keeps sub-headings as sections and lists as lists', () => {
    const { markdown, article } = imported('aclu');
    expect(article?.sections.map((s) => s.heading)).toContain('Information from other Facebook users');
    expect(markdown).toContain('\n## Information from other Facebook users\n');
    const draft = htmlToDraft(
      `<html><head><title>Ten Ways To Save Water At Home</title></head><body><article><h1>Ten Ways To Save Water At Home</h1>
       <p>${'Households use a great deal of water every day, and most of it goes down the drain unused. '.repeat(4)}</p>
       <h2>In the kitchen</h2><ul><li>Run the dishwasher only when it is full.</li><li>Keep a jug of cold water in the fridge.</li></ul>
       <p>${'Small habits add up over a year to thousands of litres saved by a single family. '.repeat(4)}</p></article></body></html>`,
      'https://news.test/water',
    );
    expect(draft?.sections).toEqual([
      {
        heading: 'In the kitchen',
        blocks: [
          {
            kind: 'list',
            items: ['Run the dishwasher only when it is full.', 'Keep a jug of cold water in the fridge.'],
          },
          expect.objectContaining({ kind: 'paragraph' }),
        ],
      },
    ]);
    expect(draftToMarkdown(draft!)).toContain(
      '## In the kitchen\n\n- Run the dishwasher only when it is full.\n- Keep a jug of cold water in the fridge.\n',
    );
  });

  it('finds no article in a home page of links, a login wall or an empty body', () => {
    const links = Array.from(
      { length: 40 },
      (_, i) => `<li><a href="/story-${i}">Headline number ${i} about something that happened today</a></li>`,
    ).join('');
    expect(htmlToDraft(`<html><body><h1>News</h1><ul>${links}</ul></body></html>`, 'https://news.test/')).toBeNull();
    expect(
      htmlToDraft(
        '<html><body><form><p>Please log in to continue reading.</p><input name="user"><button>Log in</button></form></body></html>',
        'https://news.test/paywalled',
      ),
    ).toBeNull();
    expect(htmlToDraft('<html><head><title>Nothing</title></head><body></body></html>', null)).toBeNull();
  });

  it('finds no article, without failing, in a text/html page that has no tags at all', () => {
    for (const text of ['Just some words, no markup at all.', '', 'a < b & c > d', '<!-- only a comment -->'])
      expect(htmlToDraft(text, 'https://news.test/plain')).toBeNull();
  });

  it('reads a page nested thousands deep in linear time, keeping its text', () => {
    const story = (depth: number) =>
      `<html><body><article><h1>Deep Story</h1>${'<div>'.repeat(depth)}<p>${'Deep text of the story goes on here. '.repeat(20)}</p>${'</div>'.repeat(depth)}</article></body></html>`;
    expect(htmlToDraft(story(3_000), 'https://news.test/deep')?.lead[0]).toMatchObject({
      kind: 'paragraph',
      text: expect.stringContaining('Deep text of the story goes on here.') as unknown,
    });
    // What holds no text (a script, a style) is dropped, not unwrapped into the article.
    const scripted = htmlToDraft(
      story(100).replace('<p>', '<script>var secret = "SCRIPT TEXT";</script><style>.x{}</style><p>'),
      'https://news.test/deep',
    );
    expect(JSON.stringify(scripted)).not.toMatch(/SCRIPT TEXT|\.x\{\}/);
    // Readability alone took 2.8 s at 800 levels and 112 s at 2,000.
    expect(
      growth(
        (depth: number) => htmlToDraft(story(depth), 'https://news.test/deep'),
        (n) => n,
        400,
      ),
    ).toBeLessThan(LINEAR);
  });

  it('refuses a page of more elements than any article has, saying so', () => {
    const spans = '<span>a</span>'.repeat(PAGE_LIMITS.elements);
    expect(() => htmlToDraft(`<html><body><p>${spans}</p></body></html>`, 'https://news.test/spans')).toThrow(
      new PageTooLarge('the page has more than 30,000 elements, far more than any article'),
    );
  });

  it('fits what a page gives to the article limits: a long title cut at a word, a long heading kept as a paragraph', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `headline${i}`).join(' ');
    const paragraph = `<p>${'Text of the story that goes on for a while. '.repeat(15)}</p>`;
    const draft = htmlToDraft(
      `<html><head><title>${words(80)}</title></head><body><article><h1>${words(80)}</h1>${paragraph}<h2>${words(40)}</h2>${paragraph}<h2>Short heading</h2>${paragraph}</article></body></html>`,
      'https://news.test/long',
    );
    const { article, problems } = parseArticle('long.md', draftToMarkdown(draft!), 'long', 'imported');
    expect(problems).toEqual([]);
    expect(article?.title.length).toBeLessThanOrEqual(ARTICLE_LIMITS.titleChars);
    expect(article?.title).toMatch(/^headline0 headline1 .* …$/);
    expect(article?.sections.map((section) => section.heading)).toEqual(['Short heading']);
    expect(article?.lead).toContain(words(40));
  });

  it('keeps headings that end in "#" as text: "Key Insights #" lists stay the page’s, "C#" stays C#', () => {
    const paragraph = `<p>${'Text of the story that goes on for a while. '.repeat(15)}</p>`;
    const draft = htmlToDraft(
      `<html><head><title>Page</title></head><body><article><h1>Page</h1>${paragraph}<h2>Key Insights #</h2><ul><li>Planted insight.</li></ul><h2>Sources #</h2><ul><li>Not a link</li></ul><h2>C#</h2>${paragraph}</article></body></html>`,
      'https://news.test/hash',
    );
    const { article, problems } = parseArticle('hash.md', draftToMarkdown(draft!), 'hash', 'imported');
    expect(problems).toEqual([]);
    expect(article?.insights).toEqual([]);
    expect(article?.sections.map((section) => section.heading)).toEqual([
      'Key Insights # (from the article)',
      'Sources # (from the article)',
      'C#',
    ]);
  });

  it('reads dates as the article format writes them', () => {
    expect(isoDate('2017-01-13T03:38:38-05:00')).toBe('2017-01-13');
    expect(isoDate('2017-11-03 03:01:00.000000')).toBe('2017-11-03');
    expect(isoDate('March 11, 2015')).toBe('2015-03-11');
    expect(isoDate('2019-02-30')).toBeNull();
    expect(isoDate('yesterday')).toBeNull();
  });
});
