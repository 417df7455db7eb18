import { describe, expect, it } from 'vitest';
import { loadArticles } from '../../src/content/loadArticles.js';
import { loadLexicon } from '../../src/language/lexicon.js';
import { encodeParts, SegmentCollector } from '../../src/serving/parts.js';
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
    const segment = { id: 's1', ...Engine.prepare(articles) };
    const parts = [...encodeParts(segment)];
    expect(parts.length).toBeGreaterThan(3);
    const collector = new SegmentCollector();
    for (const part of parts) collector.add(part);
    expect(collector.result()).toEqual(segment);
    // Parts read at any offset of a larger buffer (not 4-aligned) come through whole too.
    const shifted = new SegmentCollector();
    for (const part of parts) {
      const larger = new Uint8Array(part.byteLength + 1);
      larger.set(part, 1);
      shifted.add(larger.subarray(1));
    }
    expect(shifted.result()).toEqual(segment);

    let pauses = 0;
    const { options, data } = collector.result();
    const assembled = await Engine.assemble({ options, segments: [{ id: 's1', data }] }, resources, () => {
      pauses++;
      return Promise.resolve();
    });
    expect(pauses).toBeGreaterThan(0);
    const built = Engine.build(articles, resources);
    for (const question of QUESTIONS) expect(seen(assembled, question)).toEqual(seen(built, question));
    expect(assembled.suggest('hegs')).toEqual(built.suggest('hegs'));
  });

  it('serves with the options the data was prepared with', async () => {
    const options = { passages: { maxLength: 500 } };
    const prepared = Engine.prepare(articles, options);
    const other = await Engine.assemble(
      { options: prepared.options, segments: [{ id: 's1', data: prepared.data }] },
      resources,
      () => undefined,
    );
    expect(other.options.passages.maxLength).toBe(500);
    const built = Engine.build(articles, { ...resources, options });
    expect(other.passageTotal).toBe(built.passageTotal);
    for (const question of QUESTIONS) expect(seen(other, question)).toEqual(seen(built, question));
  });

  it('refuses data cut short', () => {
    expect(() => new SegmentCollector().result()).toThrow('the segment data is incomplete');
  });
});
