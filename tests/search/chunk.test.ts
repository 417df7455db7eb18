import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/content/article.js';
import { loadArticles } from '../../src/content/loadArticles.js';
import { chunkArticle } from '../../src/search/chunk.js';
import { DEFAULT_OPTIONS } from '../../src/search/options.js';
import { SEED_DIR } from '../support/content.js';

const article = (overrides: Partial<Article>): Article => ({
  slug: 'test',
  file: 'test.md',
  origin: 'data',
  title: 'Test',
  url: null,
  published: null,
  author: null,
  caption: null,
  sources: [],
  lead: ['Lead text.'],
  insights: [],
  sections: [],
  ...overrides,
});
const chunk = (a: Article, passages: Partial<typeof DEFAULT_OPTIONS.passages> = {}) =>
  chunkArticle(a, { ...DEFAULT_OPTIONS.passages, ...passages });

/** A paragraph of `n` distinct sentences, each about 80 characters. */
const paragraph = (n: number, word = 'costs'): string =>
  Array.from(
    { length: n },
    (_, i) => `Sentence ${i + 1} says the committee reviewed the proposal and asked about ${word}.`,
  ).join(' ');

describe('chunkArticle', () => {
  it('follows the seed article’s structure: lead, five insights, two paragraphs per section', async () => {
    const { articles } = await loadArticles(SEED_DIR);
    const passages = chunk(articles[0] as Article);
    expect(passages.map((p) => p.id)).toEqual([
      'mexico-us-cartel-sovereignty#lead-1',
      ...[1, 2, 3, 4, 5].map((n) => `mexico-us-cartel-sovereignty#key-insights-${n}`),
      'mexico-us-cartel-sovereignty#mexico-stands-firm-against-us-pressure-1',
      'mexico-us-cartel-sovereignty#mexico-stands-firm-against-us-pressure-2',
      'mexico-us-cartel-sovereignty#diplomatic-tensions-and-security-concerns-1',
      'mexico-us-cartel-sovereignty#diplomatic-tensions-and-security-concerns-2',
      'mexico-us-cartel-sovereignty#cooperation-vs-coercion-mexicos-approach-1',
      'mexico-us-cartel-sovereignty#cooperation-vs-coercion-mexicos-approach-2',
      'mexico-us-cartel-sovereignty#the-road-ahead-balancing-security-and-sovereignty-1',
      'mexico-us-cartel-sovereignty#the-road-ahead-balancing-security-and-sovereignty-2',
    ]);
    expect(passages.map((p) => p.position)).toEqual(passages.map((_, i) => i));
    const first = passages[6];
    expect(first?.section).toBe('Mexico Stands Firm Against U.S. Pressure');
    expect(first?.sentences).toHaveLength(3);
    expect(first?.sentences[1]).toBe(
      'This comes in response to the U.S. government’s unilateral decision to designate six Mexican organized crime groups as foreign terrorist organizations.',
    );
  });

  it('makes every paragraph of a story without headings its own passage, after a lead', () => {
    const long = paragraph(3);
    const passages = chunk(article({ lead: [long, 'Second paragraph.', 'Third paragraph.'] }));
    expect(passages.map((p) => [p.id, p.kind, p.paragraph, p.text])).toEqual([
      ['test#lead-1', 'lead', 0, long],
      ['test#body-1', 'paragraph', 1, 'Second paragraph.'],
      ['test#body-2', 'paragraph', 2, 'Third paragraph.'],
    ]);
  });

  it('joins short opening paragraphs into one lead, up to its limits', () => {
    const passages = chunk(article({ lead: ['By the harbour.', 'Short standfirst.', 'Third.', 'Fourth.'] }), {
      leadMinLength: 40,
      leadMaxParagraphs: 3,
    });
    expect(passages.map((p) => p.text)).toEqual(['By the harbour. Short standfirst. Third.', 'Fourth.']);
    expect(passages[1]?.paragraph).toBe(3);
  });

  it('splits a long paragraph into overlapping windows of whole sentences', () => {
    const long = paragraph(30);
    const passages = chunk(article({ sections: [{ heading: 'Review', paragraphs: [long] }] }), {
      maxLength: 400,
      overlap: 1,
    });
    const review = passages.filter((p) => p.section === 'Review');
    expect(review.length).toBeGreaterThan(5);
    expect(review.map((p) => p.id)).toEqual(review.map((_, i) => `test#review-${i + 1}`));
    for (const [i, p] of review.entries()) {
      expect(p.text.length).toBeLessThanOrEqual(400);
      expect(p.text).toBe(p.sentences.join(' '));
      expect(long).toContain(p.text);
      // Each window starts with the sentence the one before ended with.
      if (i > 0) expect(p.sentences[0]).toBe(review[i - 1]?.sentences.at(-1));
    }
    expect(new Set(review.flatMap((p) => p.sentences))).toEqual(new Set(long.split(/(?<=\.) /)));
  });

  it('gives the same ids for the same content, and unique ids when two sections share a heading', () => {
    const content = article({
      sections: [
        { heading: 'Update', paragraphs: ['One.'] },
        { heading: 'Update', paragraphs: ['Two.'] },
      ],
    });
    expect(chunk(content).map((p) => p.id)).toEqual(['test#lead-1', 'test#update-1', 'test#update-2-1']);
    expect(chunk(content).map((p) => p.id)).toEqual(chunk(structuredClone(content)).map((p) => p.id));
  });
});
