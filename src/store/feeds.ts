import type { Actor } from './store.js';

/** A feed as a moderator added it: where it is read from, where its stories are announced, what is taken. */
export interface NewFeed {
  /** The feed document's own URL (after discovery from a page, and redirects). */
  url: string;
  /** The feed's title, as its document gives it (or its host when it gives none). */
  title: string;
  /** The site the feed belongs to (its `<link>`), for the announcements; `null` when it names none. */
  siteUrl: string | null;
  /** The Discord server and channel its new stories are announced in; `null` imports them silently. */
  guildId: string | null;
  channelId: string | null;
  /** Plain words, lower-cased; an item is taken only when its title or summary holds one. Empty takes every item. */
  keywords: string[];
  /** The poll interval, in minutes (5–1,440). */
  everyMinutes: number;
  addedBy: Actor;
}

/** What one poll learnt about a feed: kept between polls. */
export interface FeedState {
  /** The validators of the last full answer, sent back as `If-None-Match` and `If-Modified-Since`. */
  etag: string | null;
  lastModified: string | null;
  /** When it was last polled, and when it is polled next (ms since the epoch). */
  lastCheckAt: number | null;
  nextCheckAt: number;
  /** Failed polls in a row, the time of the first of them, and why the last one failed (one line). */
  failures: number;
  failingSince: number | null;
  lastError: string | null;
  /** When and why it was disabled after failing too long; `null` while it is enabled. */
  disabledAt: number | null;
  disabledReason: string | null;
  /** The newest story taken from it: its title and when it was taken. */
  newestTitle: string | null;
  newestAt: number | null;
  /** Stories imported without an announcement because a poll had more than FEED_ANNOUNCE_MAX. */
  unannounced: number;
}

/** The state of a feed never polled, first checked at `nextCheckAt`. */
export function neverPolled(nextCheckAt: number): FeedState {
  return {
    etag: null,
    lastModified: null,
    lastCheckAt: null,
    nextCheckAt,
    failures: 0,
    failingSince: null,
    lastError: null,
    disabledAt: null,
    disabledReason: null,
    newestTitle: null,
    newestAt: null,
    unannounced: 0,
  };
}

/** A feed as stored: what was added, its state, and its id. */
export interface FeedRecord extends NewFeed, FeedState {
  id: number;
  addedAt: number;
}

/** An item seen in a feed: taken as an article (`slug`), or skipped with the reason shown in `/feed list`. */
export interface SeenItem {
  /** The item's id within its feed (see `itemId` in content/feed.ts). */
  id: string;
  /** The article it became, or `null` when it was not taken. */
  slug: string | null;
  /** Why it was not taken (one line), or `null`. */
  skipped: string | null;
  /** Whether the story is still to be announced in the feed's channel. */
  announce: boolean;
}

/** A story waiting for its announcement: its feed, its item id and its article's slug. */
export interface PendingAnnouncement {
  feedId: number;
  itemId: string;
  slug: string;
}

/**
 * The feeds moderators follow, their state, the items seen in each and the articles they became,
 * kept in the bot's database (SQLite or PostgreSQL, see schema.ts). With several machines on one
 * PostgreSQL database, a feed is polled by one machine at a time: the one holding its lease.
 *
 * @example
 * const feed = await store.feeds.claimDue(machine.id, clock.now(), LEASE_MS);
 * if (feed) await store.feeds.finishPoll(feed.id, machine.id, { ...state, nextCheckAt });
 */
export interface FeedStore {
  /**
   * Adds a feed with the ids of the items it has now (never announced), unless a feed of that URL
   * exists: `null` then, and nothing is written.
   */
  add(feed: NewFeed, state: FeedState, seen: readonly SeenItem[], now: number): Promise<FeedRecord | null>;
  /** Every feed, oldest first. */
  list(): Promise<FeedRecord[]>;
  /** Removes a feed, its state and its seen items; its articles stay until they expire (see {@link forgetArticles}). */
  remove(id: number): Promise<void>;
  /**
   * Takes the lease of the enabled feed due soonest (next check at or before `now`) whose lease is
   * free or expired, for `leaseMs`: no other machine polls it until the lease is given back or
   * expires. `null` when none is due.
   */
  claimDue(machineId: string, now: number, leaseMs: number): Promise<FeedRecord | null>;
  /** Takes the lease of feed `id` now, due or not (for `/feed check`); `null` while a poll holds it (on any machine, this one too), or it is gone. */
  claim(id: number, machineId: string, now: number, leaseMs: number): Promise<FeedRecord | null>;
  /** Saves what a poll learnt and gives back the lease (only if `machineId` still holds it: `false` otherwise, nothing written). */
  finishPoll(id: number, machineId: string, state: FeedState): Promise<boolean>;
  /** The ids among `ids` already seen in feed `id`. */
  seen(id: number, ids: readonly string[]): Promise<Set<string>>;
  /** Records items seen in feed `id`, and the articles taken from them (which expire, unlike a moderator's imports). */
  markSeen(id: number, items: readonly SeenItem[], now: number): Promise<void>;
  /** The most recent skipped items of feed `id` with their reasons, newest first. */
  skipped(id: number, limit: number): Promise<Array<{ id: string; reason: string }>>;
  /** Stories still to be announced, of feed `id`, oldest first. */
  pending(id: number): Promise<PendingAnnouncement[]>;
  /** Marks a story announced: `false` when it already was (by another machine), so it is posted once. */
  announced(feedId: number, itemId: string): Promise<boolean>;
  /** The slugs of stories taken from feeds before `before` (ms since the epoch): those past retention. */
  expired(before: number): Promise<string[]>;
  /** Forgets that these stories came from a feed (once their files are removed). */
  forgetArticles(slugs: readonly string[]): Promise<void>;
  /** The feed each feed story came from, by slug: its id and title. */
  articleFeeds(): Promise<Map<string, { feedId: number; title: string }>>;
  /** The slugs of stories taken from feed `id`. */
  articlesOf(id: number): Promise<string[]>;
  /** How many stories each feed has taken (and still serves), by feed id. */
  articleCounts(): Promise<Map<number, number>>;
  /** Remembers the thread a story was announced with, so questions asked in it are about that story first. */
  recordThread(threadId: string, slug: string): Promise<void>;
  /** The story a thread was started for, or `null` when it is no story's. */
  threadStory(threadId: string): Promise<string | null>;
}
