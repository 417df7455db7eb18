import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSquad } from '../../bench/squad.js';
import { Engine, INDEX_FORMAT } from '../../src/search/engine.js';

/**
 * What `Engine.prepare` makes of two SQuAD articles, pinned with the index format it was recorded
 * under. Snapshots are reused while their format is this engine's, so a change to what is prepared
 * (analysis, stemming, default options, the data's layout, a dependency's upgrade) must come with a
 * new INDEX_FORMAT, or the bot would keep serving an index built the old way.
 */
const PINNED = { format: 13, prepared: '0f5a3f08eab6e674' };

describe('the index format', () => {
  it('changes whenever what the engine prepares changes', () => {
    const articles = loadSquad()
      .slice(0, 2)
      .map((entry) => entry.article);
    const data = Engine.prepare(articles);
    const json = JSON.stringify(data, (_key, value: unknown) =>
      ArrayBuffer.isView(value) ? Array.from(value as Uint32Array) : value,
    );
    const prepared = createHash('sha256').update(json).digest('hex').slice(0, 16);
    expect(
      { format: INDEX_FORMAT, prepared },
      'what Engine.prepare makes changed: bump INDEX_FORMAT in src/search/engine.ts, and pin both here',
    ).toEqual(PINNED);
  });
});
