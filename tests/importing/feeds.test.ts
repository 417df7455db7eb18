import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FeedSettings } from '../../src/config.js';
import { FeedFollower, type Announcer, type Story } from '../../src/importing/feeds.js';
import { FEED_SCHEDULE } from '../../src/importing/feedSchedule.js';
import { ArticleImporter } from '../../src/importing/importer.js';
import { DirectoryShelf } from '../../src/importing/importShelf.js';
import { DEFAULT_FETCH_LIMITS } from '../../src/importing/safeFetch.js';
import { KnowledgeBase } from '../../src/serving/knowledgeBase.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { testClock, type TestClock } from '../support/clock.js';
import { MODERATOR, SEED_DIR } from '../support/content.js';
import { startFeedSite, storyItem, type FeedSite } from '../support/feedSite.js';
import { captureLogger } from '../support/logger.js';
import { page } from '../support/webServer.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'article-bot-feeds-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SETTINGS: FeedSettings = { backfill: 1, itemsPerPoll: 20, retentionDays: 30, announceMax: 5, maxFeeds: 3 };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** An announcer that records what it was asked to post. */
function recordingAnnouncer(missing: string[] = []) {
  const stories: Story[] = [];
  const notices: string[] = [];
  let thread = 0;
  const announcer: Announcer = {
    channelName: (id) => Promise.resolve(`#news-${id.slice(-2)}`),
    missingPermissions: () => Promise.resolve(missing),
    announce: (_channel, story) => {
      stories.push(story);
      return Promise.resolve(`19000000000000000${10 + thread++}`);
    },
    notice: (_channel, text) => {
      notices.push(text);
      return Promise.resolve();
    },
  };
  return { announcer, stories, notices };
}

const sites: FeedSite[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await Promise.all(sites.splice(0).map((site) => site.close()));
});

/** A follower with a real store, importer and knowledge base in a fresh directory, on a clock the test moves. */
async function setup(
  options: { settings?: Partial<FeedSettings>; missing?: string[]; clock?: TestClock; allowPrivate?: boolean } = {},
) {
  const home = await mkdtemp(path.join(dir, 'run-'));
  const importsDir = path.join(home, 'articles');
  const store = SqliteStore.open(path.join(home, 'bot.sqlite'));
  const log = captureLogger();
  const knowledge = KnowledgeBase.create(SEED_DIR, { importsDir, cacheFile: null });
  await knowledge.reload();
  const policy = { ...DEFAULT_FETCH_LIMITS, timeoutMs: 3000, allowPrivate: options.allowPrivate ?? true };
  const importer = new ArticleImporter({
    shelf: new DirectoryShelf(importsDir, store, log.logger),
    policy,
    logger: log.logger,
    served: () => knowledge.engine.articles,
  });
  const clock = options.clock ?? testClock();
  const recorded = recordingAnnouncer(options.missing);
  const follower = new FeedFollower({
    store: store.feeds,
    importer,
    engine: () => knowledge.engine,
    reload: (changed) => knowledge.reload(changed),
    announcer: recorded.announcer,
    clock,
    machineId: 'machine-a',
    settings: { ...SETTINGS, ...options.settings },
    policy,
    logger: log.logger,
    random: () => 0,
  });
  closers.push(async () => {
    await follower.stop();
    knowledge.close();
    await store.close();
  });
  return { follower, knowledge, store, clock, log, importer, ...recorded };
}

async function site(items = [storyItem('wapo-1'), storyItem('nytimes-1')]): Promise<FeedSite> {
  const started = await startFeedSite(items);
  sites.push(started);
  return started;
}

const CHANNEL = '1300000000000000077';

