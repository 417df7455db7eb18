import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { KnowledgeBase } from '../../src/serving/knowledgeBase.js';

/**
 * What a reload costs the thread that answers questions: over a benchmark content directory
 * (see corpus.ts), loads the index, then rebuilds it with `reload()` (no snapshot, so the worker
 * really builds) while asking a question every 100 ms. Reports the main thread's longest
 * event-loop stall (`monitorEventLoopDelay`, 10 ms resolution) and the slowest answer meanwhile.
 */
const { values } = parseArgs({ options: { data: { type: 'string' } } });
const dir = values.data ?? '';
const stateDir = await mkdtemp(path.join(tmpdir(), 'article-bot-reload-'));
const QUESTION = 'who is Tom Homan?';

try {
  let started = performance.now();
  const knowledge = KnowledgeBase.create(dir);
  await knowledge.reload();
  const firstLoadMs = performance.now() - started;

  const delay = monitorEventLoopDelay({ resolution: 10 });
  const answers: number[] = [];
  let done = false;
  const asking = (async () => {
    while (!done) {
      const sent = performance.now();
      knowledge.engine.search(QUESTION);
      answers.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  delay.enable();
  started = performance.now();
  const report = await knowledge.reload();
  const reloadMs = performance.now() - started;
  delay.disable();
  done = true;
  await asking;
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  console.log(
    JSON.stringify({
      articles: report.articles,
      passages: report.passages,
      firstLoadMs: Math.round(firstLoadMs),
      reloadMs: Math.round(reloadMs),
      stallMs: { max: round(delay.max / 1e6), p99: round(delay.percentile(99) / 1e6), mean: round(delay.mean / 1e6) },
      questionsDuringReload: answers.length,
      slowestAnswerMs: round(Math.max(...answers)),
      rssMB: Math.round(process.memoryUsage().rss / 1e6),
    }),
  );
} finally {
  await rm(stateDir, { recursive: true, force: true });
}
