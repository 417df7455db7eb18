import type { FeedRecord, FeedState, NewFeed, SeenItem } from './feeds.js';
import type { StoreRows } from './store.js';

/** A whole number as either database returns it: PostgreSQL gives BIGINT columns (and counts) as text. */
type Whole = number | string;

/** A `feeds` row as either database returns it (`SELECT *`). */
export type FeedRow = {
  [K in keyof StoreRows['feeds'][number]]: StoreRows['feeds'][number][K] extends number
    ? Whole
    : StoreRows['feeds'][number][K] extends number | null
      ? Whole | null
      : StoreRows['feeds'][number][K];
} & { lease_owner: string | null; lease_until: Whole | null };

/** The state columns of `feeds`, in the order {@link stateValues} gives their values. */
export const STATE_COLUMNS = [
  'etag',
  'last_modified',
  'last_check_at',
  'next_check_at',
  'failures',
  'failing_since',
  'last_error',
  'disabled_at',
  'disabled_reason',
  'newest_title',
  'newest_at',
  'unannounced',
] as const;

/** The columns a new feed is written with (all but its id and lease), in the order {@link newFeedValues} gives their values. */
export const NEW_FEED_COLUMNS = [
  'url',
  'title',
  'site_url',
  'guild_id',
  'channel_id',
  'keywords',
  'every_minutes',
  'added_by_id',
  'added_by_name',
  'added_at',
  ...STATE_COLUMNS,
] as const;

/** The values of {@link STATE_COLUMNS}. */
export function stateValues(state: FeedState): unknown[] {
  return [
    state.etag,
    state.lastModified,
    state.lastCheckAt,
    state.nextCheckAt,
    state.failures,
    state.failingSince,
    state.lastError,
    state.disabledAt,
    state.disabledReason,
    state.newestTitle,
    state.newestAt,
    state.unannounced,
  ];
}

/** The values of {@link NEW_FEED_COLUMNS}: a feed added at `now`. */
export function newFeedValues(feed: NewFeed, state: FeedState, now: number): unknown[] {
  return [
    feed.url,
    feed.title,
    feed.siteUrl,
    feed.guildId,
    feed.channelId,
    JSON.stringify(feed.keywords),
    feed.everyMinutes,
    feed.addedBy.id,
    feed.addedBy.name,
    now,
    ...stateValues(state),
  ];
}

/** A `feed_items` row for an item seen at `now`; `announce` is forced off for the items a feed has when it is added. */
export function itemRow(
  feedId: number,
  item: SeenItem,
  now: number,
  announce = item.announce,
): StoreRows['feedItems'][number] {
  return {
    feed_id: feedId,
    item_id: item.id,
    seen_at: now,
    slug: item.slug,
    skipped: item.skipped,
    announce: announce ? 1 : 0,
  };
}

/** A feed as the rest of the bot sees it, from its row in either database. */
export function feedRecordOf(row: FeedRow): FeedRecord {
  return {
    id: Number(row.id),
    url: row.url,
    title: row.title,
    siteUrl: row.site_url,
    guildId: row.guild_id,
    channelId: row.channel_id,
    keywords: keywordsOf(row.keywords),
    everyMinutes: Number(row.every_minutes),
    addedBy: { id: row.added_by_id, name: row.added_by_name },
    addedAt: Number(row.added_at),
    etag: row.etag,
    lastModified: row.last_modified,
    lastCheckAt: numberOrNull(row.last_check_at),
    nextCheckAt: Number(row.next_check_at),
    failures: Number(row.failures),
    failingSince: numberOrNull(row.failing_since),
    lastError: row.last_error,
    disabledAt: numberOrNull(row.disabled_at),
    disabledReason: row.disabled_reason,
    newestTitle: row.newest_title,
    newestAt: numberOrNull(row.newest_at),
    unannounced: Number(row.unannounced),
  };
}

/** The number in a nullable whole-number column. */
function numberOrNull(value: Whole | null): number | null {
  return value === null ? null : Number(value);
}

/** The keywords kept as a JSON array; a column that is not one reads as none (every item taken). */
function keywordsOf(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((word): word is string => typeof word === 'string') : [];
  } catch {
    return [];
  }
}
