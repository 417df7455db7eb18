import type { Clock, Timer } from '../clock.js';
import type { FeedSettings } from '../config.js';
import type { FeedItem } from '../content/feed.js';
import { matchesKeywords } from '../content/feed.js';
import { hostOf, type ArticleInfo } from '../content/article.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ChangedImports } from '../serving/knowledgeBase.js';
import type { Engine } from '../search/engine.js';
import { neverPolled, type FeedRecord, type FeedState, type FeedStore, type SeenItem } from '../store/feeds.js';
import type { Actor } from '../store/store.js';
import { readFeed, type FeedReadResult } from './feedReader.js';
import { FEED_SCHEDULE, jitterOf, nextCheckAfterFailure, nextCheckAfterSuccess, retryAfterMs } from './feedSchedule.js';
import { ImportFault, ImportRefused, type ArticleImporter } from './importer.js';
import type { FetchPolicy } from './safeFetch.js';

/** A new story, as announced: its title and link, its site, its date, and a short summary. */
export interface Story {
  slug: string;
  title: string;
  url: string | null;
  site: string;
  published: string | null;
  summary: string;
}

/**
 * Where stories are announced (Discord's channels): checked when a feed is added, posted to after
 * each poll. Without one (the terminal), stories are imported silently.
 */
export interface Announcer {
  /** The channel's name as people know it (`#news`). @throws {UserError} when there is no such channel the bot can post in. */
  channelName(channelId: string): Promise<string>;
  /** What the bot may not do in the channel, of what announcing needs; empty when it may do it all. */
  missingPermissions(channelId: string): Promise<string[]>;
  /** Posts the story: an embed with a thread for questions about it (a post, in a forum); gives the thread's id. */
  announce(channelId: string, story: Story): Promise<string>;
  /** Posts a notice about the feed (it was disabled). */
  notice(channelId: string, text: string): Promise<void>;
}

/** What a moderator asks to follow. */
export interface FeedRequest {
  url: string;
  guildId: string | null;
  channelId: string | null;
  /** Plain words, separated by commas. */
  keywords: string;
  everyMinutes: number | null;
}

/** A feed just added, for the reply. */
export interface AddedFeed {
  feed: FeedRecord;
  items: number;
  newest: string[];
  channel: string | null;
  /** Resolves once the newest items are imported. */
  backfilled: Promise<void>;
}

/** What one poll found: the stories taken, the items skipped, or why it failed. */
export interface PollReport {
  feed: FeedRecord;
  /** `unchanged`: 304 (or nothing new); `failed`: see `error`. */
  outcome: 'new' | 'unchanged' | 'failed' | 'busy';
  stories: Array<{ slug: string; title: string }>;
  skipped: Array<{ title: string; reason: string }>;
  error: string | null;
}

/** A feed as `/feed list` shows it. */
export interface FeedView {
  feed: FeedRecord;
  stories: number;
  state: 'ok' | 'backing off' | 'disabled';
  skipped: Array<{ id: string; reason: string }>;
  /** The channel its stories are announced in, by name (`#news`); `null` when imported silently. */
  channel: string | null;
}

/** Channels whose answer to "is it a story's thread?" is kept in memory, so a question costs no database query: about 1 MB. */
const THREADS_KNOWN = 10_000;

/** Plain keywords: at most 20, of at most 60 characters each. */
const KEYWORDS = { count: 20, length: 60 };

/**
 * Follows the feeds moderators choose: polls each when it is due (conditionally, backing off on
 * failure), imports its new items as articles, announces them, and removes stories past
 * retention. With several machines on one database, each feed is polled by the one holding its
 * lease.
 *
 * @example
 * const follower = new FeedFollower({ store: store.feeds, importer, engine, reload, announcer, clock, machineId, settings, policy, logger });
 * follower.start();
 * await follower.add({ url, guildId, channelId, keywords: '', everyMinutes: null }, actor);
 */
export class FeedFollower {
  private timer: Timer | null = null;
  private running = new Set<Promise<unknown>>();
  /** Polls under way that the schedule started. */
  private active = 0;
  private lastRetention = Number.NEGATIVE_INFINITY;
  private known: readonly string[] = [];
  /** Channels asked in, by id: the story whose thread each is, or `null` (see {@link storyIn}). */
  private readonly threads = new Map<string, string | null>();
  private stopped = false;

