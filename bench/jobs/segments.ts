import { mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ROOT } from '../../tests/support/content.js';
import { captureLogger } from '../../tests/support/logger.js';
import { page, startWebServer } from '../../tests/support/webServer.js';
import { seededRandom } from '../corpus.js';
import { summarize } from '../stats.js';

/**
 * What a change costs with an index of segments (issue 24), with the compiled modules as `npm start`
 * runs them, each part in its own process (its memory its own):
 *
 * - `--part build`: a cold build of the content directory `--data` into the state directory
 *   `--state` (its segments and manifest).
 * - `--part startup`: a start from those segments: until the first answer is possible, until the
 *   first reload (the scan of every file) is done, the longest stall meanwhile, and the RSS once settled.
 * - `--part changes`: from those segments, through the real import and removal paths: imports of a
 *   page from a local web server until the new article answers, its removal until it no longer does
 *   (`runs` of each a second apart, the worker kept; then one of each after a quiet spell, the
 *   worker stopped and started again), `/reload` of one changed file of the content directory;
 *   the longest event-loop stall (`monitorEventLoopDelay`, 1 ms resolution) and the peak RSS over
 *   all of them; questions' latency on the served engine; with `--merge`, the removal of a fifth of
 *   the content directory, and the merge it sets off, until it is served.
 * - `--part deltas`: in one process, an engine of the corpus as a base segment and 10 deltas with a
 *   fifth of its articles deleted, against the same content as one merged segment: questions' latency.
 */
const { values } = parseArgs({
  options: {
    part: { type: 'string' },
    data: { type: 'string' },
    state: { type: 'string' },
    runs: { type: 'string' },
    merge: { type: 'boolean' },
  },
});
const dist = async <T>(module: string): Promise<T> => (await import(path.join(ROOT, 'dist', module))) as T;
const { KnowledgeBase } = await dist<typeof import('../../src/serving/knowledgeBase.js')>('serving/knowledgeBase.js');
const round = (ms: number): number => Math.round(ms * 10) / 10;
const mb = (bytes: number): number => Math.round(bytes / 1e6);
const gc = (globalThis as { gc?: () => void }).gc;
const dataDir = values.data ?? '';
const stateDir = values.state ?? '';
const cacheFile = path.join(stateDir, 'index.snapshot');
const importsDir = path.join(stateDir, 'articles');
const runs = Number(values.runs ?? 3);

/** The peak RSS from now until `stop`, sampled every 5 ms. */
function peakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  return {
    stop() {
      clearInterval(timer);
      return mb(Math.max(peak, process.memoryUsage().rss));
    },
  };
}

