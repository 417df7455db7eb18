import lunr from 'lunr';
import MiniSearch from 'minisearch';
import { serialize } from 'node:v8';
import { Engine } from '../src/search/engine.js';
import type { Article } from '../src/content/article.js';
import { buildEngine as buildProjectEngine } from '../tests/support/engine.js';

/** A search engine under test: built over articles, answering with passage ids, best first. */
export interface BenchEngine {
  search(question: string): string[];
  /** Size of its serialized index, in bytes. */
  serializedBytes(): number;
}

/** The names of the engines compared. */
export const ENGINE_NAMES = ['project', 'minisearch', 'lunr'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Builds one of the compared engines over the same passages. */
export function buildEngine(name: EngineName, articles: readonly Article[]): BenchEngine {
  if (name === 'project') {
    const engine = buildProjectEngine(articles);
    return {
      search: (q) => engine.search(q, { limit: 10 }).hits.map((hit) => hit.passage.id),
      // What a snapshot file holds (see src/library/snapshot.ts).
      serializedBytes: () => serialize(Engine.prepare(articles)).byteLength,
    };
  }
  // The same passages as the project's engine cuts.
  const passages = [...buildProjectEngine(articles).passages()];
  if (name === 'minisearch') {
    // Plain MiniSearch with default options, one document per passage.
    const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
    index.addAll(passages.map((passage, id) => ({ id, text: passage.text })));
    return {
      search: (q) =>
        index
          .search(q)
          .slice(0, 10)
          .map((result) => passages[result.id as number]?.id ?? ''),
      serializedBytes: () => Buffer.byteLength(JSON.stringify(index)),
    };
  }
  const index = lunr(function build() {
    this.ref('id');
    this.field('text');
    passages.forEach((passage, id) => this.add({ id: String(id), text: passage.text }));
  });
  return {
    // lunr reads + - ~ ^ : * as query syntax and throws on some of them: keep words only.
    search: (q) =>
      index
        .search(q.replace(/[^\p{L}\p{N}\s']/gu, ' '))
        .slice(0, 10)
        .map((result) => passages[Number(result.ref)]?.id ?? ''),
    serializedBytes: () => Buffer.byteLength(JSON.stringify(index)),
  };
}