  constructor(
    private readonly deps: {
      store: FeedStore;
      importer: ArticleImporter;
      /** The engine serving now, for announcements and threads; none where nothing is announced (`npm run feeds`). */
      engine?: () => Engine;
      /** Serves imported changes everywhere (every shard and machine). */
      reload: (changed: ChangedImports) => Promise<unknown>;
      announcer: Announcer | null;
      clock: Clock;
      machineId: string;
      settings: FeedSettings;
      policy: FetchPolicy;
      logger: Logger;
      /** A number in [0, 1) for jitter; `Math.random` by default. */
      random?: () => number;
    },
  ) {}

  /** Starts polling due feeds and removing expired stories, every {@link FEED_SCHEDULE.tickMs}. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling; resolves once the polls under way are done. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    await this.idle();
  }

  /** Resolves once every poll, backfill and removal under way is done. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /**
   * Follows a feed: finds it (from any page of the site), checks the channel, and imports its
   * newest FEED_BACKFILL items without announcing any of those present now.
   *
   * @throws {UserError} saying why it is not followed.
   */
  async add(request: FeedRequest, actor: Actor): Promise<AddedFeed> {
    const { store, settings, announcer, clock } = this.deps;
    const everyMinutes = checkedInterval(request.everyMinutes);
    const keywords = parseKeywords(request.keywords);
    if ((await this.feeds()).length >= settings.maxFeeds)
      throw new UserError(`The bot follows ${settings.maxFeeds} feeds already (FEED_MAX): remove one first.`);
    let channel: string | null = null;
    if (request.channelId !== null) {
      if (!announcer) throw new UserError('Stories can only be announced in Discord: leave the channel out here.');
      channel = await announcer.channelName(request.channelId);
      const missing = await announcer.missingPermissions(request.channelId);
      if (missing.length > 0)
        throw new UserError(`The bot may not announce stories in ${channel}: it lacks ${missing.join(', ')}.`);
    }
    const read = await readFeed({ ...this.request(request.url, true), etag: null, lastModified: null });
    if (read.type === 'failed') throw new Error(`the feed worker failed: ${read.error}`);
    if (read.type !== 'feed') throw new UserError(`No feed can be followed at ${request.url}: ${reasonOf(read)}.`);
    const now = clock.now();
    const items = read.feed.items;
    const ordered = oldestFirst(items);
    const backfill = ordered.slice(Math.max(0, ordered.length - settings.backfill)).filter((item) => item.link);
    const state: FeedState = {
      ...neverPolled(now),
      etag: read.etag,
      lastModified: read.lastModified,
      lastCheckAt: now,
      nextCheckAt: nextCheckAfterSuccess(
        now,
        everyMinutes,
        { ttlMinutes: read.feed.ttlMinutes, maxAgeSeconds: read.maxAgeSeconds },
        this.jitter(everyMinutes),
      ),
    };
    const feed = await store.add(
      {
        url: read.url,
        title: read.feed.title || hostOf(read.url),
        siteUrl: read.feed.siteUrl,
        guildId: request.guildId,
        channelId: request.channelId,
        keywords,
        everyMinutes,
        addedBy: actor,
      },
      state,
      // Every item present now is seen, and none will be announced: no flood on day one.
      items.map((item) => ({ id: item.id, slug: null, skipped: null, announce: false })),
      now,
    );
    if (feed === null) throw new UserError(`The bot follows ${read.url} already.`);
    this.deps.logger.info('feed.added', { feed: feed.id, url: feed.url, user: actor.name, userId: actor.id });
    const backfilled = this.track(
      this.take(
        feed,
        backfill.filter((item) => matchesKeywords(item, keywords)),
        false,
      ),
    );
    return {
      feed,
      items: items.length,
      newest: [...ordered]
        .reverse()
        .slice(0, 3)
        .map((item) => item.title || item.link || item.id),
      channel,
      // Nobody need wait for it: a failure is logged, never an unhandled rejection.
      backfilled: backfilled.then(
        () => undefined,
        (error: unknown) => this.deps.logger.error('feed.backfill_failed', { feed: feed.id, error }),
      ),
    };
  }

