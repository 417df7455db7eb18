import pg from 'pg';
import type { Logger } from '../logger.js';
import { DATABASE_NOW_MS, inTransaction, insertContentChange, reasonOf } from './pgQuery.js';
import type { ContentChange, Machine, SharedContent } from './store.js';

/** The channel the machines announce content changes on. */
const CHANNEL = 'article_content';
/** How often a machine says it is still here. */
const HEARTBEAT_MS = 5000;
/** A machine not seen for this long is no longer waited for (three heartbeats missed). */
const GONE_AFTER_MS = 3 * HEARTBEAT_MS;
/** A machine not seen for a day is forgotten. */
const FORGOTTEN_AFTER_MS = 86_400_000;
/** How soon a lost listening connection is tried again. */
const RECONNECT_MS = 2000;
/** Articles whose Markdown is read in one query. */
const MARKDOWN_BATCH = 200;

/**
 * The articles and the channel the machines of a fleet share through PostgreSQL: imported
 * articles' Markdown in `imported_articles`, the machines seen lately in `fleet_machines`, and
 * messages over LISTEN/NOTIFY on a connection of its own (a pooled one cannot keep listening),
 * reconnected when it drops.
 */
export class PostgresShared implements SharedContent {
  private listening: { machine: Machine; listener: (message: string | null) => void } | null = null;
  private client: pg.Client | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private reconnect: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  async articleVersions(): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ slug: string; updated_at: string }>(
      'SELECT slug, updated_at FROM imported_articles',
    );
    return new Map(rows.map((row) => [row.slug, Number(row.updated_at)]));
  }

  async markdownOf(slugs: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < slugs.length; i += MARKDOWN_BATCH) {
      const { rows } = await this.pool.query<{ slug: string; markdown: string }>(
        'SELECT slug, markdown FROM imported_articles WHERE slug = ANY($1) AND markdown IS NOT NULL',
        [slugs.slice(i, i + MARKDOWN_BATCH)],
      );
      for (const row of rows) found.set(row.slug, row.markdown);
    }
    return found;
  }

  claimArticle(change: ContentChange & { action: 'added'; markdown: string }): Promise<boolean> {
    const at = this.now();
    return inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        `INSERT INTO imported_articles (slug, title, source, added_by_id, added_by_name, added_at, updated_at, markdown)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7) ON CONFLICT (slug) DO NOTHING`,
        [change.slug, change.title, change.source, change.actor.id, change.actor.name, at, change.markdown],
      );
      if (rowCount !== 1) return false;
      await insertContentChange(client, change, at);
      return true;
    });
  }

  async join(machine: Machine, listener: (message: string | null) => void): Promise<void> {
    const joined = { machine, listener };
    this.listening = joined;
    await this.seen();
    // Left meanwhile (the bot is stopping): no heartbeat or channel to start.
    if (this.listening !== joined) return;
    this.heartbeat = setInterval(() => void this.seen(), HEARTBEAT_MS).unref();
    await this.listen();
  }

  async machines(): Promise<Machine[]> {
    const { rows } = await this.pool.query<Machine>(
      `SELECT id, label FROM fleet_machines WHERE seen_at >= ${DATABASE_NOW_MS} - $1 ORDER BY label, id`,
      [GONE_AFTER_MS],
    );
    return rows;
  }

  async publish(message: string): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, message]);
  }

  async leave(): Promise<void> {
    const joined = this.listening;
    this.listening = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.reconnect) clearTimeout(this.reconnect);
    this.heartbeat = this.reconnect = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
    if (joined)
      await this.pool
        .query('DELETE FROM fleet_machines WHERE id = $1', [joined.machine.id])
        .catch((error: unknown) => this.logger.warn('fleet.leave_failed', { error: reasonOf(error) }));
  }

  /**
   * Says this machine is still here, forgets machines gone for a day, and checks that the
   * listening connection still answers: one cut without a word (a NAT timeout, a failover) would
   * otherwise go on hearing nothing.
   */
  private async seen(): Promise<void> {
    const machine = this.listening?.machine;
    if (!machine) return;
    const client = this.client;
    if (client) await client.query('SELECT 1').catch((error: Error) => this.lost(client, error));
    try {
      await this.pool.query(
        `INSERT INTO fleet_machines (id, label, seen_at) VALUES ($1, $2, ${DATABASE_NOW_MS})
         ON CONFLICT (id) DO UPDATE SET label = excluded.label, seen_at = excluded.seen_at`,
        [machine.id, machine.label],
      );
      await this.pool.query(`DELETE FROM fleet_machines WHERE seen_at < ${DATABASE_NOW_MS} - $1`, [FORGOTTEN_AFTER_MS]);
    } catch (error) {
      this.logger.warn('fleet.heartbeat_failed', { error: reasonOf(error) });
    }
  }

  /** Opens the listening connection; when it fails or drops, tries again until it holds, then tells the listener. */
  private async listen(): Promise<void> {
    const joined = this.listening;
    if (!joined) return;
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: RECONNECT_MS * 2,
      query_timeout: HEARTBEAT_MS,
      keepAlive: true,
    });
    client.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload !== undefined) joined.listener(message.payload);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
    }
  }

  /** The listening connection `client` failed or ended: dropped, and listened again after a pause (unless it was replaced or left). */
  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = null;
    void client.end().catch(() => undefined);
    this.logger.warn('fleet.channel_lost', { error: error ? reasonOf(error) : 'the connection ended' });
    this.retry();
  }

  /** Listens again after a pause; a channel found again tells the listener that messages may have been missed. */
  private retry(): void {
    this.reconnect ??= setTimeout(() => {
      this.reconnect = null;
      void this.listen().then(() => {
        if (this.client !== null && this.listening) {
          this.logger.info('fleet.channel_back');
          this.listening.listener(null);
        }
      });
    }, RECONNECT_MS).unref();
  }
}
