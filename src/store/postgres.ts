import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../logger.js';
import type { FeedStore } from './feeds.js';
import { PgFeeds } from './pgFeeds.js';
import { migratePostgres } from './pgMigrations.js';
import { DATABASE_NOW_MS, inTransaction, insertContentChange, reasonOf } from './pgQuery.js';
import { PostgresShared } from './pgShared.js';
import {
  EXPORT_QUERIES,
  hashUserWith,
  StoreError,
  type ContentChange,
  type GapsReport,
  importRecordOf,
  type ImportedArticleRow,
  type ImportRecord,
  type QuestionGroup,
  type QuestionRecord,
  type Store,
  type StoreRows,
  type VoteResult,
} from './store.js';

/** Questions kept in memory while the database cannot be reached, before the oldest are dropped. */
const MAX_PENDING = 10_000;
/** How long a query may wait for a connection, or run, before it is given up (a reply never waits longer). */
const QUERY_TIMEOUT_MS = 2000;
/**
 * How long a recorded question (or message link) waits before its batch is written: everything
 * recorded meanwhile goes in one round trip, so the `pg` client's work on the answering thread is
 * not repeated for every answer (at 200 answers a second, one batch per ten). A crash loses at
 * most this much.
 */
const BATCH_DELAY_MS = 50;
/** How soon writing the pending questions is tried again after the database could not be reached. */
const RETRY_MS = 5000;
/** Discord's identify window: `max_concurrency` identifies per 5 seconds. */
const IDENTIFY_WINDOW_MS = 5000;
/** Longest a wait for an identify turn sleeps before it asks again. */
const IDENTIFY_POLL_MS = 500;

/**
 * The store in PostgreSQL (`DATABASE_URL`), shared by every machine of a fleet: the same tables,
 * migrations, retention and hashed user ids as the SQLite store. Questions are written in batches
 * after the current turn of the event loop; while the database is down they wait in memory (up to
 * {@link MAX_PENDING}, with a logged warning) and are written once it is back, so recording never
 * delays or fails an answer.
 *
 * @example
 * const store = await PostgresStore.open('postgres://bot@db/bot', logger);
 * const id = store.recordQuestion({ question, words, outcome: 'uncovered', contentVersion, askerId });
 */
export class PostgresStore implements Store {
  private pending: Array<QuestionRecord & { id: string; at: number }> = [];
  private pendingLinks: Array<{ messageId: string; answerId: string }> = [];
  private flushing: Promise<void> | null = null;
  private batchTimer: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private warned = false;
  /** The imported articles and the channel every machine on this database shares. */
  readonly shared: PostgresShared;
  /** The feeds moderators follow, shared by every machine: each feed is polled by the one holding its lease. */
  readonly feeds: FeedStore;

