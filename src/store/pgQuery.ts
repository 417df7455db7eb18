import type pg from 'pg';
import type { ContentChange } from './store.js';

/** The database's clock in milliseconds: machines' clocks may differ, the database's is one. */
export const DATABASE_NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

/** Runs `work` in one transaction on a connection of `pool`: committed if it resolves, rolled back if it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Writes the record of a content change (who did what, when), in the caller's transaction. */
export async function insertContentChange(client: pg.ClientBase, change: ContentChange, at: number): Promise<void> {
  await client.query(
    'INSERT INTO content_changes (at, action, slug, title, source, actor_id, actor_name) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [at, change.action, change.slug, change.title, change.source, change.actor.id, change.actor.name],
  );
}

/** Why a query failed, for a log line: PostgreSQL's code and message, or the connection error's. */
export function reasonOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code && message ? `${code}: ${message}` : (code ?? message ?? String(error));
}