describe('following a feed', () => {
  it('announces none of the items present when it is added, and imports the newest FEED_BACKFILL of them', async () => {
    const news = await site([
      storyItem('wapo-1', new Date('2026-12-01T10:00:00Z')),
      storyItem('nytimes-1', new Date('2026-11-30T10:00:00Z')),
    ]);
    const { follower, knowledge, stories, clock } = await setup();
    const added = await follower.add(
      { url: news.feedUrl, guildId: null, channelId: CHANNEL, keywords: '', everyMinutes: null },
      MODERATOR,
    );
    expect(added).toMatchObject({ items: 2, channel: '#news-77', newest: ['Story wapo-1', 'Story nytimes-1'] });
    expect(added.feed).toMatchObject({ title: 'Test News', url: news.feedUrl, everyMinutes: 15 });
    expect(added.feed.nextCheckAt).toBe(clock.now() + 15 * MINUTE);
    await added.backfilled;
    expect(stories).toEqual([]);
    // The newest of the two (FEED_BACKFILL = 1) answers at once; the older one is not imported.
    expect(knowledge.engine.articles.map((a) => [a.origin, a.title])).toEqual([
      ['data', expect.any(String)],
      ['imported', 'Attack stokes instability fears in North Africa'],
    ]);
    expect(knowledge.engine.search('who stormed the museum in Tunis?').hits[0]?.passage.article.title).toBe(
      'Attack stokes instability fears in North Africa',
    );
  });

  it('finds the feed a page of the site names, and refuses a channel it may not announce in, saying what is missing', async () => {
    const news = await site();
    const { follower } = await setup({ missing: ['Embed Links', 'Create Public Threads'] });
    await expect(
      follower.add(
        { url: news.homeUrl, guildId: null, channelId: CHANNEL, keywords: '', everyMinutes: null },
        MODERATOR,
      ),
    ).rejects.toThrow('The bot may not announce stories in #news-77: it lacks Embed Links, Create Public Threads.');
    const added = await follower.add(
      { url: news.homeUrl, guildId: null, channelId: null, keywords: '', everyMinutes: 30 },
      MODERATOR,
    );
    expect(added.feed.url).toBe(news.feedUrl);
    await added.backfilled;
  });

  it('announces a new item once, polls conditionally, and says when nothing is new', async () => {
    const news = await site([storyItem('wapo-1')]);
    const { follower, knowledge, stories } = await setup({ settings: { backfill: 0 } });
    await follower.add(
      { url: news.feedUrl, guildId: null, channelId: CHANNEL, keywords: '', everyMinutes: null },
      MODERATOR,
    );
    news.items.unshift(storyItem('cnet', new Date('2026-12-02T10:00:00Z')));
    const [report] = await follower.check('Test News');
    expect(report).toMatchObject({ outcome: 'new', skipped: [] });
    expect(report?.stories.map((s) => s.title)).toHaveLength(1);
    expect(stories).toHaveLength(1);
    expect(stories[0]).toMatchObject({ site: 'Test News', url: news.web.url('/stories/cnet') });
    expect(stories[0]?.summary.length).toBeGreaterThan(50);
    expect(knowledge.engine.articles.some((a) => a.slug === stories[0]?.slug)).toBe(true);
    const again = await follower.check(null);
    expect(again[0]).toMatchObject({ outcome: 'unchanged', stories: [] });
    expect(news.feedRequests().unchanged).toBe(1);
    expect(stories).toHaveLength(1);
  });

  it('answers a question asked in a story’s thread from that story', async () => {
    const news = await site([storyItem('quanta-1')]);
    const { follower, stories } = await setup({ settings: { backfill: 0 } });
    await follower.add(
      { url: news.feedUrl, guildId: null, channelId: CHANNEL, keywords: '', everyMinutes: null },
      MODERATOR,
    );
    news.items.unshift(storyItem('wapo-1'));
    await follower.check(null);
    const story = await follower.storyIn('1900000000000000010');
    expect(story?.slug).toBe(stories[0]?.slug);
    expect(await follower.storyIn('1900000000000000099')).toBeNull();
  });

  it('takes only items holding a keyword, as whole words', async () => {
    const news = await site([storyItem('wapo-1')]);
    const { follower, stories } = await setup({ settings: { backfill: 0 } });
    await follower.add(
      { url: news.feedUrl, guildId: null, channelId: CHANNEL, keywords: 'Museum, tunis', everyMinutes: null },
      MODERATOR,
    );
    news.items.unshift({ ...storyItem('cnet'), title: 'Museums of the world' });
    news.items.unshift({ ...storyItem('nytimes-1'), title: 'Gunmen attack a museum in Tunis' });
    const [report] = await follower.check(null);
    expect(report?.stories).toHaveLength(1);
    expect(stories).toHaveLength(1);
    const [view] = await follower.list();
    expect(view?.skipped).toEqual([]);
  });

  it('falls back on the item’s own text when its page yields no article, and skips it with the reason when that is short', async () => {
    const news = await site([storyItem('wapo-1')]);
    news.web.route(
      '/stories/script-only',
      page('<html><head><title>App</title></head><body><div id="app"></div></body></html>'),
    );
    const { follower, knowledge } = await setup({ settings: { backfill: 0 } });
    await follower.add(
      { url: news.feedUrl, guildId: null, channelId: null, keywords: '', everyMinutes: null },
      MODERATOR,
    );
    const long = Array.from(
      { length: 40 },
      (_, i) => `<p>The harbour council met for the ${i + 1}th time to discuss the new ferry timetable.</p>`,
    ).join('');
    news.items.unshift({
      guid: 'g-long',
      title: 'Ferry timetable changes',
      link: '/stories/script-only',
      content: long,
    });
    news.items.unshift({
      guid: 'g-short',
      title: 'A teaser only',
      link: '/stories/script-only',
      content: '<p>Read more inside.</p>',
    });
    const [report] = await follower.check(null);
    expect(report?.stories.map((s) => s.title)).toEqual(['Ferry timetable changes']);
    expect(report?.skipped).toEqual([
      {
        title: 'A teaser only',
        reason: expect.stringMatching(
          /no article found .*; the feed's own text has 3 words \(150 needed\)$/,
        ) as unknown,
      },
    ]);
    expect(knowledge.engine.search('how often did the harbour council meet?').hits[0]?.passage.article.title).toBe(
      'Ferry timetable changes',
    );
    const [view] = await follower.list();
    expect(view?.skipped).toEqual([{ id: 'g-short', reason: expect.stringContaining('no article found') as unknown }]);
  });
});