  private constructor(
    private readonly pool: pg.Pool,
    url: string,
    private salt: string,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {
    this.shared = new PostgresShared(pool, url, logger, now);
    this.feeds = new PgFeeds(pool);
  }

  /**
   * Connects, migrates (under an advisory lock, so machines starting together do not race) and
   * reads the salt of the user hashes, creating it on first use.
   *
   * @throws {StoreError} naming the database (never its password) and why it cannot be used.
   */
  static async open(url: string, logger: Logger, now: () => number = Date.now): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: QUERY_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS * 5,
      idleTimeoutMillis: 30_000,
    });
    // A connection that drops while idle is replaced on the next query; it must not crash the process.
    pool.on('error', (error) => logger.warn('store.connection_lost', { error: error.message }));
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client);
        await client.query("INSERT INTO meta (key, value) VALUES ('salt', $1) ON CONFLICT (key) DO NOTHING", [
          randomBytes(16).toString('hex'),
        ]);
        const { rows } = await client.query<{ value: string }>("SELECT value FROM meta WHERE key = 'salt'");
        return new PostgresStore(pool, url, rows[0]?.value ?? '', logger, now);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new StoreError(
        `the database ${describeUrl(url)} cannot be used (${reasonOf(error)}): check DATABASE_URL and that PostgreSQL is running`,
      );
    }
  }

  recordQuestion(record: QuestionRecord): string {
    const id = randomBytes(9).toString('base64url');
    this.pending.push({ ...record, id, at: this.now() });
    if (this.pending.length > MAX_PENDING) {
      this.pending.splice(0, this.pending.length - MAX_PENDING);
      this.logger.warn('store.questions_dropped', { reason: 'the database has been unreachable too long' });
    }
    this.schedule();
    return id;
  }

  flush(): Promise<void> {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    this.flushing ??= this.write().finally(() => {
      this.flushing = null;
      // What was recorded while that batch was being written goes with the next one.
      this.schedule();
    });
    return this.flushing;
  }

  /** Writes what is pending {@link BATCH_DELAY_MS} from now, unless a write or a retry is already coming. */
  private schedule(): void {
    if (this.pending.length + this.pendingLinks.length === 0) return;
    if (this.flushing || this.retry || this.batchTimer) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = null;
      void this.flush();
    }, BATCH_DELAY_MS);
  }

  /**
   * Resolves once the answer's question is in the database: the batch on its way may hold it
   * (it has left `pending`, not yet committed), and if it does not, a later one will.
   */
  private async written(answerId: string): Promise<void> {
    await this.flushing;
    for (let round = 0; round < 2 && this.pending.some((r) => r.id === answerId); round++) await this.flush();
  }

  private async write(): Promise<void> {
    const batch = this.pending;
    const links = this.pendingLinks;
    if (batch.length + links.length === 0) return;
    this.pending = [];
    this.pendingLinks = [];
    try {
      if (batch.length > 0)
        await this.pool.query(
          `INSERT INTO answers (id, asked_at, content_version, question, covered, hedged, asker, words)
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::smallint[], $6::smallint[], $7::text[], $8::text[])
           ON CONFLICT (id) DO NOTHING`,
          [
            batch.map((r) => r.id),
            batch.map((r) => r.at),
            batch.map((r) => r.contentVersion),
            batch.map((r) => r.question),
            batch.map((r) => (r.outcome === 'uncovered' ? 0 : 1)),
            batch.map((r) => (r.outcome === 'hedged' ? 1 : 0)),
            batch.map((r) => hashUserWith(this.salt, r.askerId)),
            batch.map((r) => r.words),
          ],
        );
      // A link to an answer no longer kept (past retention) is dropped, not failed on.
      if (links.length > 0)
        await this.pool.query(
          `INSERT INTO answer_messages (message_id, answer_id)
           SELECT t.m, t.a FROM unnest($1::text[], $2::text[]) AS t (m, a)
           WHERE EXISTS (SELECT 1 FROM answers WHERE id = t.a) ON CONFLICT DO NOTHING`,
          [links.map((l) => l.messageId), links.map((l) => l.answerId)],
        );
      if (this.warned) this.logger.info('store.reachable_again', { written: batch.length });
      this.warned = false;
    } catch (error) {
      // Kept for the next try: an answer given while the database is down is still counted later.
      this.pending = [...batch, ...this.pending];
      this.pendingLinks = [...links, ...this.pendingLinks].slice(-MAX_PENDING);
      if (!this.warned)
        this.logger.warn('store.write_failed', { error: reasonOf(error), pending: this.pending.length });
      this.warned = true;
      this.retry ??= setTimeout(() => {
        this.retry = null;
        void this.flush();
      }, RETRY_MS).unref();
    }
  }

  async question(answerId: string): Promise<string | null> {
    const pending = this.pending.find((r) => r.id === answerId);
    if (pending) return pending.question;
    return this.read(
      'SELECT question FROM answers WHERE id = $1',
      [answerId],
      (rows: Array<{ question: string }>) => rows[0]?.question ?? null,
    );
  }

  /** Written with the next batch, after its answer. */
  linkMessage(messageId: string, answerId: string): Promise<void> {
    this.pendingLinks.push({ messageId, answerId });
    this.schedule();
    return Promise.resolve();
  }

  questionOfMessage(messageId: string): Promise<string | null> {
    const pending = this.pendingLinks.find((link) => link.messageId === messageId);
    if (pending) return this.question(pending.answerId);
    return this.read(
      'SELECT a.question FROM answer_messages m JOIN answers a ON a.id = m.answer_id WHERE m.message_id = $1',
      [messageId],
      (rows: Array<{ question: string }>) => rows[0]?.question ?? null,
    );
  }

  async vote(answerId: string, voterId: string, value: 1 | -1): Promise<VoteResult> {
    await this.written(answerId);
    if ((await this.question(answerId)) === null) return 'unknown-answer';
    const voter = hashUserWith(this.salt, voterId);
    const { rows } = await this.pool.query<{ before: number | null }>(
      `WITH old AS (SELECT value FROM votes WHERE answer_id = $1 AND voter = $2)
       INSERT INTO votes (answer_id, voter, value, voted_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (answer_id, voter) DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at
       RETURNING (SELECT value FROM old) AS before`,
      [answerId, voter, value, this.now()],
    );
    const before = rows[0]?.before ?? null;
    return before === null ? 'recorded' : before === value ? 'unchanged' : 'changed';
  }

  async gaps(days: number, limit = 10): Promise<GapsReport> {
    await this.flush();
    const since = this.now() - days * 86_400_000;
    const grouped = async (column: 'covered' | 'hedged', value: 0 | 1): Promise<QuestionGroup[]> =>
      (
        await this.pool.query<{ question: string; times: string; askers: string }>(
          `SELECT (SELECT question FROM answers b WHERE b.${column} = $3 AND b.words IS NOT DISTINCT FROM a.words AND b.asked_at >= $1 ORDER BY b.asked_at DESC LIMIT 1) AS question,
                  COUNT(*) AS times, COUNT(DISTINCT asker) AS askers
             FROM answers a WHERE a.${column} = $3 AND asked_at >= $1
            GROUP BY words ORDER BY times DESC, askers DESC, MAX(asked_at) DESC LIMIT $2`,
          [since, limit, value],
        )
      ).rows.map((row) => ({ question: row.question, times: Number(row.times), askers: Number(row.askers) }));
    const [uncovered, hedged, disliked] = await Promise.all([
      grouped('covered', 0),
      grouped('hedged', 1),
      this.pool.query<{ question: string; down: string; up: string }>(
        `SELECT a.question AS question, SUM(CASE WHEN v.value = -1 THEN 1 ELSE 0 END) AS down,
                SUM(CASE WHEN v.value = 1 THEN 1 ELSE 0 END) AS up
           FROM votes v JOIN answers a ON a.id = v.answer_id
          WHERE v.voted_at >= $1 GROUP BY a.id, a.question HAVING SUM(CASE WHEN v.value = -1 THEN 1 ELSE 0 END) > 0
          ORDER BY down DESC, up ASC, MAX(v.voted_at) DESC LIMIT $2`,
        [since, limit],
      ),
    ]);
    return {
      days,
      uncovered,
      hedged,
      disliked: disliked.rows.map((row) => ({ question: row.question, down: Number(row.down), up: Number(row.up) })),
    };
  }

  async recordContentChange(change: ContentChange): Promise<void> {
    const at = this.now();
    await this.transaction(async (client) => {
      await insertContentChange(client, change, at);
      if (change.action === 'removed')
        await client.query('DELETE FROM imported_articles WHERE slug = $1', [change.slug]);
      else
        await client.query(
          `INSERT INTO imported_articles (slug, title, source, added_by_id, added_by_name, added_at, updated_at, markdown)
           VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
           ON CONFLICT (slug) DO UPDATE SET title = excluded.title, source = excluded.source,
             updated_at = GREATEST(excluded.updated_at, imported_articles.updated_at + 1), markdown = excluded.markdown`,
          [change.slug, change.title, change.source, change.actor.id, change.actor.name, at, change.markdown ?? null],
        );
    });
  }

  async importedArticles(): Promise<ImportRecord[]> {
    const { rows } = await this.pool.query<ImportedArticleRow>(
      'SELECT * FROM imported_articles ORDER BY added_at DESC',
    );
    return rows.map(importRecordOf);
  }

  /** Never deletes feeds, their items or their stories: those expire their own way (see feeds.ts). */
  async purge(days: number): Promise<number> {
    await this.flush();
    const before = this.now() - days * 86_400_000;
    return this.transaction(async (client) => {
      await client.query('DELETE FROM votes WHERE voted_at < $1', [before]);
      await client.query('DELETE FROM content_changes WHERE at < $1', [before]);
      return (await client.query('DELETE FROM answers WHERE asked_at < $1', [before])).rowCount ?? 0;
    });
  }

  async exportRows(): Promise<StoreRows> {
    await this.flush();
    const all = async <K extends keyof typeof EXPORT_QUERIES>(table: K): Promise<StoreRows[K]> =>
      (await this.pool.query<StoreRows[K][number]>(EXPORT_QUERIES[table])).rows as StoreRows[K];
    return normalizeRows({
      salt: this.salt,
      answers: await all('answers'),
      votes: await all('votes'),
      answerMessages: await all('answerMessages'),
      importedArticles: await all('importedArticles'),
      contentChanges: await all('contentChanges'),
      feeds: await all('feeds'),
      feedItems: await all('feedItems'),
      feedArticles: await all('feedArticles'),
      feedThreads: await all('feedThreads'),
    });
  }

  /**
   * Copies another store's rows in (`npm run migrate-store`); rows already here are kept, so it is
   * safe to run twice.
   *
   * @throws {StoreError} when this database already holds questions hashed with another salt.
   */
  async importRows(rows: StoreRows): Promise<void> {
    await this.transaction(async (client) => {
      // The user hashes are salted: the copy keeps the source's salt, so the same person stays one person.
      if (this.salt !== rows.salt) {
        const { rows: held } = await client.query('SELECT 1 FROM answers LIMIT 1');
        if (held.length > 0)
          throw new StoreError(
            'the PostgreSQL database already holds questions from another store: copy into an empty database',
          );
      }
      await client.query("UPDATE meta SET value = $1 WHERE key = 'salt'", [rows.salt]);
      for (const a of rows.answers)
        await client.query(
          `INSERT INTO answers (id, asked_at, content_version, question, covered, hedged, asker, words)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
          [a.id, a.asked_at, a.content_version, a.question, a.covered, a.hedged, a.asker, a.words],
        );
      for (const v of rows.votes)
        await client.query(
          `INSERT INTO votes (answer_id, voter, value, voted_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (answer_id, voter) DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at`,
          [v.answer_id, v.voter, v.value, v.voted_at],
        );
      for (const m of rows.answerMessages)
        await client.query(
          'INSERT INTO answer_messages (message_id, answer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [m.message_id, m.answer_id],
        );
      for (const i of rows.importedArticles)
        await client.query(
          `INSERT INTO imported_articles (slug, title, source, added_by_id, added_by_name, added_at, updated_at, markdown)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (slug) DO UPDATE SET title = excluded.title,
           source = excluded.source, updated_at = excluded.updated_at, markdown = excluded.markdown`,
          [i.slug, i.title, i.source, i.added_by_id, i.added_by_name, i.added_at, i.updated_at, i.markdown],
        );
      for (const c of rows.contentChanges)
        await client.query(
          `INSERT INTO content_changes (at, action, slug, title, source, actor_id, actor_name)
           SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (
             SELECT 1 FROM content_changes WHERE at = $1 AND action = $2 AND slug = $3 AND actor_id = $6)`,
          [c.at, c.action, c.slug, c.title, c.source, c.actor_id, c.actor_name],
        );
      await importFeeds(client, rows);
    });
    this.salt = rows.salt;
  }

  async identifyTurn(bucket: number, signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      let waitMs: number;
      try {
        // The database's clock, not the machines', decides: their clocks may differ.
        const { rows } = await this.pool.query<{ granted: boolean; wait_ms: string }>(
          `WITH now AS (SELECT ${DATABASE_NOW_MS} AS ms),
           claimed AS (
             INSERT INTO identify_turns (bucket, next_at) SELECT $1, ms + $2 FROM now
             ON CONFLICT (bucket) DO UPDATE SET next_at = excluded.next_at
               WHERE identify_turns.next_at <= (SELECT ms FROM now)
             RETURNING next_at)
           SELECT EXISTS (SELECT 1 FROM claimed) AS granted,
                  GREATEST(0, COALESCE((SELECT next_at FROM identify_turns WHERE bucket = $1), 0) - (SELECT ms FROM now)) AS wait_ms`,
          [bucket, IDENTIFY_WINDOW_MS],
        );
        if (rows[0]?.granted) return;
        waitMs = Number(rows[0]?.wait_ms ?? IDENTIFY_POLL_MS);
      } catch (error) {
        // Without the database, this machine keeps to the window on its own.
        this.logger.warn('store.identify_turn_failed', { error: reasonOf(error) });
        await sleep(IDENTIFY_WINDOW_MS, signal);
        return;
      }
      await sleep(Math.min(Math.max(waitMs, 10), IDENTIFY_POLL_MS), signal);
    }
  }

  async close(): Promise<void> {
    await this.shared.leave();
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    await this.flush();
    await this.pool.end();
  }

  /** A read that must not hold up an answer: `null` (and a warning) when the database cannot be reached. */
  private async read<R, T>(sql: string, params: unknown[], pick: (rows: R[]) => T): Promise<T | null> {
    try {
      return pick((await this.pool.query(sql, params)).rows as R[]);
    } catch (error) {
      this.logger.warn('store.read_failed', { error: reasonOf(error) });
      return null;
    }
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }
}

/**
 * Copies another store's feeds, their seen items, their stories and their threads, in the caller's transaction.
 * A feed whose URL is already here is that feed (its state here is kept); another keeps its id
 * when that is free, or gets a new one, and its items and stories follow it. Leases are not copied.
 * The id sequence ends past every id copied, a removed feed's included, so no new feed takes one.
 */
async function importFeeds(client: pg.PoolClient, rows: StoreRows): Promise<void> {
  const raiseSequence = async (): Promise<void> => {
    await client.query(
      `SELECT setval(pg_get_serial_sequence('feeds', 'id'), GREATEST(
         COALESCE((SELECT MAX(id) FROM feeds), 1), COALESCE((SELECT MAX(feed_id) FROM feed_articles), 1), $1::bigint))`,
      [Math.max(1, ...rows.feeds.map((f) => f.id), ...rows.feedArticles.map((a) => a.feed_id))],
    );
  };
  // New ids (for a copied feed whose id is taken here) come after every id being copied.
  await raiseSequence();
  const ids = new Map<number, number>();
  for (const f of rows.feeds) {
    const values = [
      f.url,
      f.title,
      f.site_url,
      f.guild_id,
      f.channel_id,
      f.keywords,
      f.every_minutes,
      f.added_by_id,
      f.added_by_name,
      f.added_at,
      f.etag,
      f.last_modified,
      f.last_check_at,
      f.next_check_at,
      f.failures,
      f.failing_since,
      f.last_error,
      f.disabled_at,
      f.disabled_reason,
      f.newest_title,
      f.newest_at,
      f.unannounced,
    ];
    const { rows: written } = await client.query<{ id: string }>(
      `WITH here AS (SELECT id FROM feeds WHERE url = $2),
       added AS (
         INSERT INTO feeds (id, url, title, site_url, guild_id, channel_id, keywords, every_minutes, added_by_id,
           added_by_name, added_at, etag, last_modified, last_check_at, next_check_at, failures, failing_since,
           last_error, disabled_at, disabled_reason, newest_title, newest_at, unannounced)
         SELECT CASE WHEN EXISTS (SELECT 1 FROM feeds WHERE id = $1) THEN nextval(pg_get_serial_sequence('feeds', 'id'))
                ELSE $1 END, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                $22, $23
          WHERE NOT EXISTS (SELECT 1 FROM here)
         RETURNING id)
       SELECT id FROM here UNION ALL SELECT id FROM added`,
      [f.id, ...values],
    );
    if (written[0]) ids.set(f.id, Number(written[0].id));
  }
  const items = rows.feedItems.flatMap((item) => {
    const feedId = ids.get(item.feed_id);
    return feedId === undefined ? [] : [{ ...item, feed_id: feedId }];
  });
  if (items.length > 0)
    await client.query(
      `INSERT INTO feed_items (feed_id, item_id, seen_at, slug, skipped, announce)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::smallint[])
       ON CONFLICT (feed_id, item_id) DO NOTHING`,
      [
        items.map((i) => i.feed_id),
        items.map((i) => i.item_id),
        items.map((i) => i.seen_at),
        items.map((i) => i.slug),
        items.map((i) => i.skipped),
        items.map((i) => i.announce),
      ],
    );
  // A removed feed's stories keep its id (no new feed takes it: the sequence ends past it).
  const articles = rows.feedArticles.map((a) => ({ ...a, feed_id: ids.get(a.feed_id) ?? a.feed_id }));
  if (articles.length > 0)
    await client.query(
      `INSERT INTO feed_articles (slug, feed_id, feed_title, imported_at)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[]) ON CONFLICT (slug) DO NOTHING`,
      [
        articles.map((a) => a.slug),
        articles.map((a) => a.feed_id),
        articles.map((a) => a.feed_title),
        articles.map((a) => a.imported_at),
      ],
    );
  if (rows.feedThreads.length > 0)
    await client.query(
      `INSERT INTO feed_threads (thread_id, slug) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (thread_id) DO NOTHING`,
      [rows.feedThreads.map((t) => t.thread_id), rows.feedThreads.map((t) => t.slug)],
    );
  await raiseSequence();
}

/** Rows as both stores write them: numbers as numbers (PostgreSQL returns BIGINT as text). */
function normalizeRows(rows: StoreRows): StoreRows {
  const numbers = <T extends object>(list: T[], keys: Array<keyof T>): T[] =>
    list.map((row) => {
      const copy = { ...row };
      for (const key of keys) if (copy[key] !== null) (copy as Record<keyof T, unknown>)[key] = Number(copy[key]);
      return copy;
    });
  return {
    salt: rows.salt,
    answers: numbers(rows.answers, ['asked_at', 'covered', 'hedged']),
    votes: numbers(rows.votes, ['value', 'voted_at']),
    answerMessages: rows.answerMessages,
    importedArticles: numbers(rows.importedArticles, ['added_at', 'updated_at']),
    contentChanges: numbers(rows.contentChanges, ['at']),
    feeds: numbers(rows.feeds, [
      'id',
      'every_minutes',
      'added_at',
      'last_check_at',
      'next_check_at',
      'failures',
      'failing_since',
      'disabled_at',
      'newest_at',
      'unannounced',
    ]),
    feedItems: numbers(rows.feedItems, ['feed_id', 'seen_at', 'announce']),
    feedArticles: numbers(rows.feedArticles, ['feed_id', 'imported_at']),
    feedThreads: rows.feedThreads,
  };
}

/** The database as a log line may name it: host, port and database, never the user's password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `"${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}"`;
  } catch {
    return '(DATABASE_URL)';
  }
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      },
      { once: true },
    );
  });
}
