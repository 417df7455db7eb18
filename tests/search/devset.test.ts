import { describe, expect, it } from 'vitest';
import { loadArticles } from '../../src/content/loadArticles.js';
import { buildEngine } from '../support/engine.js';
import { SEED_DIR, FIXTURE_DIR, HOLDOUT_DIR } from '../support/content.js';
import { loadDevset, loadHoldout, measureQuality, type DevQuestion, type Quality } from '../support/devset.js';

/** The engine's quality over the articles of some content directories, on some questions. */
async function qualityOver(dirs: readonly string[], questions: readonly DevQuestion[]): Promise<Quality> {
  const articles = (await Promise.all(dirs.map((dir) => loadArticles(dir)))).flatMap((loaded) => loaded.articles);
  return measureQuality(buildEngine(articles), questions);
}

// Floors just under what the engine measures today (see bench/README.md), so a change that makes
// answers worse fails here. The dev set is deliberately harder than everyday questions:
// paraphrases, typos, and off-topic questions that share a word with an article. It is part of
// the data `npm run train` fits on; the held-out set below is not. An off-topic question abstained
// on is one that got no confident answer: refused, or answered only hedged.
describe('development set quality', () => {
  it('answers the seed article’s questions and abstains on off-topic ones', async () => {
    const quality = await qualityOver([SEED_DIR], loadDevset('mexico-us-cartel-sovereignty'));
    expect(quality.questions).toBeGreaterThanOrEqual(60);
    expect(quality.hit1).toBeGreaterThanOrEqual(0.78);
    expect(quality.hit3).toBeGreaterThanOrEqual(0.84);
    expect(quality.answerAccuracy).toBeGreaterThanOrEqual(0.72);
    expect(quality.answerableRefused).toBe(0);
    expect(quality.confident).toBeGreaterThanOrEqual(0.55);
    expect(quality.offTopicAbstention).toBeGreaterThanOrEqual(0.94);
  });

  it('answers questions about a second article on another topic', async () => {
    const quality = await qualityOver([FIXTURE_DIR], loadDevset('orkney-battery-ferry-winter'));
    expect(quality.hit1).toBeGreaterThanOrEqual(0.77);
    expect(quality.hit3).toBeGreaterThanOrEqual(0.84);
    expect(quality.answerAccuracy).toBeGreaterThanOrEqual(0.74);
    expect(quality.answerableRefused).toBe(0);
    expect(quality.offTopicAbstention).toBeGreaterThanOrEqual(0.94);
  });

  it('keeps both articles apart when they are loaded together', async () => {
    const quality = await qualityOver([SEED_DIR, FIXTURE_DIR], loadDevset());
    expect(quality.hit1).toBeGreaterThanOrEqual(0.78);
    expect(quality.offTopicAbstention).toBeGreaterThanOrEqual(0.94);
  });
});

// A second set, written separately in the plainer style of everyday questions, over the seed
// article and a third article the engine was not tuned on at first.
describe('held-out set quality', () => {
  it('answers everyday questions about the seed article', async () => {
    const quality = await qualityOver([SEED_DIR], loadHoldout('mexico-us-cartel-sovereignty'));
    expect(quality.hit1).toBeGreaterThanOrEqual(0.9);
    expect(quality.hit3).toBe(1);
    expect(quality.answerAccuracy).toBeGreaterThanOrEqual(0.9);
    // None refused: everyday questions about the bundled article always get at least the closest passage.
    expect(quality.answerableRefused).toBe(0);
    expect(quality.confident).toBeGreaterThanOrEqual(0.75);
    expect(quality.offTopicAbstention).toBe(1);
  });

  it('answers everyday questions about a third article', async () => {
    const quality = await qualityOver([HOLDOUT_DIR], loadHoldout('llyn-maelor-bronze-age-village'));
    expect(quality.hit1).toBeGreaterThanOrEqual(0.8);
    // 28 of 30 since issue 26: "Who found the village?" is now answered hedged, and a hedged
    // answer's three passages come from different paragraphs, none of them the one expected.
    expect(quality.hit3).toBeGreaterThanOrEqual(0.93);
    expect(quality.answerAccuracy).toBeGreaterThanOrEqual(0.75);
    expect(quality.answerableRefused).toBe(0);
    expect(quality.offTopicAbstention).toBe(1);
  });
});