/** The median of some times, rounded. */
const median = (times: number[]): number => round([...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0);

/** `count` questions from the served passages: a few words of a random passage, some misspelt, some off-topic. */
function questionsOf(engine: import('../../src/search/engine.js').Engine, count: number): string[] {
  const random = seededRandom(11);
  const texts: string[] = [];
  for (let i = 0; i < 2000; i++) texts.push(engine.passageAt(Math.floor(random() * engine.passageTotal)).text);
  return Array.from({ length: count }, () => {
    if (random() < 0.15) return 'what is the weather in paris tomorrow';
    const words = (texts[Math.floor(random() * texts.length)] ?? '').split(/[^A-Za-z']+/).filter((w) => w.length > 3);
    const start = Math.floor(random() * Math.max(1, words.length - 4));
    const chosen = words.slice(start, start + 2 + Math.floor(random() * 3)).map((w) => w.toLowerCase());
    if (random() < 0.15 && chosen[0]) chosen[0] = `${chosen[0].slice(0, -2)}${chosen[0].slice(-1)}`;
    return chosen.join(' ');
  });
}

/** p50 and p99 of answering `questions` (after three warm-up passes, as a bot that has run a while). */
function latency(engine: import('../../src/search/engine.js').Engine, questions: readonly string[]) {
  for (let pass = 0; pass < 3; pass++) for (const question of questions) engine.search(question);
  const times = questions.map((question) => {
    const started = performance.now();
    engine.search(question);
    return performance.now() - started;
  });
  const { p50, p99 } = summarize(times);
  return { p50, p99 };
}

if (values.part === 'build') {
  await rm(stateDir, { recursive: true, force: true });
  await mkdir(stateDir, { recursive: true });
  const peak = peakRss();
  const started = performance.now();
  const knowledge = KnowledgeBase.create(dataDir, { cacheFile, importsDir });
  const report = await knowledge.reload();
  const buildMs = performance.now() - started;
  await knowledge.saved();
  knowledge.close();
  console.log(
    JSON.stringify({
      articles: report.articles,
      passages: report.passages,
      buildMs: Math.round(buildMs),
      peakRssMB: peak.stop(),
    }),
  );
} else if (values.part === 'startup') {
  const peak = peakRss();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  // The worker stops 2 s after its last job (30 s in the bot), so the steady figure is the bot's at rest.
  const knowledge = KnowledgeBase.create(dataDir, { cacheFile, importsDir, workerIdleMs: 2000 });
  const loading = knowledge.reload();
  while (!knowledge.ready) await new Promise((resolve) => setTimeout(resolve, 1));
  const readyMs = performance.now() - started;
  const report = await loading;
  const doneMs = performance.now() - started;
  delay.disable();
  const stallMs = round(delay.max / 1e6);
  // Settled: the worker stopped when idle, garbage collected.
  await new Promise((resolve) => setTimeout(resolve, 6000));
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 500));
  console.log(
    JSON.stringify({
      articles: report.articles,
      source: report.applied ? report.source : 'refused',
      readyMs: Math.round(readyMs),
      doneMs: Math.round(doneMs),
      stallMs,
      peakRssMB: peak.stop(),
      steadyRssMB: mb(process.memoryUsage().rss),
    }),
  );
  knowledge.close();
} else if (values.part === 'changes') {
  const { ArticleImporter } = await dist<typeof import('../../src/importing/importer.js')>('importing/importer.js');
  const { DirectoryShelf } =
    await dist<typeof import('../../src/importing/importShelf.js')>('importing/importShelf.js');
  const { DEFAULT_FETCH_LIMITS } =
    await dist<typeof import('../../src/importing/safeFetch.js')>('importing/safeFetch.js');
  const web = await startWebServer();
  // The worker stops after 3 s with nothing to do (30 s in the bot): the cold series waits past it.
  const idleMs = 3000;
  const knowledge = KnowledgeBase.create(dataDir, { cacheFile, importsDir, workerIdleMs: idleMs });
  await knowledge.reload();
  const importer = new ArticleImporter({
    shelf: new DirectoryShelf(importsDir, null, captureLogger().logger),
    policy: { ...DEFAULT_FETCH_LIMITS, allowPrivate: true },
    logger: captureLogger().logger,
    served: () => knowledge.engine.articles,
  });
  const actor = { id: 'bench', name: 'bench' };
  const stories = runs + 1;
  const word = (i: number) => `zephyrquill${String.fromCharCode(97 + i)}`;
  for (let i = 0; i < stories; i++)
    web.route(
      `/story-${i}`,
      page(
        `<html><head><title>Harbour Story ${i}</title></head><body><article><h1>Harbour Story ${i}</h1>${`<p>The ${word(i)} ferry left the harbour at dawn, its crew of twelve waving from the deck as the fog lifted over the water.</p>`.repeat(6)}</article></body></html>`,
      ),
    );
  const delay = monitorEventLoopDelay({ resolution: 1 });
  // Whether story `i` answers; this question's own time (a word the vocabulary lacks is looked
  // for among its neighbours) is left out of the stalls, which measure the change's work.
  const answers = (i: number): boolean => {
    delay.disable();
    const found = knowledge.engine.search(`${word(i)} ferry`).hits[0]?.passage.article.title === `Harbour Story ${i}`;
    delay.enable();
    return found;
  };
  /** Imports story `i` as /article add does (src/commands/articleImport.ts), until it answers. */
  const add = async (i: number): Promise<number> => {
    const started = performance.now();
    const imported = await importer.add({ kind: 'link', url: web.url(`/story-${i}`) }, actor);
    await knowledge.reload({ imported: [imported.name] });
    if (!answers(i)) throw new Error(`the import ${i} does not answer`);
    return performance.now() - started;
  };
  /** Removes story `i` as /article remove does, until it no longer answers. */
  const remove = async (i: number): Promise<number> => {
    const started = performance.now();
    const removedStory = await importer.remove(`Harbour Story ${i}`, actor);
    await knowledge.reload({ imported: [removedStory.name] });
    if (answers(i)) throw new Error(`the removal ${i} still answers`);
    return performance.now() - started;
  };
  const pauseFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const peak = peakRss();
  delay.enable();
  // Within a moderator's run of changes, a second apart: the worker that knows every file stays.
  const added: number[] = [];
  const removed: number[] = [];
  for (let i = 0; i < runs; i++) {
    added.push(await add(i));
    await pauseFor(1000);
  }
  for (let i = 0; i < runs; i++) {
    removed.push(await remove(i));
    await pauseFor(1000);
  }
  // The first change after a quiet spell: the worker has stopped, and a new one reads the manifest.
  await pauseFor(idleMs + 1000);
  const addCold = await add(runs);
  await pauseFor(idleMs + 1000);
  const removeCold = await remove(runs);
  // /reload of one file of the content directory, edited (and put back afterwards).
  const articles = existsSync(path.join(dataDir, 'articles')) ? path.join(dataDir, 'articles') : dataDir;
  const names = (await readdir(articles)).filter((name) => name.endsWith('.md')).sort();
  const edited = path.join(articles, names[0] ?? '');
  const original = await readFile(edited, 'utf8');
  await writeFile(edited, `${original}\nThe ${word(25)} lighthouse was repainted.\n`);
  let started = performance.now();
  const reloaded = await knowledge.reload();
  const reloadOneMs = performance.now() - started;
  await writeFile(edited, original);
  if (!reloaded.applied || reloaded.changes.articlesChanged.length !== 1)
    throw new Error('the edit was not applied alone');
  delay.disable();
  const changes = {
    addMs: { runs: added.map(round), median: median(added), cold: round(addCold) },
    removeMs: { runs: removed.map(round), median: median(removed), cold: round(removeCold) },
    reloadOneMs: round(reloadOneMs),
  };
  const stallMs = round(delay.max / 1e6);
  const questions = questionsOf(knowledge.engine, 1000);
  const query = latency(knowledge.engine, questions);
  let merge = null;
  if (values.merge) {
    // A fifth of the content directory removed: the base segment is then a fifth deleted, and merged.
    const before = knowledge.engine
      .segmentStates()
      .map((state) => state.id)
      .join(',');
    const mergeDelay = monitorEventLoopDelay({ resolution: 1 });
    for (const name of names.slice(1, Math.floor(names.length / 5) + 1)) await unlink(path.join(articles, name));
    mergeDelay.enable();
    started = performance.now();
    await knowledge.reload();
    const removalMs = performance.now() - started;
    started = performance.now();
    while (
      knowledge.engine.segmentStates().some((state) => state.deleted.length > 0) ||
      knowledge.engine
        .segmentStates()
        .map((s) => s.id)
        .join(',') === before
    )
      await new Promise((resolve) => setTimeout(resolve, 10));
    mergeDelay.disable();
    merge = {
      removedArticles: Math.floor(names.length / 5),
      removalMs: round(removalMs),
      mergeMs: round(performance.now() - started),
      stallMs: round(mergeDelay.max / 1e6),
      segments: knowledge.engine.segmentStates().length,
    };
  }
  console.log(
    JSON.stringify({
      articles: knowledge.engine.articles.length,
      ...changes,
      stallMs,
      peakRssMB: peak.stop(),
      query,
      merge,
      segments: knowledge.engine
        .segmentStates()
        .map((state) => ({ articles: state.articles, deleted: state.deleted.length })),
    }),
  );
  knowledge.close();
  await web.close();
} else if (values.part === 'deltas') {
  const { Engine } = await dist<typeof import('../../src/search/engine.js')>('search/engine.js');
  const { loadArticles } = await dist<typeof import('../../src/content/loadArticles.js')>('content/loadArticles.js');
  const { mergeSegments } = await dist<typeof import('../../src/search/merge.js')>('search/merge.js');
  const { loadLexicon } = await dist<typeof import('../../src/language/lexicon.js')>('language/lexicon.js');
  const { articles } = await loadArticles(dataDir);
  const resources = { lexicon: loadLexicon() };
  const base = articles.slice(0, Math.floor(articles.length * 0.9));
  const deltas = Array.from({ length: 10 }, (_, i) =>
    articles.slice(
      base.length + Math.floor((i * (articles.length - base.length)) / 10),
      base.length + Math.floor(((i + 1) * (articles.length - base.length)) / 10),
    ),
  );
  const prepared = Engine.prepare(base);
  let engine = await Engine.assemble(
    { options: prepared.options, segments: [{ id: 'base', data: prepared.data }] },
    resources,
    () => undefined,
  );
  for (const [i, delta] of deltas.entries())
    engine = await engine.change(
      { remove: [], add: { id: `d${i}`, data: Engine.prepare(delta).data } },
      () => undefined,
    );
  const random = seededRandom(3);
  const deleted = articles.filter(() => random() < 0.2).map((article) => article.slug);
  engine = await engine.change({ remove: deleted, add: null }, () => undefined);
  const questions = questionsOf(engine, 1000);
  const segmented = latency(engine, questions);
  const started = performance.now();
  const inputs = engine
    .segmentStates()
    .map((state) => engine.segmentForMerge(state.id))
    .filter((input) => input !== null);
  const merged = mergeSegments(inputs);
  const mergeMs = performance.now() - started;
  const whole = await Engine.assemble(
    { options: prepared.options, segments: [{ id: 'merged', data: merged }] },
    resources,
    () => undefined,
  );
  console.log(
    JSON.stringify({
      articles: engine.articles.length,
      segments: engine.segmentStates().length,
      deleted: deleted.length,
      segmented,
      merged: latency(whole, questions),
      mergeMs: Math.round(mergeMs),
    }),
  );
} else {
  throw new Error('usage: segments.ts --part build|startup|changes|deltas --data DIR [--state DIR] [--merge]');
}