describe('polling on schedule', () => {
  it('polls a feed when it is due, on the clock the test moves', async () => {
    const news = await site([storyItem('wapo-1')]);
    const { follower, stories, clock } = await setup({ settings: { backfill: 0 } });
    await follower.add(
      { url: news.feedUrl, guildId: null, channelId: CHANNEL, keywords: '', everyMinutes: 5 },
      MODERATOR,
    );
    follower.start();
    news.items.unshift(storyItem('engadget'));
    await clock.advance(4 * MINUTE);
    await follower.idle();
    expect(stories).toHaveLength(0);
    await clock.advance(2 * MINUTE);
    await follower.idle();
    expect(stories).toHaveLength(1);
  });

  it('waits for Retry-After on a 429, backs off exponentially on failure, and disables the feed after a day of failures with one notice', async () => {
    const news = await site([storyItem('wapo-1')]);
    const { follower, clock, notices } = await setup({ settings: { backfill: 0 } });
    const { feed } = await follower.add(
      { url: news.feedUrl, guildId: null, channelId: CHANNEL, keywords: '', everyMinutes: 60 },
      MODERATOR,
    );
    news.fail((_request, response) => {
      response.writeHead(429, { 'retry-after': '7200' });
      response.end();
    });
    const [limited] = await follower.check(null);
    expect(limited).toMatchObject({ outcome: 'failed', error: expect.stringContaining('HTTP 429') as unknown });
    expect(limited?.feed.nextCheckAt).toBe(clock.now() + 2 * 60 * MINUTE);
    news.fail(page('oops', 'text/plain', 500));
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const [report] = await follower.check(feed.url);
      waits.push((report?.feed.nextCheckAt ?? 0) - clock.now());
      await clock.advance(3 * 60 * MINUTE);
    }
    // The second to tenth failures: 2, 4, 8, 16 hours, then 24 h at most.
    expect(waits.slice(0, 5).map((ms) => ms / (60 * MINUTE))).toEqual([2, 4, 8, 16, 24]);
    const [view] = await follower.list();
    expect(view?.state).toBe('disabled');
    expect(view?.feed.disabledReason).toMatch(
      /^10 failed checks since .*: 127\.0\.0\.1:\d+ answered HTTP 500 Internal Server Error$/,
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('Stopped checking the feed “Test News”');
    // /feed check re-enables it.
    news.heal();
    const [healed] = await follower.check(feed.url);
    expect(healed?.outcome).toBe('unchanged');
    expect((await follower.list())[0]?.state).toBe('ok');
  });

  it('honours the feed’s max-age within the interval and 24 hours', async () => {
    const news = await site([storyItem('wapo-1')]);
    news.web.route('/cached.xml', (request, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml', 'cache-control': 'public, max-age=7200' });
      response.end('<rss version="2.0"><channel><title>Cached</title><ttl>30</ttl></channel></rss>');
    });
    const { follower, clock } = await setup();
    const { feed } = await follower.add(
      { url: news.web.url('/cached.xml'), guildId: null, channelId: null, keywords: '', everyMinutes: 15 },
      MODERATOR,
    );
    expect(feed.nextCheckAt - clock.now()).toBe(2 * 60 * MINUTE);
  });

  it('removes a feed’s stories once they are past retention, and keeps them when the feed alone is removed', async () => {
    const news = await site([storyItem('wapo-1')]);
    const { follower, knowledge, clock } = await setup({ settings: { backfill: 1, retentionDays: 30 } });
    const added = await follower.add(
      { url: news.feedUrl, guildId: null, channelId: null, keywords: '', everyMinutes: 60 },
      MODERATOR,
    );
    await added.backfilled;
    expect(knowledge.engine.articles).toHaveLength(2);
    await follower.remove('test news', false, MODERATOR);
    expect(await follower.list()).toEqual([]);
    expect(knowledge.engine.articles).toHaveLength(2);
    follower.start();
    await clock.advance(FEED_SCHEDULE.tickMs);
    await follower.idle();
    expect(knowledge.engine.articles).toHaveLength(2);
    await clock.advance(31 * DAY);
    await follower.idle();
    expect(knowledge.engine.articles.map((a) => a.origin)).toEqual(['data']);
  });
});

