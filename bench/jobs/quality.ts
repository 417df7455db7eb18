import MiniSearch from 'minisearch';
import type { Article } from '../../src/content/article.js';
import { loadArticles } from '../../src/content/loadArticles.js';
import { chunkArticle } from '../../src/search/chunk.js';
import { Engine } from '../../src/search/engine.js';
import { DATA_DIR, FIXTURE_DIR, HOLDOUT_DIR } from '../../tests/support/content.js';
import { loadDevset, loadHoldout, measureQuality, type DevQuestion, type JudgedAnswer } from '../../tests/support/devset.js';

/**
 * Answer quality of the project's engine and of plain MiniSearch (default options, one document
 * per passage, the passage's first sentence as its "answer") on the same passages, per question
 * set and article.
 */
function plainMiniSearch(articles: readonly Article[]): (question: string) => JudgedAnswer[] {
  const passages = articles.flatMap(chunkArticle);
  const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
  index.addAll(passages.map((passage, id) => ({ id, text: passage.text })));
  return (question) =>
    index
      .search(question)
      .slice(0, 10)
      .map((result) => {
        const passage = passages[result.id as number];
        return { id: passage?.id ?? '', answer: passage?.sentences[0] ?? '' };
      });
}

const seed = (await loadArticles(DATA_DIR)).articles;
const second = (await loadArticles(FIXTURE_DIR)).articles;
const third = (await loadArticles(HOLDOUT_DIR)).articles;
const sets: Array<[string, Article[], DevQuestion[]]> = [
  ['dev: seed article', seed, loadDevset('mexico-us-cartel-sovereignty')],
  ['dev: second article', second, loadDevset('orkney-battery-ferry-winter')],
  ['held-out: seed article', seed, loadHoldout('mexico-us-cartel-sovereignty')],
  ['held-out: third article', third, loadHoldout('llyn-maelor-bronze-age-village')],
];
const round = (value: number): number => Math.round(value * 1000) / 1000;
const rows = sets.flatMap(([set, articles, questions]) =>
  ([['project', Engine.build(articles)], ['minisearch', plainMiniSearch(articles)]] as const).map(([engine, search]) => {
    const q = measureQuality(search, questions);
    return { set, engine, questions: questions.length, hit1: round(q.hit1), hit3: round(q.hit3), mrr: round(q.mrr), answerAccuracy: round(q.answerAccuracy), offTopicAbstention: round(q.offTopicAbstention) };
  }),
);
console.log(JSON.stringify(rows));
