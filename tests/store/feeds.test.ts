import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { neverPolled, type FeedState, type NewFeed, type SeenItem } from '../../src/store/feeds.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store, StoreRows } from '../../src/store/store.js';
import { MODERATOR } from '../support/content.js';
import { captureLogger } from '../support/logger.js';
import { postgresDatabasesForFile, postgresInstalled } from '../support/postgres.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const LEASE = 5 * MINUTE;

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
/** A database file of its own, in a temporary directory removed after the test. */
async function dbFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'article-bot-feeds-'));
  dirs.push(dir);
  return path.join(dir, 'bot.sqlite');
}

/** A new, empty PostgreSQL database on the test server, by URL. */
const newDatabase = postgresDatabasesForFile('feeds_test');

/** One kind of store: `open` gives a fresh database, `openTwo` two machines' stores on one fresh database. */
interface Backend {
  name: string;
  available: boolean;
  open: (now?: () => number) => Promise<Store>;
  openTwo: () => Promise<[Store, Store]>;
}

const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    available: true,
    open: async (now) => SqliteStore.open(await dbFile(), now),
    openTwo: async () => {
      const file = await dbFile();
      return [SqliteStore.open(file), SqliteStore.open(file)];
    },
  },
  {
    name: 'PostgreSQL',
    available: postgresInstalled(),
    open: async (now) => PostgresStore.open(await newDatabase(), captureLogger().logger, now),
    openTwo: async () => {
      const url = await newDatabase();
      const a = await PostgresStore.open(url, captureLogger().logger);
      return [a, await PostgresStore.open(url, captureLogger().logger)];
    },
  },
];

/** A feed as a moderator adds it, numbered so several differ. */
function newFeed(n: number, overrides: Partial<NewFeed> = {}): NewFeed {
  return {
    url: `https://news${n}.example.com/feed.xml`,
    title: `News ${n}`,
    siteUrl: `https://news${n}.example.com/`,
    guildId: '1300000000000000001',
    channelId: '1300000000000000002',
    keywords: ['bridge', 'ferry'],
    everyMinutes: 30,
    addedBy: MODERATOR,
    ...overrides,
  };
}

/** A feed's state before its first poll, due at `nextCheckAt`. */
function fresh(nextCheckAt = T0, overrides: Partial<FeedState> = {}): FeedState {
  return { ...neverPolled(nextCheckAt), ...overrides };
}

const taken = (id: string, slug: string, announce = true): SeenItem => ({ id, slug, skipped: null, announce });
const skippedItem = (id: string, reason: string): SeenItem => ({ id, slug: null, skipped: reason, announce: false });

/** Adds a feed that must be new, and gives its id. */
async function added(store: Store, feed: NewFeed, state = fresh(), seen: SeenItem[] = [], now = T0): Promise<number> {
  const record = await store.feeds.add(feed, state, seen, now);
  if (!record) throw new Error(`${feed.url} was not added`);
  return record.id;
}

