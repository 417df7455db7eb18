import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/search/engine.js';
import { loadLexicon } from '../../src/language/lexicon.js';
import { KnowledgeBase } from '../../src/library/knowledgeBase.js';
import { articleText, makeContentDir } from '../support/content.js';
import { buildEngine } from '../support/engine.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((dispose) => dispose()));
});

async function setup() {
  const content = await makeContentDir({ 'bridge.md': articleText() });
  cleanups.push(content.dispose);
  return { ...content, cacheFile: path.join(content.dir, 'index-cache.json') };
}

const answer = (knowledge: KnowledgeBase, question: string) => knowledge.engine.search(question).hits[0]?.answer;

describe('KnowledgeBase index cache', () => {
  it('saves the built index, and answers the same from it on the next start', async () => {
    const { dir, cacheFile } = await setup();
    const first = await KnowledgeBase.open(dir, { cacheFile });
    const saved = await readFile(cacheFile, 'utf8');
    expect(saved.split('\n')[0]).toMatch(/^article-qa-bot index v\d+ [0-9a-f]{16} [0-9a-f]{64}$/);
    const second = await KnowledgeBase.open(dir, { cacheFile });
    expect(answer(second.knowledge, 'how many steel cables were replaced?')).toBe(
      'Engineers replaced 300 steel cables.',
    );
    expect(second.knowledge.engine.suggest('cab')).toEqual(first.knowledge.engine.suggest('cab'));
  });

  it('ignores a snapshot of other content, and rebuilds', async () => {
    const { dir, articles, cacheFile } = await setup();
    await KnowledgeBase.open(dir, { cacheFile });
    await writeFile(path.join(articles, 'bridge.md'), articleText().replace('300 steel cables', '450 steel cables'));
    const { knowledge } = await KnowledgeBase.open(dir, { cacheFile });
    expect(answer(knowledge, 'how many steel cables were replaced?')).toBe('Engineers replaced 450 steel cables.');
  });

  it('survives a corrupt or unwritable cache, reporting it', async () => {
    const { dir, cacheFile } = await setup();
    await KnowledgeBase.open(dir, { cacheFile });
    const key = (await readFile(cacheFile, 'utf8')).split('\n')[0];
    await writeFile(cacheFile, `${key}\n{"version": 1, "truncated`);
    const errors: unknown[] = [];
    const { knowledge } = await KnowledgeBase.open(dir, { cacheFile, onCacheError: (error) => errors.push(error) });
    expect(answer(knowledge, 'how many steel cables were replaced?')).toBe('Engineers replaced 300 steel cables.');
    await KnowledgeBase.open(dir, {
      cacheFile: path.join(dir, 'missing-dir', 'cache.json'),
      onCacheError: (error) => errors.push(error),
    });
    expect(errors).toHaveLength(1);
  });

  it('refuses a snapshot from another engine version or built with other options', () => {
    const resources = { lexicon: loadLexicon() };
    expect(Engine.fromSnapshot([], JSON.stringify({ version: -1, passages: 0 }), resources)).toBeNull();
    expect(Engine.fromSnapshot([], 'not json', resources)).toBeNull();
    const other = buildEngine([], { passages: { maxLength: 500 } }).toSnapshot();
    expect(Engine.fromSnapshot([], other, resources)).toBeNull();
  });
});
