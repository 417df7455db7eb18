import type Database from 'better-sqlite3';
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

/**
 * The feeds in the SQLite database: one process (or a few sharing the file) polls them. A lease is
 * taken in an immediate transaction, so two processes on one file never take the same feed.
 *
 * @example
 * const feeds = new SqliteFeeds(db);
 * const feed = await feeds.claimDue(machine.id, Date.now(), 60_000);
 */
export class SqliteFeeds implements FeedStore {
  constructor(private readonly db: Database.Database) {}

  add(feed: NewFeed, state: FeedState, seen: readonly SeenItem[], now: number): Promise<FeedRecord | null> {
    return settle(() =>
      this.db
        .transaction(() => {
          // An id never given before while a removed feed's stories still name it (SQLite would reuse the largest).
          const row = this.db
            .prepare<unknown[], FeedRow>(
              `INSERT INTO feeds (id, ${NEW_FEED_COLUMNS.join(', ')})
             VALUES (1 + max(COALESCE((SELECT MAX(id) FROM feeds), 0), COALESCE((SELECT MAX(feed_id) FROM feed_articles), 0)),
                     ${NEW_FEED_COLUMNS.map(() => '?').join(', ')})
             ON CONFLICT (url) DO NOTHING RETURNING *`,
            )
            .get(...newFeedValues(feed, state, now));
          if (!row) return null;
          const record = feedRecordOf(row);
          this.insertSeen(record.id, seen, now, false);
          return record;
        })
        .immediate(),
    );
  }

  list(): Promise<FeedRecord[]> {
    return settle(() =>
      this.db.prepare<[], FeedRow>('SELECT * FROM feeds ORDER BY added_at, id').all().map(feedRecordOf),
    );
  }

  remove(id: number): Promise<void> {
    return settle(() => {
      this.db.prepare('DELETE FROM feeds WHERE id = ?').run(id);
    });
  }

  claimDue(machineId: string, now: number, leaseMs: number): Promise<FeedRecord | null> {
    return settle(() =>
      this.db
        .transaction(() => {
          const row = this.db
            .prepare<{ machine: string; until: number; now: number }, FeedRow>(
              `UPDATE feeds SET lease_owner = @machine, lease_until = @until WHERE id = (
               SELECT id FROM feeds WHERE disabled_at IS NULL AND next_check_at <= @now
                  AND (lease_until IS NULL OR lease_until < @now)
                ORDER BY next_check_at, id LIMIT 1)
             RETURNING *`,
            )
            .get({ machine: machineId, until: now + leaseMs, now });
          return row ? feedRecordOf(row) : null;
        })
        .immediate(),
    );
  }

  claim(id: number, machineId: string, now: number, leaseMs: number): Promise<FeedRecord | null> {
    return settle(() =>
      this.db
        .transaction(() => {
          const row = this.db
            .prepare<{ id: number; machine: string; until: number; now: number }, FeedRow>(
              `UPDATE feeds SET lease_owner = @machine, lease_until = @until
              WHERE id = @id AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until < @now)
             RETURNING *`,
            )
            .get({ id, machine: machineId, until: now + leaseMs, now });
          return row ? feedRecordOf(row) : null;
        })
        .immediate(),
    );
  }

  finishPoll(id: number, machineId: string, state: FeedState): Promise<boolean> {
    return settle(
      () =>
        this.db
          .prepare(
            `UPDATE feeds SET ${STATE_COLUMNS.map((column) => `${column} = ?`).join(', ')},
                    lease_owner = NULL, lease_until = NULL
              WHERE id = ? AND lease_owner = ?`,
          )
          .run(...stateValues(state), id, machineId).changes > 0,
    );
  }

  seen(id: number, ids: readonly string[]): Promise<Set<string>> {
    return settle(() => {
      const found = new Set<string>();
      if (ids.length === 0) return found;
      // One query per chunk: SQLite limits a statement's parameters.
      for (let start = 0; start < ids.length; start += 500) {
        const chunk = ids.slice(start, start + 500);
        const rows = this.db
          .prepare<unknown[], { item_id: string }>(
            `SELECT item_id FROM feed_items WHERE feed_id = ? AND item_id IN (${chunk.map(() => '?').join(', ')})`,
          )
          .all(id, ...chunk);
        for (const row of rows) found.add(row.item_id);
      }
      return found;
    });
  }

  markSeen(id: number, items: readonly SeenItem[], now: number): Promise<void> {
    return settle(() => {
      this.db.transaction(() => this.insertSeen(id, items, now)).immediate();
    });
  }

