import type Database from 'better-sqlite3';
import { SCHEMA_VERSION, schemaSteps, SQLITE } from './schema.js';

/** SQLite's migration steps (see schema.ts), each run in its own transaction; the version is kept in SQLite's `user_version`. */
export const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = schemaSteps(SQLITE).map(
  (sql) => (db) => db.exec(sql),
);

export { SCHEMA_VERSION };

/**
 * Brings a database up to {@link SCHEMA_VERSION}. Refuses a database from a newer version of the
 * bot rather than misreading it.
 *
 * @returns the version it was at.
 */
export function migrate(db: Database.Database): number {
  const from = Number(db.pragma('user_version', { simple: true }));
  if (from > SCHEMA_VERSION)
    throw new Error(
      `it was written by a newer version of the bot (schema ${from}; this one knows up to ${SCHEMA_VERSION})`,
    );
  for (let version = from; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      MIGRATIONS[version]?.(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return from;
}