for (const backend of BACKENDS)
  describe.skipIf(!backend.available)(`the feeds in ${backend.name}`, () => {
    const { open, openTwo } = backend;

    it('keeps every field of a feed as it was added, and lists them oldest first', async () => {
      const store = await open();
      const full = newFeed(1, { keywords: ['bridge', 'night ferry'] });
      const state: FeedState = {
        etag: '"abc"',
        lastModified: 'Wed, 31 Dec 2025 23:00:00 GMT',
        lastCheckAt: T0 - MINUTE,
        nextCheckAt: T0 + 30 * MINUTE,
        failures: 2,
        failingSince: T0 - 2 * MINUTE,
        lastError: 'HTTP 503',
        disabledAt: T0 - 3 * MINUTE,
        disabledReason: 'failing for 7 days',
        newestTitle: 'Harbour Bridge Reopens',
        newestAt: T0 - 4 * MINUTE,
        unannounced: 3,
      };
      const record = await store.feeds.add(full, state, [], T0);
      expect(record).toEqual({ ...full, ...state, id: expect.any(Number) as number, addedAt: T0 });
      const bare = newFeed(2, { siteUrl: null, guildId: null, channelId: null, keywords: [], everyMinutes: 1440 });
      const second = await store.feeds.add(bare, fresh(T0), [], T0 + 1);
      expect(second).toEqual({ ...bare, ...fresh(T0), id: expect.any(Number) as number, addedAt: T0 + 1 });
      expect(second?.id).not.toBe(record?.id);
      expect(await store.feeds.list()).toEqual([record, second]);
      await store.close();
    });

    it('records the items a feed has when added as seen, never to be announced', async () => {
      const store = await open();
      const id = await added(store, newFeed(1), fresh(), [taken('a1', 'ferry'), skippedItem('a2', 'too old')]);
      expect(await store.feeds.seen(id, ['a1', 'a2', 'a3'])).toEqual(new Set(['a1', 'a2']));
      expect(await store.feeds.pending(id)).toEqual([]);
      expect(await store.feeds.skipped(id, 10)).toEqual([{ id: 'a2', reason: 'too old' }]);
      expect(await store.feeds.articleFeeds()).toEqual(new Map([['ferry', { feedId: id, title: 'News 1' }]]));
      await store.close();
    });

    it('refuses a second feed of the same URL, writing nothing', async () => {
      const store = await open();
      const id = await added(store, newFeed(1), fresh(), [skippedItem('a1', 'too old')]);
      const again = await store.feeds.add(
        newFeed(1, { title: 'Another title' }),
        fresh(),
        [taken('x1', 'other-story'), skippedItem('x2', 'no keyword')],
        T0 + 1,
      );
      expect(again).toBeNull();
      expect((await store.feeds.list()).map((f) => [f.id, f.title])).toEqual([[id, 'News 1']]);
      const rows = await store.exportRows();
      expect(rows.feeds).toHaveLength(1);
      expect(rows.feedItems.map((i) => i.item_id)).toEqual(['a1']);
      expect(rows.feedArticles).toEqual([]);
      await store.close();
    });

    it('leases the enabled feed due soonest, passing over disabled, not-yet-due and leased ones', async () => {
      const store = await open();
      const late = await added(store, newFeed(1), fresh(T0 - MINUTE));
      const soonest = await added(store, newFeed(2), fresh(T0 - 10 * MINUTE));
      await added(store, newFeed(3), fresh(T0 - 20 * MINUTE, { disabledAt: T0 - DAY, disabledReason: 'gone' }));
      await added(store, newFeed(4), fresh(T0 + MINUTE));
      const leased = await added(store, newFeed(5), fresh(T0 - 30 * MINUTE));
      expect((await store.feeds.claim(leased, 'm2', T0, LEASE))?.id).toBe(leased);

      expect((await store.feeds.claimDue('m1', T0, LEASE))?.id).toBe(soonest);
      expect((await store.feeds.claimDue('m1', T0, LEASE))?.id).toBe(late);
      expect(await store.feeds.claimDue('m1', T0, LEASE)).toBeNull();
      // Its own lease too: a feed being polled is not polled again until the poll is over.
      expect(await store.feeds.claimDue('m2', T0, LEASE)).toBeNull();
      await store.close();
    });

    it('gives a feed to one machine of two asking at once', async () => {
      const [a, b] = await openTwo();
      const id = await added(a, newFeed(1), fresh(T0 - MINUTE));
      const claims = await Promise.all([a.feeds.claimDue('m1', T0, LEASE), b.feeds.claimDue('m2', T0, LEASE)]);
      expect(claims.filter((c) => c !== null).map((c) => c?.id)).toEqual([id]);

      // Many feeds, both machines taking until none is left: each feed goes to exactly one.
      const ids = await Promise.all(
        Array.from({ length: 12 }, (_, n) => added(a, newFeed(n + 2), fresh(T0 - n * MINUTE))),
      );
      const drain = async (store: Store, machine: string): Promise<number[]> => {
        const got: number[] = [];
        for (let feed = await store.feeds.claimDue(machine, T0, LEASE); feed;) {
          got.push(feed.id);
          feed = await store.feeds.claimDue(machine, T0, LEASE);
        }
        return got;
      };
      const [first, second] = await Promise.all([drain(a, 'm1'), drain(b, 'm2')]);
      expect([...first, ...second].sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
      await Promise.all([a.close(), b.close()]);
    });

    it('lets another machine take an expired lease, and keeps a lease holder’s poll from being overwritten', async () => {
      const [a, b] = await openTwo();
      const id = await added(a, newFeed(1), fresh(T0));
      expect((await a.feeds.claimDue('m1', T0, MINUTE))?.id).toBe(id);
      // Held: not due for m2, not to be claimed by m2, nor by m1 again while its poll runs.
      expect(await b.feeds.claimDue('m2', T0 + 30_000, MINUTE)).toBeNull();
      expect(await b.feeds.claim(id, 'm2', T0 + 30_000, MINUTE)).toBeNull();
      expect(await a.feeds.claim(id, 'm1', T0 + 30_000, MINUTE)).toBeNull();
      // The lease (until T0 + 60 s) expires: m2 takes it, and m1's late poll writes nothing.
      expect((await b.feeds.claimDue('m2', T0 + 2 * MINUTE, MINUTE))?.id).toBe(id);
      const polled = fresh(T0 + 30 * MINUTE, { etag: '"v2"', lastCheckAt: T0 + 2 * MINUTE, newestTitle: 'Story' });
      expect(await a.feeds.finishPoll(id, 'm1', { ...polled, lastError: 'late' })).toBe(false);
      expect((await b.feeds.list())[0]).toMatchObject(fresh(T0));
      expect(await b.feeds.finishPoll(id, 'm2', polled)).toBe(true);
      expect((await a.feeds.list())[0]).toMatchObject(polled);
      // The lease is given back: anyone may claim it now, and it is due again at its next check.
      expect(await b.feeds.finishPoll(id, 'm2', polled)).toBe(false);
      expect(await a.feeds.claimDue('m1', T0 + 29 * MINUTE, MINUTE)).toBeNull();
      expect((await a.feeds.claim(id, 'm3', T0 + 3 * MINUTE, MINUTE))?.id).toBe(id);
      await Promise.all([a.close(), b.close()]);
    });

    it('claims a feed by id whether or not it is due or enabled, and nothing for a feed that is gone', async () => {
      const store = await open();
      const id = await added(store, newFeed(1), fresh(T0 + DAY, { disabledAt: T0, disabledReason: 'failing' }));
      expect(await store.feeds.claimDue('m1', T0, LEASE)).toBeNull();
      expect(await store.feeds.claim(id, 'm1', T0, LEASE)).toMatchObject({ id, disabledReason: 'failing' });
      expect(await store.feeds.claim(id + 1000, 'm1', T0, LEASE)).toBeNull();
      await store.close();
    });

    it('remembers items seen, why some were skipped, and which stories are still to be announced', async () => {
      const store = await open();
      const id = await added(store, newFeed(1));
      await store.feeds.markSeen(
        id,
        [taken('i2', 'ferry'), skippedItem('i1', 'no keyword'), taken('i3', 'bridge', false), taken('i0', 'tram')],
        T0,
      );
      await store.feeds.markSeen(id, [skippedItem('i4', 'too long'), taken('i5', 'bus')], T0 + MINUTE);
      expect(await store.feeds.seen(id, ['i1', 'i2', 'i5', 'i9'])).toEqual(new Set(['i1', 'i2', 'i5']));
      expect(await store.feeds.seen(id + 1000, ['i1'])).toEqual(new Set());
      expect(await store.feeds.seen(id, [])).toEqual(new Set());
      expect(await store.feeds.skipped(id, 10)).toEqual([
        { id: 'i4', reason: 'too long' },
        { id: 'i1', reason: 'no keyword' },
      ]);
      expect(await store.feeds.skipped(id, 1)).toEqual([{ id: 'i4', reason: 'too long' }]);
      expect(await store.feeds.pending(id)).toEqual([
        { feedId: id, itemId: 'i0', slug: 'tram' },
        { feedId: id, itemId: 'i2', slug: 'ferry' },
        { feedId: id, itemId: 'i5', slug: 'bus' },
      ]);
      expect(await store.feeds.announced(id, 'i2')).toBe(true);
      expect(await store.feeds.announced(id, 'i2')).toBe(false);
      expect(await store.feeds.announced(id, 'i3')).toBe(false);
      expect(await store.feeds.announced(id, 'no-such-item')).toBe(false);
      // Seen again, an item keeps its first record: an announced story is not announced twice.
      await store.feeds.markSeen(id, [taken('i2', 'ferry')], T0 + 2 * MINUTE);
      expect((await store.feeds.pending(id)).map((p) => p.itemId)).toEqual(['i0', 'i5']);
      // Its story, taken again, counts as imported then (it expires later).
      expect(await store.feeds.articlesOf(id)).toEqual(['bridge', 'tram', 'bus', 'ferry']);
      await store.close();
    });

    it('announces a story once when two machines mark it together', async () => {
      const [a, b] = await openTwo();
      const id = await added(a, newFeed(1));
      await a.feeds.markSeen(id, [taken('i1', 'ferry'), taken('i2', 'bridge')], T0);
      expect(await b.feeds.pending(id)).toHaveLength(2);
      for (const item of ['i1', 'i2']) {
        const results = await Promise.all([a.feeds.announced(id, item), b.feeds.announced(id, item)]);
        expect(results.filter(Boolean)).toHaveLength(1);
      }
      expect(await a.feeds.pending(id)).toEqual([]);
      await Promise.all([a.close(), b.close()]);
    });

    it('gives the stories past retention, forgets them, and counts each feed’s stories', async () => {
      const store = await open();
      const one = await added(store, newFeed(1));
      const two = await added(store, newFeed(2));
      await store.feeds.markSeen(one, [taken('i1', 'old'), taken('i2', 'shared')], T0);
      await store.feeds.markSeen(one, [taken('i3', 'new')], T0 + 10 * DAY);
      expect(await store.feeds.articleCounts()).toEqual(new Map([[one, 3]]));
      // The same story from a second feed, later: it belongs to that feed now, and expires later.
      await store.feeds.markSeen(two, [taken('j1', 'shared')], T0 + 11 * DAY);
      expect(await store.feeds.articleCounts()).toEqual(
        new Map([
          [one, 2],
          [two, 1],
        ]),
      );
      expect(await store.feeds.articleFeeds()).toEqual(
        new Map([
          ['new', { feedId: one, title: 'News 1' }],
          ['old', { feedId: one, title: 'News 1' }],
          ['shared', { feedId: two, title: 'News 2' }],
        ]),
      );
      expect(await store.feeds.expired(T0 + 5 * DAY)).toEqual(['old']);
      expect(await store.feeds.expired(T0)).toEqual([]);
      await store.feeds.forgetArticles(['old']);
      await store.feeds.forgetArticles([]);
      expect(await store.feeds.expired(T0 + 20 * DAY)).toEqual(['new', 'shared']);
      expect(await store.feeds.articlesOf(one)).toEqual(['new']);
      expect(await store.feeds.articlesOf(two)).toEqual(['shared']);
      // The item stays seen: a story forgotten is not taken again.
      expect(await store.feeds.seen(one, ['i1'])).toEqual(new Set(['i1']));
      await store.close();
    });

    it('remembers the thread each story was announced in, on every machine, until the story is forgotten', async () => {
      const [a, b] = await openTwo();
      const id = await added(a, newFeed(1));
      await a.feeds.markSeen(id, [taken('i1', 'ferry'), taken('i2', 'bridge')], T0);
      await a.feeds.recordThread('1300000000000000101', 'ferry');
      await a.feeds.recordThread('1300000000000000102', 'bridge');
      expect(await b.feeds.threadStory('1300000000000000101')).toBe('ferry');
      expect(await b.feeds.threadStory('1300000000000000199')).toBeNull();
      // Its feed removed, a story is still served, and its thread still about it.
      await a.feeds.remove(id);
      expect(await b.feeds.threadStory('1300000000000000102')).toBe('bridge');
      await b.feeds.forgetArticles(['ferry']);
      expect(await a.feeds.threadStory('1300000000000000101')).toBeNull();
      expect(await a.feeds.threadStory('1300000000000000102')).toBe('bridge');
      await Promise.all([a.close(), b.close()]);
    });

    it('removes a feed with its items but keeps its stories, with its title, until they expire', async () => {
      const store = await open();
      const one = await added(store, newFeed(1));
      const two = await added(store, newFeed(2));
      await store.feeds.markSeen(one, [taken('i1', 'ferry'), skippedItem('i2', 'no keyword')], T0);
      await store.feeds.markSeen(two, [taken('j1', 'bridge')], T0);
      await store.feeds.remove(one);
      expect((await store.feeds.list()).map((f) => f.id)).toEqual([two]);
      const rows = await store.exportRows();
      expect(rows.feedItems.map((i) => [i.feed_id, i.item_id])).toEqual([[two, 'j1']]);
      expect(await store.feeds.pending(one)).toEqual([]);
      expect(await store.feeds.articleFeeds()).toEqual(
        new Map([
          ['bridge', { feedId: two, title: 'News 2' }],
          ['ferry', { feedId: one, title: 'News 1' }],
        ]),
      );
      expect(await store.feeds.articleCounts()).toEqual(
        new Map([
          [one, 1],
          [two, 1],
        ]),
      );
      expect(await store.feeds.expired(T0 + 1)).toEqual(['bridge', 'ferry']);
      // A poll that finishes after the removal writes nothing, and fails nothing.
      await store.feeds.markSeen(one, [taken('i3', 'late')], T0 + 1);
      expect(await store.feeds.finishPoll(one, 'm1', fresh())).toBe(false);
      expect(await store.feeds.articlesOf(one)).toEqual(['ferry']);
      // A new feed never takes the id its removed stories still name.
      await store.feeds.remove(two);
      const three = await added(store, newFeed(3));
      expect([one, two]).not.toContain(three);
      await store.close();
    });

    it('keeps feeds, their items and their stories when questions past retention are purged', async () => {
      let now = T0;
      const store = await open(() => now);
      const id = await added(store, newFeed(1), fresh(), [skippedItem('a1', 'too old')]);
      await store.feeds.markSeen(id, [taken('i1', 'ferry')], T0);
      const before = await store.exportRows();
      now = T0 + 400 * DAY;
      await store.purge(90);
      const after = await store.exportRows();
      expect(after.feeds).toEqual(before.feeds);
      expect(after.feedItems).toEqual(before.feedItems);
      expect(after.feedArticles).toEqual(before.feedArticles);
      expect(after.feedItems).toHaveLength(2);
      await store.close();
    });

    it('exports the feeds, their items and their stories for npm run migrate-store, numbers as numbers', async () => {
      const store = await open();
      const id = await added(store, newFeed(1, { keywords: ['ferry'] }), fresh(T0, { failures: 1 }));
      await store.feeds.markSeen(id, [taken('i1', 'ferry'), skippedItem('i2', 'no keyword')], T0);
      await store.feeds.claim(id, 'm1', T0, LEASE);
      await store.feeds.recordThread('1300000000000000101', 'ferry');
      const rows = await store.exportRows();
      expect(rows.feeds).toEqual([
        {
          id,
          url: 'https://news1.example.com/feed.xml',
          title: 'News 1',
          site_url: 'https://news1.example.com/',
          guild_id: '1300000000000000001',
          channel_id: '1300000000000000002',
          keywords: '["ferry"]',
          every_minutes: 30,
          added_by_id: MODERATOR.id,
          added_by_name: MODERATOR.name,
          added_at: T0,
          etag: null,
          last_modified: null,
          last_check_at: null,
          next_check_at: T0,
          failures: 1,
          failing_since: null,
          last_error: null,
          disabled_at: null,
          disabled_reason: null,
          newest_title: null,
          newest_at: null,
          unannounced: 0,
        },
      ] satisfies StoreRows['feeds']);
      expect(rows.feedItems).toEqual([
        { feed_id: id, item_id: 'i1', seen_at: T0, slug: 'ferry', skipped: null, announce: 1 },
        { feed_id: id, item_id: 'i2', seen_at: T0, slug: null, skipped: 'no keyword', announce: 0 },
      ] satisfies StoreRows['feedItems']);
      expect(rows.feedArticles).toEqual([
        { slug: 'ferry', feed_id: id, feed_title: 'News 1', imported_at: T0 },
      ] satisfies StoreRows['feedArticles']);
      expect(rows.feedThreads).toEqual([
        { thread_id: '1300000000000000101', slug: 'ferry' },
      ] satisfies StoreRows['feedThreads']);
      await store.close();
    });
  });

describe.skipIf(!postgresInstalled())('copying feeds from SQLite into PostgreSQL', () => {
  it('keeps their ids, items, stories and threads, twice without doubling anything, and new feeds get new ids', async () => {
    const sqlite = SqliteStore.open(await dbFile());
    const kept = await added(sqlite, newFeed(1), fresh(T0), [skippedItem('k0', 'too old')]);
    await sqlite.feeds.markSeen(kept, [taken('k1', 'kept-story')], T0);
    const other = await added(sqlite, newFeed(2));
    await sqlite.feeds.markSeen(other, [taken('o1', 'other-story')], T0 + 1);
    // A removed feed with the largest id, named now only by its story.
    const gone = await added(sqlite, newFeed(3));
    await sqlite.feeds.markSeen(gone, [taken('g1', 'gone-story')], T0 + 2);
    await sqlite.feeds.remove(gone);
    await sqlite.feeds.claim(kept, 'm1', T0, LEASE);
    await sqlite.feeds.recordThread('1300000000000000101', 'gone-story');
    const source = await sqlite.exportRows();
    await sqlite.close();

    // Into an empty database: everything as it was, ids and all.
    const empty = await PostgresStore.open(await newDatabase(), captureLogger().logger);
    await empty.importRows(source);
    await empty.importRows(source);
    const exact = await empty.exportRows();
    expect({
      feeds: exact.feeds,
      items: exact.feedItems,
      articles: exact.feedArticles,
      threads: exact.feedThreads,
    }).toEqual({
      feeds: source.feeds,
      items: source.feedItems,
      articles: source.feedArticles,
      threads: [{ thread_id: '1300000000000000101', slug: 'gone-story' }],
    });
    expect(await empty.feeds.claimDue('m2', T0, LEASE)).toMatchObject({ id: kept });
    expect(await added(empty, newFeed(4))).toBeGreaterThan(gone);
    await empty.close();

    // Into a database that has a feed already: of the same URL as one copied, and the same id as another.
    const target = await PostgresStore.open(await newDatabase(), captureLogger().logger);
    const here = await added(target, newFeed(2, { title: 'Added here first' }), fresh(), [skippedItem('h1', 'x')]);
    expect(here).toBe(kept);
    await target.importRows(source);
    await target.importRows(source);
    const copied = await target.exportRows();
    const moved = copied.feeds.find((f) => f.url === newFeed(1).url)?.id;
    expect(moved).toBeGreaterThan(gone);
    expect(copied.feeds.map((f) => [f.id, f.title])).toEqual([
      [here, 'Added here first'],
      [moved, 'News 1'],
    ]);
    expect(copied.feedItems.map((i) => [i.feed_id, i.item_id])).toEqual([
      [here, 'h1'],
      [here, 'o1'],
      [moved, 'k0'],
      [moved, 'k1'],
    ]);
    expect(copied.feedArticles.map((a) => [a.slug, a.feed_id, a.feed_title])).toEqual([
      ['kept-story', moved, 'News 1'],
      ['other-story', here, 'News 2'],
      ['gone-story', gone, 'News 3'],
    ]);
    expect(await added(target, newFeed(5))).toBeGreaterThan(moved ?? Infinity);
    await target.close();
  });
});
