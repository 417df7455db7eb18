import { describe, expect, it } from 'vitest';
import { loadArticles } from '../../src/content/loadArticles.js';
import { loadLexicon } from '../../src/language/lexicon.js';
import { DataCollector, encodeParts } from '../../src/library/parts.js';
import { Engine } from '../../src/search/engine.js';
import { SEED_DIR } from '../support/content.js';

const { articles } = await loadArticles(SEED_DIR);
const resources = { lexicon: loadLexicon() };
const QUESTIONS = ['who is Tom Homan?', 'what did Hegseth say about the cartels?', 'how to bake bread'];

/** A search response as a user sees it (an assembled engine's passages are read through getters). */
function seen(engine: Engine, question: string) {
  const response = engine.search(question);
  return {
    ...response,
    hits: response.hits.map(({ passage, ...hit }) => ({
      ...hit,
      passage: {
        id: passage.id,
        article: passage.article.slug,
        section: passage.section,
        kind: passage.kind,
        position: passage.position,
        paragraph: passage.paragraph,
        text: passage.text,
        sentences: passage.sentences,
      },
    })),
  };
}

describe('an index prepared in one thread and assembled in another', () => {
  it('comes through its encoded parts whole, and answers exactly as a directly built engine', async () => {
    const data = Engine.prepare(articles);
    const parts = [...encodeParts(data)];
    expect(parts.length).toBeGreaterThan(3);
    const collector = new DataCollector();
    for (const part of parts) collector.add(part);
    expect(collector.result()).toEqual(data);

    let pauses = 0;
    const assembled = await Engine.assemble(collector.result(), resources, () => {
      pauses++;
      return Promise.resolve();
    });
    expect(pauses).toBeGreaterThan(0);
    const built = Engine.build(articles, resources);
    for (const question of QUESTIONS) expect(seen(assembled, question)).toEqual(seen(built, question));
    expect(assembled.suggest('hegs')).toEqual(built.suggest('hegs'));
  });

  it('refuses data prepared with other options, or cut short', async () => {
    const other = Engine.prepare(articles, { passages: { maxLength: 500 } });
    await expect(Engine.assemble(other, resources, () => Promise.resolve())).rejects.toThrow(
      'the index was prepared by another engine version or with other options',
    );
    expect(() => new DataCollector().result()).toThrow('the index data is incomplete');
  });
});
