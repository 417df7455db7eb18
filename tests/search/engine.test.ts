import { beforeAll, describe, expect, it } from 'vitest';
import { loadArticles } from '../../src/content/loadArticles.js';
import { MAX_QUESTION_LENGTH, type Engine } from '../../src/search/engine.js';
import { FIXTURE_DIR, SEED_DIR } from '../support/content.js';
import { buildEngine } from '../support/engine.js';

let engine: Engine;
beforeAll(async () => {
  const seed = await loadArticles(SEED_DIR);
  const second = await loadArticles(FIXTURE_DIR);
  engine = buildEngine([...seed.articles, ...second.articles]);
});

describe('Engine.search', () => {
  it('answers with the passage, its best sentence, the matched words and the article', () => {
    const { hits, reason } = engine.search('What did Hegseth say about the cartels?');
    expect(reason).toBeNull();
    const best = hits[0];
    expect(best?.answer).toContain('all options are on the table');
    expect(best?.passage.text).toContain(best?.answer);
    expect(best?.terms).toEqual(['Hegseth', 'cartels']);
    expect(best?.passage.article.slug).toBe('mexico-us-cartel-sovereignty');
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it('tolerates typos and unfinished last words', () => {
    expect(engine.search('Sheinbuam constitutional amendmnet').hits[0]?.answer).toContain('constitutional amendment');
    expect(engine.search('fentanil').hits[0]?.answer).toContain('fentanyl');
    expect(engine.search('tom hom').hits[0]?.answer).toContain('Tom Homan');
  });

  it('respects the limit', () => {
    expect(engine.search('Mexico cartels sovereignty', { limit: 1 }).hits).toHaveLength(1);
    expect(engine.search('Mexico cartels sovereignty', { limit: 5 }).hits).toHaveLength(5);
  });

  it.each([
    ['an empty question', '', 'empty'],
    ['white space', ' \n\t ', 'empty'],
    ['only stop words', 'is it that they were?', 'no-terms'],
    ['10,000 characters', 'cartel '.repeat(1430), 'too-long'],
    ['emoji only', '🤔🌮🔥', 'no-terms'],
    ['zero-width characters only', '\u200b\u200c\u200d\ufeff', 'empty'],
    ['regex metacharacters', '.*+?^${}()|[]\\', 'no-terms'],
    ['Markdown only', '**__~~``||>>', 'no-terms'],
    ['a mention', '<@123456789012345678> @everyone', 'off-topic'],
    ['an off-topic question', 'What is the best recipe for banana bread?', 'off-topic'],
  ])('gives %s no passages and a reason, without throwing', (_label, question, reason) => {
    const response = engine.search(question);
    expect(response.hits).toEqual([]);
    expect(response.reason).toBe(reason);
  });

  it('still answers a question wrapped in Markdown, emoji and zero-width characters', () => {
    const { hits } = engine.search('**who** is 🤔 Tom\u200b Homan??? `[]`');
    expect(hits[0]?.answer).toContain('Tom Homan');
  });

  it('refuses questions just over the length limit', () => {
    expect(engine.search('a'.repeat(MAX_QUESTION_LENGTH + 1)).reason).toBe('too-long');
  });
});

describe('Engine.suggest', () => {
  it('offers the user’s own text first, then completions from the index', () => {
    const suggestions = engine.suggest('hegseth opt');
    expect(suggestions[0]).toBe('hegseth opt');
    expect(suggestions).toContain('hegseth options');
    expect(engine.suggest('   ')).toEqual([]);
  });
});
