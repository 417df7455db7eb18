import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadArticles } from '../../src/content/loadArticles.js';
import { ROOT, SEED_DIR } from '../support/content.js';

/** The original text the bundled article was written from (a copy of ../shared/article-source.txt). */
const SOURCE_TEXT = path.join(ROOT, 'tests/fixtures/seed-source.txt');

describe('the bundled article', () => {
  it('links exactly the sources its source text lists, in order', async () => {
    const source = await readFile(SOURCE_TEXT, 'utf8');
    const links = source.match(/https?:\/\/\S+/g) ?? [];
    expect(links.length).toBeGreaterThan(0);
    const { articles } = await loadArticles(SEED_DIR);
    expect(articles).toHaveLength(1);
    expect(articles[0]?.sources).toEqual(links);
  });
});
