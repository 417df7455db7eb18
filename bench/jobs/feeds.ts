import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ROOT } from '../../tests/support/content.js';
import { testClock } from '../../tests/support/clock.js';
import { captureLogger } from '../../tests/support/logger.js';
import { rssOf, type SiteItem } from '../../tests/support/feedSite.js';
import { page, startWebServer } from '../../tests/support/webServer.js';
import { syntheticArticles } from '../corpus.js';

/**
 * One poll cycle of many feeds on top of a large index (issue 25), with the compiled modules as
 * `npm start` runs them: `--feeds` feeds (50) on a local web server, each with `--items` new items
 * (20) whose links are story pages the server also serves, over the content directory `--data`
 * (10,000 articles) served from the segments in `--state` (built first when missing). The feeds
 * are added (nothing imported: FEED_BACKFILL 0), the new items published, and the clock moved past
 * their next check: the time until every new story answers, the longest event-loop stall
 * (`monitorEventLoopDelay`, 1 ms resolution), and the peak RSS of the process and its workers.
 */
const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    state: { type: 'string' },
    feeds: { type: 'string' },
    items: { type: 'string' },
  },
});
const dist = async <T>(module: string): Promise<T> => (await import(path.join(ROOT, 'dist', module))) as T;
const { KnowledgeBase } = await dist<typeof import('../../src/serving/knowledgeBase.js')>('serving/knowledgeBase.js');
const { FeedFollower } = await dist<typeof import('../../src/importing/feeds.js')>('importing/feeds.js');
const { ArticleImporter } = await dist<typeof import('../../src/importing/importer.js')>('importing/importer.js');
const { DirectoryShelf } = await dist<typeof import('../../src/importing/importShelf.js')>('importing/importShelf.js');
const { SqliteStore } = await dist<typeof import('../../src/store/sqlite.js')>('store/sqlite.js');
const { DEFAULT_FETCH_LIMITS } =
  await dist<typeof import('../../src/importing/safeFetch.js')>('importing/safeFetch.js');

const FEEDS = Number(values.feeds ?? 50);
const ITEMS = Number(values.items ?? 20);
const stateDir = values.state ?? '';
const cacheFile = path.join(stateDir, 'index.snapshot');
const importsDir = path.join(stateDir, 'articles');
const mb = (bytes: number): number => Math.round(bytes / 1e6);

/** A story page: a generated article as a news site would serve it, its words its own. */
function storyPage(article: ReturnType<typeof syntheticArticles>[number]): string {
  const paragraphs = [...article.lead, ...article.sections.flatMap((section) => section.paragraphs)];
  return `<!doctype html><html><head><title>${article.title}</title><meta property="article:published_time" content="2026-12-07T08:00:00Z"></head><body><article><h1>${article.title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;
}

const web = await startWebServer();
const stories = syntheticArticles(FEEDS * ITEMS, 25_0001);
const published = new Map<number, SiteItem[]>();
for (let f = 0; f < FEEDS; f++) {
  const items: SiteItem[] = [{ guid: `f${f}-old`, title: `An older story of feed ${f}`, link: '/old' }];
  published.set(f, items);
  web.route(`/feed-${f}.xml`, (request, response) =>
    page(rssOf(web.origin, published.get(f) ?? [], `Feed ${f}`), 'application/rss+xml')(request, response),
  );
}
stories.forEach((story, i) => web.route(`/story-${i}`, page(storyPage(story))));

await mkdir(stateDir, { recursive: true });
const knowledge = KnowledgeBase.create(values.data ?? '', { cacheFile, importsDir });
const loaded = await knowledge.reload();
const log = captureLogger();
await rm(path.join(stateDir, 'feeds-bench.sqlite'), { force: true });
const store = SqliteStore.open(path.join(stateDir, 'feeds-bench.sqlite'));
const policy = { ...DEFAULT_FETCH_LIMITS, allowPrivate: true };
const importer = new ArticleImporter({
  shelf: new DirectoryShelf(importsDir, store, log.logger),
  policy,
  logger: log.logger,
  served: () => knowledge.engine.articles,
});
const clock = testClock(Date.now());
const follower = new FeedFollower({
  store: store.feeds,
  importer,
  engine: () => knowledge.engine,
  reload: (changed) => knowledge.reload(changed),
  announcer: null,
  clock,
  machineId: 'bench',
  settings: { backfill: 0, itemsPerPoll: ITEMS, retentionDays: 30, announceMax: 5, maxFeeds: FEEDS },
  policy,
  logger: log.logger,
});
for (let f = 0; f < FEEDS; f++)
  await follower.add(
    { url: web.url(`/feed-${f}.xml`), guildId: null, channelId: null, keywords: '', everyMinutes: 15 },
    {
      id: 'bench',
      name: 'bench',
    },
  );
for (let f = 0; f < FEEDS; f++)
  published.get(f)?.unshift(
    ...Array.from({ length: ITEMS }, (_, j) => {
      const i = f * ITEMS + j;
      return { guid: `f${f}-s${j}`, title: stories[i]?.title ?? '', link: `/story-${i}` };
    }),
  );

// Peak RSS of the process and its workers (their heaps live in it), sampled every 5 ms.
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const delay = monitorEventLoopDelay({ resolution: 1 });
const before = knowledge.engine.articles.length;
delay.enable();
const started = performance.now();
follower.start();
await clock.advance(16 * 60_000);
while (knowledge.engine.articles.length < before + FEEDS * ITEMS) {
  await new Promise((resolve) => setTimeout(resolve, 50));
  if (performance.now() - started > 30 * 60_000) break;
}
const allAnswerMs = performance.now() - started;
delay.disable();
clearInterval(sampler);
await follower.stop();
const titles = new Set(knowledge.engine.articles.map((article) => article.title));
console.log(
  JSON.stringify({
    articles: loaded.applied ? loaded.articles : 0,
    feeds: FEEDS,
    newStories: knowledge.engine.articles.length - before,
    allAnswerMs: Math.round(allAnswerMs),
    allServed: stories.every((story) => titles.has(story.title)),
    stallMs: Math.round((delay.max / 1e6) * 10) / 10,
    peakRssMB: mb(Math.max(peak, process.memoryUsage().rss)),
  }),
);
await knowledge.saved();
knowledge.close();
await store.close();
await web.close();
