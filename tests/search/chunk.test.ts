import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/content/article.js';
import { loadArticles } from '../../src/content/loadArticles.js';
import { chunkArticle, MAX_PASSAGE_LENGTH } from '../../src/search/chunk.js';
import { DATA_DIR } from '../support/content.js';

const article = (overrides: Partial<Article>): Article => ({
  slug: 'test',
  file: 'test.md',
  title: 'Test',
  url: null,
  published: null,
  caption: null,
  sources: [],
  lead: ['Lead text.'],
  insights: [],
  sections: [],
  ...overrides,
});

describe('chunkArticle', () => {
  it('follows the seed article’s structure: lead, five insights, two paragraphs per section', async () => {
    const { articles } = await loadArticles(DATA_DIR);
    const passages = chunkArticle(articles[0] as Article);
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
    expect(first?.sentences[1]).toBe('This comes in response to the U.S. government’s unilateral decision to designate six Mexican organized crime groups as foreign terrorist organizations.');
  });

  it('splits a long paragraph into windows of whole sentences', () => {
    const sentence = 'The committee reviewed the proposal in detail and asked for more evidence on costs.';
    const long = Array.from({ length: 20 }, () => sentence).join(' ');
    const passages = chunkArticle(article({ sections: [{ heading: 'Review', paragraphs: [long] }] }));
    const review = passages.filter((p) => p.section === 'Review');
    expect(review.length).toBeGreaterThan(2);
    expect(review.map((p) => p.id)).toEqual(review.map((_, i) => `test#review-${i + 1}`));
    for (const p of review) {
      expect(p.text.length).toBeLessThanOrEqual(MAX_PASSAGE_LENGTH);
      expect(p.text.endsWith('costs.')).toBe(true);
    }
    expect(review.map((p) => p.text).join(' ')).toBe(long);
  });

  it('keeps ids unique when two sections share a heading', () => {
    const passages = chunkArticle(article({ sections: [{ heading: 'Update', paragraphs: ['One.'] }, { heading: 'Update', paragraphs: ['Two.'] }] }));
    expect(passages.map((p) => p.id)).toEqual(['test#lead-1', 'test#update-1', 'test#update-2-1']);
  });
});
