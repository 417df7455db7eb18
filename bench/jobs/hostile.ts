import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ROOT } from '../../tests/support/content.js';
import { captureLogger } from '../../tests/support/logger.js';
import { page, startWebServer } from '../../tests/support/webServer.js';
import { articleMarkdown, syntheticArticles } from '../corpus.js';
import { distinctWords, HOSTILE_UNITS, repeatTo, worstArticle, worstPage } from '../hostile.js';
import { summarize } from '../stats.js';

/**
 * What the worst input at each limit costs (issue 23), each part in its own process:
 *
 * - `--part messages`: through the fake Discord (the real client, handler and engine in this
 *   process), the answering thread's longest stall (`monitorEventLoopDelay` at 1 ms) while five
 *   4,000-character mentions of the costliest characters arrive at once, and the worst answered
 *   question (1,000 characters of misspelt words); and `/ask` latency alone against `/ask` sent with
 *   five such mentions, interleaved.
 * - `--part import`: the whole import (fetch, extraction in the import worker, validation, the file
 *   written) of the costliest page and of the costliest Markdown upload, with the compiled modules.
 * - `--part build --worst yes|no`: a cold index build in the build worker of 1,000 ordinary
 *   articles, with or without one worst-case article; its time and the process's peak RSS.
 */
const { values } = parseArgs({
  options: { part: { type: 'string' }, worst: { type: 'string' }, runs: { type: 'string' } },
});
const round = (ms: number): number => Math.round(ms * 10) / 10;
const dist = async <T>(module: string): Promise<T> => (await import(path.join(ROOT, 'dist', module))) as T;