  /** The titles of the feeds, as last read: what `/feed remove` and `/feed check` suggest. */
  titles(): readonly string[] {
    return this.known;
  }

  /**
   * The story whose thread `channelId` is, if it is one and the story is served: questions asked
   * there are about it first.
   */
  async storyIn(channelId: string | null | undefined): Promise<ArticleInfo | null> {
    if (!channelId) return null;
    let slug = this.threads.get(channelId);
    if (slug === undefined) {
      // Asked once per channel: a channel is a story's thread from its creation on, or never.
      slug = await this.deps.store.threadStory(channelId).catch(() => null);
      this.remember(channelId, slug);
    }
    return slug === null ? null : (this.deps.engine?.().article(slug) ?? null);
  }

  /** Keeps what a channel is (a story's thread, or not), the oldest forgotten past {@link THREADS_KNOWN}. */
  private remember(channelId: string, slug: string | null): void {
    this.threads.set(channelId, slug);
    if (this.threads.size > THREADS_KNOWN) this.threads.delete(this.threads.keys().next().value ?? '');
  }

  /** Every feed with its state, its stories served and its latest skipped items. */
  async list(): Promise<FeedView[]> {
    const { store, clock } = this.deps;
    const [feeds, counts] = await Promise.all([this.feeds(), store.articleCounts()]);
    return Promise.all(
      feeds.map(async (feed) => ({
        feed,
        stories: counts.get(feed.id) ?? 0,
        state:
          feed.disabledAt !== null
            ? ('disabled' as const)
            : feed.failures > 0 && feed.nextCheckAt > clock.now()
              ? ('backing off' as const)
              : ('ok' as const),
        skipped: await store.skipped(feed.id, 3),
        channel: await this.channelOf(feed),
      })),
    );
  }

  /**
   * Stops following a feed named by its URL, its title or a part of its title; its stories stay
   * until they expire, unless `deleteArticles`.
   *
   * @throws {UserError} when no feed, or several, match.
   */
  async remove(name: string, deleteArticles: boolean, actor: Actor): Promise<{ feed: FeedRecord; deleted: number }> {
    const feed = await this.find(name);
    const { store, importer, logger } = this.deps;
    let deleted = 0;
    if (deleteArticles) {
      const slugs = await store.articlesOf(feed.id);
      const names = (await importer.removeSlugs(slugs, actor)).map((removed) => removed.name);
      await store.forgetArticles(slugs);
      deleted = names.length;
      if (names.length > 0) await this.deps.reload({ imported: names });
    }
    await store.remove(feed.id);
    logger.info('feed.removed', { feed: feed.id, url: feed.url, deleted, user: actor.name, userId: actor.id });
    return { feed, deleted };
  }

  /**
   * Polls now the feed `name` names, or every feed without one, re-enabling a disabled one.
   *
   * @throws {UserError} when `name` matches no feed, or several.
   */
  async check(name: string | null): Promise<PollReport[]> {
    const { store, clock, machineId } = this.deps;
    const feeds = name === null || name.trim() === '' ? await this.feeds() : [await this.find(name)];
    const reports: PollReport[] = [];
    for (const feed of feeds) {
      const claimed = await store.claim(feed.id, machineId, clock.now(), FEED_SCHEDULE.leaseMs);
      if (!claimed) {
        reports.push({ feed, outcome: 'busy', stories: [], skipped: [], error: null });
        continue;
      }
      const enabled = { ...claimed, disabledAt: null, disabledReason: null };
      reports.push(await this.track(this.poll(enabled)));
    }
    return reports;
  }

  /** The feed `name` names: its URL, its title, or a part of its title that names no other. */
  private async find(name: string): Promise<FeedRecord> {
    const wanted = name.trim().toLowerCase();
    if (wanted === '') throw new UserError('Name the feed: its title or its address.');
    const feeds = await this.feeds();
    const exact = feeds.find((f) => f.url.toLowerCase() === wanted || f.title.toLowerCase() === wanted);
    if (exact) return exact;
    const partial = feeds.filter((f) => f.title.toLowerCase().includes(wanted) || f.url.toLowerCase().includes(wanted));
    const [only] = partial;
    if (only && partial.length === 1) return only;
    const titles = (list: readonly FeedRecord[]): string => list.map((f) => `“${f.title}”`).join(', ');
    if (partial.length > 1) throw new UserError(`"${name.slice(0, 100)}" names several feeds: ${titles(partial)}.`);
    throw new UserError(
      feeds.length === 0
        ? 'The bot follows no feed.'
        : `No feed matches "${name.slice(0, 100)}". The feeds are: ${titles(feeds)}.`,
    );
  }

