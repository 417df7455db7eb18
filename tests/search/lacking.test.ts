import { beforeAll, describe, expect, it } from 'vitest';
import { loadArticles } from '../../src/content/loadArticles.js';
import type { Engine } from '../../src/search/engine.js';
import { FIXTURE_DIR, SEED_DIR } from '../support/content.js';
import { buildEngine } from '../support/engine.js';

let engine: Engine;
beforeAll(async () => {
  engine = buildEngine([...(await loadArticles(SEED_DIR)).articles, ...(await loadArticles(FIXTURE_DIR)).articles]);
});

const place = (hit: { passage: { article: { slug: string }; paragraph: number; position: number } }): string =>
  `${hit.passage.article.slug}#${hit.passage.paragraph === -1 ? `insight-${hit.passage.position}` : hit.passage.paragraph}`;

describe('a hedged answer', () => {
  it('says what the closest passage lacks of what was asked: the kind of fact', () => {
    const response = engine.search('when did sheinbaum visit the guns factory?', { limit: 3 });
    expect(response.confidence).toBe('low');
    expect(response.lacking).toBe('no date for “when”');
  });

  it('says which specific word the closest passage lacks, and near which word it holds', () => {
    const response = engine.search('what did Sheinbaum say about the submarines?', { limit: 3 });
    expect(response.confidence).toBe('low');
    expect(response.lacking).toBe('“submarines” not found near “Sheinbaum”');
  });

  it('shows the closest passages of different paragraphs, not several windows of one', () => {
    const response = engine.search('when did sheinbaum visit the guns factory?', { limit: 3 });
    const places = response.hits.map(place);
    expect(places).toHaveLength(3);
    expect(new Set(places).size).toBe(3);
  });

  it('leaves a confident answer as it was: no lack named, passages in rank order', () => {
    const response = engine.search('who proposed a constitutional amendment?', { limit: 3 });
    expect(response.confidence).toBe('high');
    expect(response.lacking).toBeUndefined();
  });
});