describe('what a feed must not do', () => {
  it('never expires a moderator’s own import of the same story, and stores an item whose guid is huge', async () => {
    const news = await site([storyItem('quanta-1')]);
    const { follower, knowledge, clock, importer } = await setup({ settings: { backfill: 0 } });
    await importer.add({ kind: 'link', url: news.web.url('/stories/wapo-1') }, MODERATOR);
    await knowledge.reload();
    await follower.add(
      { url: news.feedUrl, guildId: null, channelId: null, keywords: '', everyMinutes: 60 },
      MODERATOR,
    );
    news.items.unshift(storyItem('wapo-1'), { ...storyItem('cnet'), guid: 'g'.repeat(5000) });
    const [report] = await follower.check(null);
    expect(report?.outcome).toBe('new');
    expect(report?.stories).toHaveLength(2);
    // The huge guid is kept as its hash: seen, so not taken again.
    expect((await follower.check(null))[0]?.outcome).toBe('unchanged');
    follower.start();
    await clock.advance(31 * DAY);
    await follower.idle();
    const titles = knowledge.engine.articles.map((a) => a.title);
    expect(titles).toContain('Attack stokes instability fears in North Africa');
    expect(titles).toHaveLength(2);
  });
});

describe('what a feed cannot do', () => {
  it('refuses entity expansion, oversized and slow feeds, and a page naming no feed, each with one line saying why', async () => {
    const news = await site();
    const laughs = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel><title>&b;</title></channel></rss>`;
    const external = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&x;</title></channel></rss>`;
    news.web.route('/laughs.xml', page(laughs, 'application/rss+xml'));
    news.web.route('/external.xml', page(external, 'application/rss+xml'));
    news.web.route('/huge.xml', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = `<item><title>${'x'.repeat(1000)}</title></item>`;
      const write = (left: number): void => {
        if (left <= 0) return void response.end('</channel></rss>');
        if (response.write(chunk.repeat(100))) setImmediate(() => write(left - 1));
        else response.once('drain', () => write(left - 1));
      };
      response.write('<rss version="2.0"><channel><title>Huge</title>');
      write(200);
    });
    news.web.route('/slow.xml', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml' });
      response.write('<rss version="2.0">');
    });
    news.web.route('/nofeed', page('<html><head><title>Nothing</title></head><body>No feed here</body></html>'));
    news.web.route(
      '/broken.xml',
      page('<rss version="2.0"><channel><title>Cut</title><item><title>half', 'application/rss+xml'),
    );
    const { follower } = await setup();
    const add = (url: string) =>
      follower.add({ url, guildId: null, channelId: null, keywords: '', everyMinutes: null }, MODERATOR).then(
        () => 'added',
        (error: Error) => error.message,
      );
    expect(await add(news.web.url('/laughs.xml'))).toMatch(/entit/);
    expect(await add(news.web.url('/external.xml'))).toMatch(/entit/);
    expect(await add(news.web.url('/huge.xml'))).toMatch(/larger than 5 MB/);
    expect(await add(news.web.url('/slow.xml'))).toMatch(/longer than 3 s/);
    // The site's own feed is at a usual path: gone, the page names none to find.
    news.fail(page('not here', 'text/plain', 404));
    expect(await add(news.web.url('/nofeed'))).toMatch(
      /^No feed can be followed at .*: no feed found at .*\/nofeed: the page names none, and none of \/feed, \/rss, .* is one\.$/,
    );
    const broken = await add(news.web.url('/broken.xml'));
    expect(broken).toMatch(/^No feed can be followed at /);
    expect(broken.split('\n')).toHaveLength(1);
    expect(await follower.list()).toEqual([]);
  });

  it('reads feeds through the safe fetcher: a feed on the bot’s own network is refused, saying why', async () => {
    const news = await site();
    const { follower: guarded } = await setup({ allowPrivate: false });
    for (const url of [news.feedUrl, 'http://[::ffff:127.0.0.1]:9/feed.xml', 'http://169.254.169.254/latest/'])
      await expect(
        guarded.add({ url, guildId: null, channelId: null, keywords: '', everyMinutes: null }, MODERATOR),
      ).rejects.toThrow(/^No feed can be followed at .*: .*links to the bot's own network are refused\.$/);
    expect(await guarded.list()).toEqual([]);
  });

  it('follows at most FEED_MAX feeds, and each feed once', async () => {
    const news = await site();
    const { follower } = await setup({ settings: { maxFeeds: 1, backfill: 0 } });
    await follower.add(
      { url: news.feedUrl, guildId: null, channelId: null, keywords: '', everyMinutes: null },
      MODERATOR,
    );
    await expect(
      follower.add({ url: news.feedUrl, guildId: null, channelId: null, keywords: '', everyMinutes: null }, MODERATOR),
    ).rejects.toThrow('The bot follows 1 feeds already (FEED_MAX): remove one first.');
  });
});