  /** The name of the channel a feed announces in, or what stands for it when it is gone. */
  private async channelOf(feed: FeedRecord): Promise<string | null> {
    if (feed.channelId === null) return null;
    const named = await this.deps.announcer?.channelName(feed.channelId).catch(() => null);
    return named ?? `a channel the bot cannot reach now (${feed.channelId})`;
  }

  /** Every feed, its titles kept for suggestions. */
  private async feeds(): Promise<FeedRecord[]> {
    const feeds = await this.deps.store.list();
    this.known = feeds.map((feed) => feed.title);
    return feeds;
  }

  /** Looks for due feeds after `ms`, and again every tick. */
  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.after(ms, () => {
      // tick() catches and logs its own failures.
      void this.track(this.tick()).finally(() => this.schedule(FEED_SCHEDULE.tickMs));
    });
  }

  /**
   * One tick: removes expired stories (once an hour), and takes due feeds while this process polls
   * fewer than {@link FEED_SCHEDULE.pollsAtOnce}; each poll that ends takes the next due feed, so a
   * cycle of many due feeds runs back to back rather than a few per tick.
   */
  private async tick(): Promise<void> {
    const { store, clock, machineId, logger } = this.deps;
    try {
      if (clock.now() - this.lastRetention >= FEED_SCHEDULE.retentionCheckMs) {
        this.lastRetention = clock.now();
        await this.expire();
      }
      while (!this.stopped && this.active < FEED_SCHEDULE.pollsAtOnce) {
        // Counted before the claim, so two ticks at once never claim more than the slots.
        this.active++;
        const feed = await store.claimDue(machineId, clock.now(), FEED_SCHEDULE.leaseMs).catch((error: unknown) => {
          this.active--;
          throw error;
        });
        if (!feed) {
          this.active--;
          break;
        }
        void this.track(this.poll(feed))
          .catch((error: unknown) => logger.error('feed.poll_failed', { feed: feed.id, error }))
          .finally(() => {
            this.active--;
            if (!this.stopped) void this.track(this.tick());
          });
      }
    } catch (error) {
      logger.warn('feed.tick_failed', { error: String(error) });
    }
  }

  /** Removes the stories taken from feeds more than FEED_RETENTION_DAYS ago. */
  private async expire(): Promise<void> {
    const { store, importer, clock, settings, logger } = this.deps;
    const slugs = await store.expired(clock.now() - settings.retentionDays * 86_400_000);
    if (slugs.length === 0) return;
    const system = { id: 'feeds', name: 'feed retention' };
    const names = (await importer.removeSlugs(slugs, system)).map((removed) => removed.name);
    await store.forgetArticles(slugs);
    if (names.length > 0) await this.deps.reload({ imported: names });
    logger.info('feed.expired', { stories: names.length, retentionDays: settings.retentionDays });
  }

  /** Polls a feed whose lease this machine holds, and saves what it learnt (giving the lease back). */
  private async poll(feed: FeedRecord): Promise<PollReport> {
    const { logger } = this.deps;
    try {
      return await this.pollOnce(feed);
    } catch (error) {
      // A fault of the bot (the database, a bug): counted as a failed check, so the lease is given
      // back and the feed backs off instead of being taken again at once.
      logger.error('feed.poll_failed', { feed: feed.id, error });
      return this.failed(feed, 'the check failed (a fault of the bot, logged)', null);
    }
  }

  private async pollOnce(feed: FeedRecord): Promise<PollReport> {
    const { clock, logger } = this.deps;
    const read = await readFeed({ ...this.request(feed.url, false), etag: feed.etag, lastModified: feed.lastModified });
    const now = clock.now();
    if (read.type === 'feed' || read.type === 'unchanged') {
      const { report, more } =
        read.type === 'feed'
          ? await this.takeNew(feed, read)
          : { report: { feed, outcome: 'unchanged' as const, stories: [], skipped: [], error: null }, more: false };
      const newest = report.stories.at(-1);
      const state: FeedState = {
        ...stateOf(feed),
        // With items left for the next poll, the validators are not kept: a 304 would hide them.
        etag: more ? null : (read.etag ?? feed.etag),
        lastModified: more ? null : (read.lastModified ?? feed.lastModified),
        lastCheckAt: now,
        nextCheckAt: nextCheckAfterSuccess(
          now,
          feed.everyMinutes,
          more
            ? { ttlMinutes: null, maxAgeSeconds: null }
            : { ttlMinutes: read.type === 'feed' ? read.feed.ttlMinutes : null, maxAgeSeconds: read.maxAgeSeconds },
          this.jitter(feed.everyMinutes),
        ),
        failures: 0,
        failingSince: null,
        lastError: null,
        disabledAt: null,
        disabledReason: null,
        ...(newest ? { newestTitle: newest.title, newestAt: now } : {}),
        unannounced: feed.unannounced + Math.max(0, report.stories.length - this.announcedCount(feed, report)),
      };
      await this.finish(feed, state);
      await this.announcePending(feed);
      logger.info('feed.polled', { feed: feed.id, outcome: report.outcome, stories: report.stories.length });
      return { ...report, feed: { ...feed, ...state } };
    }
    if (read.type === 'failed') logger.error('feed.worker_failed', { feed: feed.id, error: read.error });
    const retry =
      read.type === 'refused' && (read.status === 429 || read.status === 503)
        ? retryAfterMs(read.retryAfter, now)
        : null;
    return this.failed(feed, read.type === 'failed' ? 'the feed could not be read (see the log)' : read.reason, retry);
  }

  /** Records a failed check of `feed` (`retry`: what Retry-After asked), disabling it after failing too long. */
  private async failed(feed: FeedRecord, error: string, retry: number | null): Promise<PollReport> {
    const { clock, logger } = this.deps;
    const now = clock.now();
    const failures = feed.failures + 1;
    const failingSince = feed.failingSince ?? now;
    const disable =
      failures >= FEED_SCHEDULE.disableAfterFailures && now - failingSince >= FEED_SCHEDULE.disableAfterMs;
    const state: FeedState = {
      ...stateOf(feed),
      lastCheckAt: now,
      nextCheckAt: nextCheckAfterFailure(now, feed.everyMinutes, failures, retry),
      failures,
      failingSince,
      lastError: error,
      disabledAt: disable ? now : null,
      disabledReason: disable
        ? `${failures} failed checks since ${new Date(failingSince).toISOString()}: ${error}`
        : null,
    };
    await this.finish(feed, state).catch((cause: unknown) =>
      logger.error('feed.state_not_saved', { feed: feed.id, error: cause }),
    );
    logger.warn('feed.failed', { feed: feed.id, failures, error, disabled: disable });
    if (disable) await this.noticeDisabled({ ...feed, ...state });
    return { feed: { ...feed, ...state }, outcome: 'failed', stories: [], skipped: [], error };
  }

  /** Saves a poll's state and gives the lease back; a lease lost meanwhile is logged (another machine took the feed). */
  private async finish(feed: FeedRecord, state: FeedState): Promise<void> {
    const { store, machineId, logger } = this.deps;
    if (!(await store.finishPoll(feed.id, machineId, state)))
      logger.warn('feed.lease_lost', { feed: feed.id, machine: machineId });
  }

  /** How many of a poll's stories are announced: those of a feed with a channel, up to FEED_ANNOUNCE_MAX. */
  private announcedCount(feed: FeedRecord, report: PollReport): number {
    return feed.channelId === null || !this.deps.announcer
      ? report.stories.length
      : Math.min(report.stories.length, this.deps.settings.announceMax);
  }

  /** Takes the new items of a feed just read: at most FEED_ITEMS_PER_POLL, oldest first; `more` when some are left for the next poll. */
  private async takeNew(
    feed: FeedRecord,
    read: Extract<FeedReadResult, { type: 'feed' }>,
  ): Promise<{ report: PollReport; more: boolean }> {
    const { store, settings } = this.deps;
    const items = oldestFirst(read.feed.items);
    const seen = await store.seen(
      feed.id,
      items.map((item) => item.id),
    );
    const unseen = items.filter((item) => !seen.has(item.id));
    const fresh = unseen.slice(0, settings.itemsPerPoll);
    if (fresh.length === 0)
      return { report: { feed, outcome: 'unchanged', stories: [], skipped: [], error: null }, more: false };
    return { report: await this.take(feed, fresh, feed.channelId !== null), more: unseen.length > fresh.length };
  }

  /**
   * Imports `items` as articles (each through the importer, as `/article add` does), records them
   * seen, and serves them: the first FEED_ANNOUNCE_MAX of them to be announced when `announce`.
   */
  private async take(feed: FeedRecord, items: readonly FeedItem[], announce: boolean): Promise<PollReport> {
    const { store, importer, clock, settings, logger } = this.deps;
    const actor: Actor = { id: `feed:${feed.id}`, name: `feed “${feed.title}”` };
    const seen: SeenItem[] = [];
    const stories: PollReport['stories'] = [];
    const skipped: PollReport['skipped'] = [];
    const names: string[] = [];
    const taken: Array<{ item: FeedItem; link: string }> = [];
    for (const item of items) {
      if (!matchesKeywords(item, feed.keywords))
        // Seen and passed over: not a skipped story, which /feed list would show.
        seen.push({ id: item.id, slug: null, skipped: null, announce: false });
      else if (item.link === null) {
        seen.push({ id: item.id, slug: null, skipped: 'the item has no link', announce: false });
        skipped.push({ title: titleOf(item), reason: 'the item has no link' });
      } else taken.push({ item, link: item.link });
    }
    const sources = taken.map(({ item, link }) => ({
      kind: 'feed-item' as const,
      url: link,
      content: item.content === null ? null : { title: item.title, html: item.content, published: item.published },
    }));
    const results = await importer.addAll(sources, actor);
    // A story a moderator imported is updated from the feed but stays theirs: it never expires.
    const feedStories = await store.articleFeeds();
    taken.forEach(({ item }, i) => {
      const result = results[i] ?? new ImportFault('the import gave no result');
      if (result instanceof ImportFault) {
        // A fault of the bot, not of the story: not marked seen, so the next poll tries it again.
        logger.error('feed.import_failed', { feed: feed.id, link: item.link, error: result.message });
        skipped.push({ title: titleOf(item), reason: 'not imported this time (a fault of the bot, logged)' });
        return;
      }
      if (result instanceof ImportRefused) {
        seen.push({ id: item.id, slug: null, skipped: result.message, announce: false });
        skipped.push({ title: titleOf(item), reason: result.message });
        return;
      }
      names.push(result.name);
      stories.push({ slug: result.slug, title: result.article.title });
      if (result.status === 'updated' && !feedStories.has(result.slug)) {
        seen.push({ id: item.id, slug: null, skipped: null, announce: false });
        return;
      }
      seen.push({
        id: item.id,
        slug: result.slug,
        skipped: null,
        announce: announce && stories.length <= settings.announceMax,
      });
    });
    await store.markSeen(feed.id, seen, clock.now());
    if (names.length > 0) await this.deps.reload({ imported: names });
    logger.info('feed.taken', { feed: feed.id, stories: stories.length, skipped: skipped.length });
    return { feed, outcome: stories.length > 0 ? 'new' : 'unchanged', stories, skipped, error: null };
  }

  /**
   * Announces the feed's stories still waiting, each marked announced once it is posted: only the
   * machine holding the feed's lease announces, and a post that fails is tried again after the
   * next poll rather than lost.
   */
  private async announcePending(feed: FeedRecord): Promise<void> {
    const { store, announcer, logger } = this.deps;
    if (!announcer || feed.channelId === null) return;
    for (const pending of await store.pending(feed.id)) {
      const story = this.storyOf(pending.slug, feed);
      if (!story) {
        // No longer served (removed meanwhile): nothing to announce.
        await store.announced(feed.id, pending.itemId);
        continue;
      }
      try {
        const thread = await announcer.announce(feed.channelId, story);
        await store.announced(feed.id, pending.itemId);
        await store.recordThread(thread, story.slug);
        this.remember(thread, story.slug);
      } catch (error) {
        logger.warn('feed.announce_failed', { feed: feed.id, slug: pending.slug, error: String(error) });
      }
    }
  }

  /** The story an article served now makes, for its announcement. */
  private storyOf(slug: string, feed: FeedRecord): Story | null {
    const engine = this.deps.engine?.();
    const article = engine?.article(slug);
    if (!engine) return null;
    if (!article) return null;
    const sentences = engine.summary(article);
    let summary = '';
    for (const sentence of sentences.slice(0, 3)) {
      if (summary !== '' && summary.length + sentence.length > 600) break;
      summary = summary === '' ? sentence : `${summary} ${sentence}`;
    }
    return {
      slug,
      title: article.title,
      url: article.url,
      site: feed.title,
      published: article.published,
      summary,
    };
  }

  private async noticeDisabled(feed: FeedRecord): Promise<void> {
    const text = `Stopped checking the feed “${feed.title}” (${feed.url}): ${feed.disabledReason ?? 'it kept failing'}. A moderator can run /feed check to try again.`;
    if (this.deps.announcer && feed.channelId !== null)
      await this.deps.announcer.notice(feed.channelId, text).catch(() => undefined);
    this.deps.logger.warn('feed.disabled', { feed: feed.id, url: feed.url, reason: feed.disabledReason });
  }

  private request(url: string, discover: boolean): { url: string; policy: FetchPolicy; discover: boolean } {
    return { url, policy: this.deps.policy, discover };
  }

  private jitter(everyMinutes: number): number {
    return jitterOf(everyMinutes, (this.deps.random ?? Math.random)());
  }

  /** Keeps `work` among the work under way until it ends (see {@link idle}). */
  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    void work.finally(() => this.running.delete(work)).catch(() => undefined);
    return work;
  }
}

