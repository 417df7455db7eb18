import type { PoolClient } from 'pg';
import { POSTGRES, schemaSteps } from './schema.js';

/** PostgreSQL's migration steps (see schema.ts). */
const PG_MIGRATIONS = schemaSteps(POSTGRES);

/** The advisory lock migrations run under, so machines starting together migrate one at a time ("article-qa-bot schema"). */
const MIGRATION_LOCK = 0x61716273;

/**
 * Brings the database up to the latest version under an advisory lock: a second machine starting
 * at the same moment waits, then finds nothing left to do. Refuses a database from a newer version
 * of the bot rather than misreading it.
 *
 * @returns the version it was at.
 */
export async function migratePostgres(client: PoolClient): Promise<number> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version');
    const from = rows[0]?.version ?? 0;
    if (from > PG_MIGRATIONS.length)
      throw new Error(
        `it was written by a newer version of the bot (schema ${from}; this one knows up to ${PG_MIGRATIONS.length})`,
      );
    for (let version = from; version < PG_MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      try {
        await client.query(PG_MIGRATIONS[version] ?? '');
        await client.query('DELETE FROM schema_version');
        await client.query('INSERT INTO schema_version (version) VALUES ($1)', [version + 1]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return from;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
