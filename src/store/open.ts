import type { Logger } from '../logger.js';
import type { Store } from './store.js';

/**
 * The store the configuration asks for: PostgreSQL at `databaseUrl` when it is set, else SQLite
 * at `databasePath` (created on first use). Either is migrated to this version's schema first.
 *
 * @throws {StoreError} naming the database and why it cannot be used.
 */
export async function openStore(
  config: { databaseUrl: string | null; databasePath: string },
  logger: Logger,
): Promise<Store> {
  if (config.databaseUrl !== null) {
    const { PostgresStore } = await import('./postgres.js');
    return PostgresStore.open(config.databaseUrl, logger);
  }
  const { SqliteStore } = await import('./sqlite.js');
  return SqliteStore.open(config.databasePath);
}