if (values.part === 'messages') {
  const { startTestBot } = await import('../../tests/support/bot.js');
  const bot = await startTestBot({ env: { RATE_LIMIT: 'off', LOG_LEVEL: 'warn' } });
  const mention = bot.discord.mention('bot');
  const ask = (question: string) =>
    bot.discord.sendInteraction({ type: 'command', name: 'ask', options: { question } }).reply();
  const say = (text: string) => bot.discord.sendMessage({ content: `${mention} ${text}`, author: 'admin' }).reply();
  for (let i = 0; i < 50; i++) await ask('who is Tom Homan?'); // warm: V8 compiles hot code over the first answers
  /** The longest stall while `work` runs. */
  const stall = async (work: () => Promise<unknown>): Promise<number> => {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    await work();
    delay.disable();
    return delay.max / 1e6;
  };
  const five = (text: string) => () => Promise.all(Array.from({ length: 5 }, () => say(text)));
  const long = Object.fromEntries(HOSTILE_UNITS.map((unit) => [JSON.stringify(unit), repeatTo(unit, 3_990)]));
  const misspelt = distinctWords(200, 7)
    .map((word) => `${word}q`)
    .join(' ')
    .slice(0, 1_000);
  const stalls: Record<string, number> = {};
  for (const [name, text] of Object.entries({ ...long, 'answered: 1,000 characters of misspelt words': misspelt })) {
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) runs.push(await stall(five(text)));
    stalls[name] = round(Math.min(...runs));
  }
  const byStall = Object.entries(stalls).sort((a, b) => b[1] - a[1]);
  const [worstName = '', worstStall = 0] = byStall[0] ?? [];
  // /ask alongside the costliest of the 4,000-character messages (the measure).
  const [longName = ''] = byStall.find(([name]) => long[name] !== undefined) ?? [];
  const longText = long[longName] ?? '';
  // Interleaved: alone, with five of the costliest long messages, with five short ones refused alike.
  const alone: number[] = [];
  const alongside: number[] = [];
  const alongsideShort: number[] = [];
  const timed = async (into: number[], others: (() => Promise<unknown>) | null): Promise<void> => {
    const sent = others?.();
    const started = performance.now();
    await ask('what did Hegseth say about the cartels?');
    into.push(performance.now() - started);
    await sent;
  };
  for (let i = 0; i < 100; i++) {
    await timed(alone, null);
    await timed(alongside, five(longText));
    await timed(alongsideShort, five('!!'));
  }
  await bot.stop();
  console.log(
    JSON.stringify({
      stallsMs: stalls,
      worst: { message: worstName, stallMs: worstStall },
      askMs: {
        alone: summarize(alone),
        alongsideFive: summarize(alongside),
        alongside: longName,
        alongsideFiveShort: summarize(alongsideShort),
      },
    }),
  );
} else if (values.part === 'import') {
  const { ArticleImporter } = await dist<typeof import('../../src/importing/importer.js')>('importing/importer.js');
  const { DirectoryShelf } =
    await dist<typeof import('../../src/importing/importShelf.js')>('importing/importShelf.js');
  const { DEFAULT_FETCH_LIMITS } =
    await dist<typeof import('../../src/importing/safeFetch.js')>('importing/safeFetch.js');
  const { PAGE_LIMITS } = await dist<typeof import('../../src/content/fromHtml.js')>('content/fromHtml.js');
  const pageHtml = worstPage(PAGE_LIMITS.elements - 200 - PAGE_LIMITS.depth * 40, PAGE_LIMITS.depth * 40);
  const markdown = worstArticle();
  const web = await startWebServer({ '/worst': page(pageHtml), '/worst.md': page(markdown, 'text/markdown') });
  const work = await mkdtemp(path.join(tmpdir(), 'article-bot-hostile-'));
  try {
    const times = { page: [] as number[], upload: [] as number[] };
    for (let run = 0; run < Number(values.runs ?? 3); run++) {
      const importer = new ArticleImporter({
        shelf: new DirectoryShelf(path.join(work, `run-${run}`), null, captureLogger().logger),
        policy: { ...DEFAULT_FETCH_LIMITS, allowPrivate: true },
        logger: captureLogger().logger,
        served: () => [],
      });
      const actor = { id: 'bench', name: 'bench' };
      let started = performance.now();
      const fromPage = await importer.add({ kind: 'link', url: web.url('/worst') }, actor);
      times.page.push(performance.now() - started);
      started = performance.now();
      const fromFile = await importer.add(
        { kind: 'attachment', url: web.url('/worst.md'), name: 'worst.md', size: markdown.length },
        actor,
      );
      times.upload.push(performance.now() - started);
      if (run === 0) console.error(`page: ${fromPage.passages} passages; upload: ${fromFile.passages} passages`);
    }
    console.log(
      JSON.stringify({
        page: { bytes: Buffer.byteLength(pageHtml), importMs: summarize(times.page) },
        upload: { bytes: Buffer.byteLength(markdown), importMs: summarize(times.upload) },
      }),
    );
  } finally {
    await web.close();
    await rm(work, { recursive: true, force: true });
  }
} else if (values.part === 'build') {
  const { KnowledgeBase } = await dist<typeof import('../../src/serving/knowledgeBase.js')>('serving/knowledgeBase.js');
  const dir = await mkdtemp(path.join(tmpdir(), 'article-bot-hostile-build-'));
  try {
    await mkdir(path.join(dir, 'articles'));
    for (const article of syntheticArticles(1000))
      await writeFile(path.join(dir, 'articles', `${article.slug}.md`), articleMarkdown(article));
    if (values.worst === 'yes') await writeFile(path.join(dir, 'articles', 'worst.md'), worstArticle());
    let peak = 0;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const knowledge = KnowledgeBase.create(dir);
    const started = performance.now();
    const report = await knowledge.reload();
    const buildMs = performance.now() - started;
    clearInterval(sample);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (!report.applied) throw new Error(`not built: ${JSON.stringify(report.problems.slice(0, 3))}`);
    console.log(
      JSON.stringify({
        worst: values.worst === 'yes',
        articles: report.articles,
        passages: report.passages,
        buildMs: Math.round(buildMs),
        peakRssMB: Math.round(peak / 1e6),
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
} else {
  throw new Error('usage: hostile.ts --part messages|import|build [--worst yes|no]');
}
