import type Database from 'better-sqlite3';

/**
 * The database schema, one step per version; a database at version N runs steps N+1… in order,
 * each in its own transaction, and records the version in SQLite's `user_version`. Steps are only
 * ever added, never edited, so every older database reaches the same schema.
 */
export const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  // 1: questions asked (text, when, against which content, covered or not, a salted hash of who asked) and votes on answers.
  (db) =>
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE answers (
        id TEXT PRIMARY KEY,
        asked_at INTEGER NOT NULL,
        content_version TEXT NOT NULL,
        question TEXT NOT NULL,
        covered INTEGER NOT NULL CHECK (covered IN (0, 1)),
        asker TEXT NOT NULL
      );
      CREATE INDEX answers_by_time ON answers (asked_at);
      CREATE TABLE votes (
        answer_id TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
        voter TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value IN (-1, 1)),
        voted_at INTEGER NOT NULL,
        PRIMARY KEY (answer_id, voter)
      );
    `),
  // 2: the words of each question after normalization, so near-duplicates group in /gaps.
  (db) => {
    db.exec('ALTER TABLE answers ADD COLUMN words TEXT');
    db.exec('CREATE INDEX answers_uncovered ON answers (covered, asked_at)');
  },
  // 3: which Discord message carried which answer, so a reply to it is read with its question.
  (db) =>
    db.exec(`
      CREATE TABLE answer_messages (
        message_id TEXT PRIMARY KEY,
        answer_id TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE
      );
    `),
  // 4: articles moderators imported (who added each, when), and every add, update and removal.
  (db) =>
    db.exec(`
      CREATE TABLE imported_articles (
        slug TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        source TEXT NOT NULL,
        added_by_id TEXT NOT NULL,
        added_by_name TEXT NOT NULL,
        added_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE content_changes (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('added', 'updated', 'removed')),
        slug TEXT NOT NULL,
        title TEXT NOT NULL,
        source TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_name TEXT NOT NULL
      );
      CREATE INDEX content_changes_by_time ON content_changes (at);
    `),
  // 5: answers given only with low confidence (hedged), the third list of /gaps.
  (db) => db.exec('ALTER TABLE answers ADD COLUMN hedged INTEGER NOT NULL DEFAULT 0 CHECK (hedged IN (0, 1))'),
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

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