  /**
   * Writes items seen in feed `id` and the stories taken from them, in the caller's transaction;
   * nothing when the feed is gone (removed while it was being polled). An item seen before keeps
   * its first record.
   */
  private insertSeen(id: number, items: readonly SeenItem[], now: number, announce?: boolean): void {
    const insertItem = this.db.prepare(
      `INSERT INTO feed_items (feed_id, item_id, seen_at, slug, skipped, announce)
       SELECT @feed_id, @item_id, @seen_at, @slug, @skipped, @announce WHERE EXISTS (SELECT 1 FROM feeds WHERE id = @feed_id)
       ON CONFLICT (feed_id, item_id) DO NOTHING`,
    );
    const insertArticle = this.db.prepare(
      `INSERT INTO feed_articles (slug, feed_id, feed_title, imported_at)
       SELECT ?, id, title, ? FROM feeds WHERE id = ?
       ON CONFLICT (slug) DO UPDATE SET feed_id = excluded.feed_id, feed_title = excluded.feed_title,
         imported_at = excluded.imported_at`,
    );
    for (const item of items) {
      insertItem.run(itemRow(id, item, now, announce ?? item.announce));
      if (item.slug !== null) insertArticle.run(item.slug, now, id);
    }
  }

  skipped(id: number, limit: number): Promise<Array<{ id: string; reason: string }>> {
    return settle(() =>
      this.db
        .prepare<[number, number], { id: string; reason: string }>(
          `SELECT item_id AS id, skipped AS reason FROM feed_items WHERE feed_id = ? AND skipped IS NOT NULL
            ORDER BY seen_at DESC, item_id LIMIT ?`,
        )
        .all(id, limit),
    );
  }

  pending(id: number): Promise<PendingAnnouncement[]> {
    return settle(() =>
      this.db
        .prepare<[number], PendingAnnouncement>(
          `SELECT feed_id AS feedId, item_id AS itemId, slug FROM feed_items
            WHERE feed_id = ? AND announce = 1 AND slug IS NOT NULL ORDER BY seen_at, item_id`,
        )
        .all(id),
    );
  }

  announced(feedId: number, itemId: string): Promise<boolean> {
    return settle(
      () =>
        this.db
          .prepare('UPDATE feed_items SET announce = 0 WHERE feed_id = ? AND item_id = ? AND announce = 1')
          .run(feedId, itemId).changes > 0,
    );
  }

  expired(before: number): Promise<string[]> {
    return settle(() =>
      this.db
        .prepare<[number], { slug: string }>(
          'SELECT slug FROM feed_articles WHERE imported_at < ? ORDER BY imported_at, slug',
        )
        .all(before)
        .map((row) => row.slug),
    );
  }

  forgetArticles(slugs: readonly string[]): Promise<void> {
    return settle(() => {
      const forget = this.db.prepare('DELETE FROM feed_articles WHERE slug = ?');
      const forgetThreads = this.db.prepare('DELETE FROM feed_threads WHERE slug = ?');
      this.db.transaction(() => {
        for (const slug of slugs) {
          forget.run(slug);
          forgetThreads.run(slug);
        }
      })();
    });
  }

  recordThread(threadId: string, slug: string): Promise<void> {
    return settle(() => {
      this.db
        .prepare(
          'INSERT INTO feed_threads (thread_id, slug) VALUES (?, ?) ON CONFLICT (thread_id) DO UPDATE SET slug = excluded.slug',
        )
        .run(threadId, slug);
    });
  }

  threadStory(threadId: string): Promise<string | null> {
    return settle(
      () =>
        this.db.prepare<[string], { slug: string }>('SELECT slug FROM feed_threads WHERE thread_id = ?').get(threadId)
          ?.slug ?? null,
    );
  }

  articleFeeds(): Promise<Map<string, { feedId: number; title: string }>> {
    return settle(
      () =>
        new Map(
          this.db
            .prepare<[], { slug: string; feed_id: number; feed_title: string }>(
              'SELECT slug, feed_id, feed_title FROM feed_articles ORDER BY slug',
            )
            .all()
            .map((row) => [row.slug, { feedId: row.feed_id, title: row.feed_title }]),
        ),
    );
  }

  articlesOf(id: number): Promise<string[]> {
    return settle(() =>
      this.db
        .prepare<[number], { slug: string }>(
          'SELECT slug FROM feed_articles WHERE feed_id = ? ORDER BY imported_at, slug',
        )
        .all(id)
        .map((row) => row.slug),
    );
  }

  articleCounts(): Promise<Map<number, number>> {
    return settle(
      () =>
        new Map(
          this.db
            .prepare<[], { feed_id: number; n: number }>(
              'SELECT feed_id, COUNT(*) AS n FROM feed_articles GROUP BY feed_id ORDER BY feed_id',
            )
            .all()
            .map((row) => [row.feed_id, row.n]),
        ),
    );
  }
}

/** What `work` returns, or throws, as a promise: the store's interface is asynchronous, SQLite's calls are not. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
