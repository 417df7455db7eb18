import { parseArgs } from 'node:util';
import type { Article } from '../../src/content/article.js';
import { loadArticles } from '../../src/content/loadArticles.js';
import { loadDevset } from '../../tests/support/devset.js';
import { buildEngine, type EngineName } from '../engines.js';
import { mixedQuestions } from '../queries.js';
import { summarize } from '../stats.js';

/**
 * One configuration of the speed benchmark, in its own process so memory figures are its own:
 * builds an engine over a benchmark content directory (see corpus.ts), and measures build time, heap and RSS, serialized size, query latency over
 * a mixed question set, and quality on the development questions in that corpus.
 */
const { values } = parseArgs({
  options: { engine: { type: 'string' }, data: { type: 'string' }, queries: { type: 'string' } },
});
const name = values.engine as EngineName;
const queryCount = Number(values.queries ?? 1000);

// Articles are read from files, as the bot reads them, so memory includes what loading leaves behind.
const articles: Article[] = (await loadArticles(values.data ?? '')).articles;
const size = articles.length;
const real = articles.filter((article) => !article.slug.startsWith('synthetic-'));
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();

const started = performance.now();
const engine = buildEngine(name, articles);
const buildMs = performance.now() - started;
gc?.();
const { heapUsed, rss } = process.memoryUsage();
const serializedBytes = engine.serializedBytes();

const devset = loadDevset().filter(
  (q) => q.expect.length === 0 || q.expect.some((id) => real.some((a) => id.startsWith(`${a.slug}#`))),
);
const questions = [...mixedQuestions(articles, queryCount), ...devset.map((q) => q.q)];
// Warm up as a bot that has been running would be: V8 compiles hot code in tiers over the first
// few thousand questions (p99 falls tenfold). Three passes, or ten seconds for the slow engines.
const warmUntil = performance.now() + 10_000;
for (let pass = 0; pass < 3 && performance.now() < warmUntil; pass++)
  for (const question of questions) engine.search(question);
const times = questions.map((question) => {
  const start = performance.now();
  engine.search(question);
  return performance.now() - start;
});

let hit1 = 0;
let hit3 = 0;
let reciprocal = 0;
let answered = 0;
let abstained = 0;
const onTopic = devset.filter((q) => q.expect.length > 0);
for (const question of devset) {
  const ids = engine.search(question.q);
  if (question.expect.length === 0) {
    if (ids.length === 0) abstained++;
    continue;
  }
  const rank = ids.findIndex((id) => question.expect.includes(id));
  if (rank === 0) hit1++;
  if (rank >= 0 && rank < 3) hit3++;
  if (rank >= 0) reciprocal += 1 / (rank + 1);
  if (ids.length > 0) answered++;
}
const share = (n: number, of: number): number => Math.round((of === 0 ? 1 : n / of) * 1000) / 1000;

console.log(
  JSON.stringify({
    engine: name,
    size,
    passages: articles.reduce(
      (n, a) => n + 1 + a.insights.length + a.sections.reduce((m, s) => m + s.paragraphs.length, 0),
      0,
    ),
    buildMs: Math.round(buildMs),
    heapMB: Math.round(heapUsed / 1e6),
    rssMB: Math.round(rss / 1e6),
    serializedMB: Math.round(serializedBytes / 1e5) / 10,
    queries: times.length,
    query: summarize(times),
    quality: {
      questions: devset.length,
      hit1: share(hit1, onTopic.length),
      hit3: share(hit3, onTopic.length),
      mrr: share(reciprocal, onTopic.length),
      answered: share(answered, onTopic.length),
      offTopicAbstention: share(abstained, devset.length - onTopic.length),
    },
  }),
);