/** An item as it is named in reports: its title, else its link, else its id. */
function titleOf(item: FeedItem): string {
  return item.title || item.link || item.id;
}

/** A feed's state as a record holds it. */
function stateOf(feed: FeedRecord): FeedState {
  const { etag, lastModified, lastCheckAt, nextCheckAt, failures, failingSince, lastError } = feed;
  const { disabledAt, disabledReason, newestTitle, newestAt, unannounced } = feed;
  return {
    etag,
    lastModified,
    lastCheckAt,
    nextCheckAt,
    failures,
    failingSince,
    lastError,
    disabledAt,
    disabledReason,
    newestTitle,
    newestAt,
    unannounced,
  };
}

/** Items oldest first: by date where both have one, else in reverse document order (feeds list newest first). */
function oldestFirst(items: readonly FeedItem[]): FeedItem[] {
  return items
    .map((item, place) => ({ item, place }))
    .sort((a, b) =>
      a.item.published !== null && b.item.published !== null && a.item.published !== b.item.published
        ? a.item.published - b.item.published
        : b.place - a.place,
    )
    .map(({ item }) => item);
}

/** The poll interval asked for, checked: 5 to 1,440 minutes, 15 by default. */
function checkedInterval(every: number | null): number {
  const { default: fallback, min, max } = FEED_SCHEDULE.everyMinutes;
  if (every === null) return fallback;
  if (!Number.isInteger(every) || every < min || every > max)
    throw new UserError(`Check a feed every ${min} to ${max} minutes, not ${every}.`);
  return every;
}

/** Keywords as typed (plain words separated by commas), lower-cased. */
function parseKeywords(text: string): string[] {
  const words = [
    ...new Set(
      text
        .split(',')
        .map((word) => word.trim().replace(/\s+/g, ' ').toLowerCase())
        .filter(Boolean),
    ),
  ];
  if (words.length > KEYWORDS.count) throw new UserError(`Give at most ${KEYWORDS.count} keywords.`);
  const long = words.find((word) => word.length > KEYWORDS.length);
  if (long)
    throw new UserError(`Keep each keyword to ${KEYWORDS.length} characters: "${long.slice(0, 80)}…" is longer.`);
  return words;
}

/** Why a read gave no feed, in words. */
function reasonOf(read: Exclude<FeedReadResult, { type: 'feed' }>): string {
  if (read.type === 'refused') return read.reason;
  if (read.type === 'unchanged') return 'the server answered 304 to a first request';
  return 'the feed could not be read';
}
