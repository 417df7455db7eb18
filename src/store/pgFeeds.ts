import type pg from 'pg';
import {
  feedRecordOf,
  type FeedRow,
  itemRow,
  NEW_FEED_COLUMNS,
  newFeedValues,
  STATE_COLUMNS,
  stateValues,
} from './feedRows.js';
import type { FeedRecord, FeedState, FeedStore, NewFeed, PendingAnnouncement, SeenItem } from './feeds.js';
import { inTransaction } from './pgQuery.js';

/** The feeds' columns a poll writes, as `column = $n` from `$1`, for an UPDATE. */
const STATE_ASSIGNMENTS = STATE_COLUMNS.map((column, i) => `${column} = $${i + 1}`).join(', ');

/**
 * The feeds in PostgreSQL, shared by every machine of a fleet: a feed is polled by the one machine
 * holding its lease, taken in one statement that skips the rows another machine is taking
 * (`FOR UPDATE SKIP LOCKED`), so two machines never poll one feed at once, nor wait on each other.
 *
 * @example
 * const feeds = new PgFeeds(pool);
 * const feed = await feeds.claimDue(machine.id, Date.now(), 60_000);
 */
export class PgFeeds implements FeedStore {
  constructor(private readonly pool: pg.Pool) {}

  add(feed: NewFeed, state: FeedState, seen: readonly SeenItem[], now: number): Promise<FeedRecord | null> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<FeedRow>(
        `INSERT INTO feeds (${NEW_FEED_COLUMNS.join(', ')})
         VALUES (${NEW_FEED_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT (url) DO NOTHING RETURNING *`,
        newFeedValues(feed, state, now),
      );
      const row = rows[0];
      if (!row) return null;
      const record = feedRecordOf(row);
      await insertSeen(client, record.id, seen, now, false);
      return record;
    });
  }

  async list(): Promise<FeedRecord[]> {
    const { rows } = await this.pool.query<FeedRow>('SELECT * FROM feeds ORDER BY added_at, id');
    return rows.map(feedRecordOf);
  }

  async remove(id: number): Promise<void> {
    await this.pool.query('DELETE FROM feeds WHERE id = $1', [id]);
  }

  async claimDue(machineId: string, now: number, leaseMs: number): Promise<FeedRecord | null> {
    const { rows } = await this.pool.query<FeedRow>(
      `UPDATE feeds SET lease_owner = $1, lease_until = $2 WHERE id = (
         SELECT id FROM feeds WHERE disabled_at IS NULL AND next_check_at <= $3
            AND (lease_until IS NULL OR lease_until < $3)
          ORDER BY next_check_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [machineId, now + leaseMs, now],
    );
    return rows[0] ? feedRecordOf(rows[0]) : null;
  }

  async claim(id: number, machineId: string, now: number, leaseMs: number): Promise<FeedRecord | null> {
    const { rows } = await this.pool.query<FeedRow>(
      `UPDATE feeds SET lease_owner = $2, lease_until = $3
        WHERE id = $1 AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until < $4)
       RETURNING *`,
      [id, machineId, now + leaseMs, now],
    );
    return rows[0] ? feedRecordOf(rows[0]) : null;
  }

  async finishPoll(id: number, machineId: string, state: FeedState): Promise<boolean> {
    const n = STATE_COLUMNS.length;
    const result = await this.pool.query(
      `UPDATE feeds SET ${STATE_ASSIGNMENTS}, lease_owner = NULL, lease_until = NULL
        WHERE id = $${n + 1} AND lease_owner = $${n + 2}`,
      [...stateValues(state), id, machineId],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async seen(id: number, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const { rows } = await this.pool.query<{ item_id: string }>(
      'SELECT item_id FROM feed_items WHERE feed_id = $1 AND item_id = ANY($2::text[])',
      [id, ids],
    );
    return new Set(rows.map((row) => row.item_id));
  }

  markSeen(id: number, items: readonly SeenItem[], now: number): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return inTransaction(this.pool, (client) => insertSeen(client, id, items, now));
  }

  async skipped(id: number, limit: number): Promise<Array<{ id: string; reason: string }>> {
    const { rows } = await this.pool.query<{ id: string; reason: string }>(
      `SELECT item_id AS id, skipped AS reason FROM feed_items WHERE feed_id = $1 AND skipped IS NOT NULL
        ORDER BY seen_at DESC, item_id LIMIT $2`,
      [id, limit],
    );
    return rows;
  }

  async pending(id: number): Promise<PendingAnnouncement[]> {
    const { rows } = await this.pool.query<{ feed_id: string; item_id: string; slug: string }>(
      `SELECT feed_id, item_id, slug FROM feed_items
        WHERE feed_id = $1 AND announce = 1 AND slug IS NOT NULL ORDER BY seen_at, item_id`,
      [id],
    );
    return rows.map((row) => ({ feedId: Number(row.feed_id), itemId: row.item_id, slug: row.slug }));
  }

  async announced(feedId: number, itemId: string): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE feed_items SET announce = 0 WHERE feed_id = $1 AND item_id = $2 AND announce = 1',
      [feedId, itemId],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async expired(before: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ slug: string }>(
      'SELECT slug FROM feed_articles WHERE imported_at < $1 ORDER BY imported_at, slug',
      [before],
    );
    return rows.map((row) => row.slug);
  }

  async forgetArticles(slugs: readonly string[]): Promise<void> {
    if (slugs.length === 0) return;
    await inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM feed_articles WHERE slug = ANY($1::text[])', [slugs]);
      await client.query('DELETE FROM feed_threads WHERE slug = ANY($1::text[])', [slugs]);
    });
  }

  async recordThread(threadId: string, slug: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO feed_threads (thread_id, slug) VALUES ($1, $2) ON CONFLICT (thread_id) DO UPDATE SET slug = excluded.slug',
      [threadId, slug],
    );
  }

  async threadStory(threadId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ slug: string }>('SELECT slug FROM feed_threads WHERE thread_id = $1', [
      threadId,
    ]);
    return rows[0]?.slug ?? null;
  }

  async articleFeeds(): Promise<Map<string, { feedId: number; title: string }>> {
    const { rows } = await this.pool.query<{ slug: string; feed_id: string; feed_title: string }>(
      'SELECT slug, feed_id, feed_title FROM feed_articles ORDER BY slug',
    );
    return new Map(rows.map((row) => [row.slug, { feedId: Number(row.feed_id), title: row.feed_title }]));
  }

  async articlesOf(id: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ slug: string }>(
      'SELECT slug FROM feed_articles WHERE feed_id = $1 ORDER BY imported_at, slug',
      [id],
    );
    return rows.map((row) => row.slug);
  }

  async articleCounts(): Promise<Map<number, number>> {
    const { rows } = await this.pool.query<{ feed_id: string; n: string }>(
      'SELECT feed_id, COUNT(*) AS n FROM feed_articles GROUP BY feed_id ORDER BY feed_id',
    );
    return new Map(rows.map((row) => [Number(row.feed_id), Number(row.n)]));
  }
}

/**
 * Writes items seen in feed `id` and the stories taken from them, in the caller's transaction;
 * nothing when the feed is gone (removed while it was being polled). An item seen before keeps its
 * first record; `announce` overrides the items' own flag.
 */
async function insertSeen(
  client: pg.ClientBase,
  id: number,
  items: readonly SeenItem[],
  now: number,
  announce?: boolean,
): Promise<void> {
  if (items.length === 0) return;
  const rows = items.map((item) => itemRow(id, item, now, announce ?? item.announce));
  await client.query(
    `INSERT INTO feed_items (feed_id, item_id, seen_at, slug, skipped, announce)
     SELECT $1::bigint, t.item_id, $2::bigint, t.slug, t.skipped, t.announce
       FROM unnest($3::text[], $4::text[], $5::text[], $6::smallint[]) AS t (item_id, slug, skipped, announce)
      WHERE EXISTS (SELECT 1 FROM feeds WHERE id = $1::bigint)
     ON CONFLICT (feed_id, item_id) DO NOTHING`,
    [
      id,
      now,
      rows.map((row) => row.item_id),
      rows.map((row) => row.slug),
      rows.map((row) => row.skipped),
      rows.map((row) => row.announce),
    ],
  );
  const slugs = [...new Set(items.flatMap((item) => (item.slug === null ? [] : [item.slug])))];
  if (slugs.length > 0)
    await client.query(
      `INSERT INTO feed_articles (slug, feed_id, feed_title, imported_at)
       SELECT t.slug, f.id, f.title, $2::bigint FROM unnest($3::text[]) AS t (slug) CROSS JOIN feeds f WHERE f.id = $1::bigint
       ON CONFLICT (slug) DO UPDATE SET feed_id = excluded.feed_id, feed_title = excluded.feed_title,
         imported_at = excluded.imported_at`,
      [id, now, slugs],
    );
}
