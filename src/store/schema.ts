/** Column types as each database spells them; the steps below name them by these keys. */
export interface Dialect {
  int16: string;
  int32: string;
  int64: string;
  /** A row id the database assigns. */
  serial: string;
}

/** SQLite's types: every whole number is an INTEGER, and an INTEGER PRIMARY KEY is the row id. */
export const SQLITE: Dialect = { int16: 'INTEGER', int32: 'INTEGER', int64: 'INTEGER', serial: 'INTEGER PRIMARY KEY' };
/** PostgreSQL's types. */
export const POSTGRES: Dialect = {
  int16: 'SMALLINT',
  int32: 'INTEGER',
  int64: 'BIGINT',
  serial: 'BIGSERIAL PRIMARY KEY',
};

/**
 * The database schema, one step per version, written once for both databases: a database at
 * version N runs steps N+1… in order, each in its own transaction. Steps are only ever added,
 * never edited, so every older database reaches the same schema.
 */
const STEPS: readonly string[] = [
  // 1: questions asked (text, when, against which content, covered or not, a salted hash of who asked) and votes on answers.
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE answers (
     id TEXT PRIMARY KEY,
     asked_at {int64} NOT NULL,
     content_version TEXT NOT NULL,
     question TEXT NOT NULL,
     covered {int16} NOT NULL CHECK (covered IN (0, 1)),
     asker TEXT NOT NULL
   );
   CREATE INDEX answers_by_time ON answers (asked_at);
   CREATE TABLE votes (
     answer_id TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
     voter TEXT NOT NULL,
     value {int16} NOT NULL CHECK (value IN (-1, 1)),
     voted_at {int64} NOT NULL,
     PRIMARY KEY (answer_id, voter)
   );`,
  // 2: the words of each question after normalization, so near-duplicates group in /gaps.
  `ALTER TABLE answers ADD COLUMN words TEXT;
   CREATE INDEX answers_uncovered ON answers (covered, asked_at);`,
  // 3: which Discord message carried which answer, so a reply to it is read with its question.
  `CREATE TABLE answer_messages (
     message_id TEXT PRIMARY KEY,
     answer_id TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE
   );`,
  // 4: articles moderators imported (who added each, when), and every add, update and removal.
  `CREATE TABLE imported_articles (
     slug TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     source TEXT NOT NULL,
     added_by_id TEXT NOT NULL,
     added_by_name TEXT NOT NULL,
     added_at {int64} NOT NULL,
     updated_at {int64} NOT NULL
   );
   CREATE TABLE content_changes (
     id {serial},
     at {int64} NOT NULL,
     action TEXT NOT NULL CHECK (action IN ('added', 'updated', 'removed')),
     slug TEXT NOT NULL,
     title TEXT NOT NULL,
     source TEXT NOT NULL,
     actor_id TEXT NOT NULL,
     actor_name TEXT NOT NULL
   );
   CREATE INDEX content_changes_by_time ON content_changes (at);`,
  // 5: answers given only with low confidence (hedged), the third list of /gaps.
  `ALTER TABLE answers ADD COLUMN hedged {int16} NOT NULL DEFAULT 0 CHECK (hedged IN (0, 1));`,
  // 6: an imported article's Markdown beside its record, so it can be copied to another store (and shared).
  `ALTER TABLE imported_articles ADD COLUMN markdown TEXT;`,
  // 7: when each identify bucket may next log in to Discord, so the machines of a fleet take turns.
  `CREATE TABLE identify_turns (bucket {int32} PRIMARY KEY, next_at {int64} NOT NULL);`,
  // 8: the machines serving from this database and when each was last seen, so a content change knows whom to wait for.
  `CREATE TABLE fleet_machines (id TEXT PRIMARY KEY, label TEXT NOT NULL, seen_at {int64} NOT NULL);`,
  // 9: the feeds moderators follow (with each one's poll state and lease), the items seen in each, the stories they became and their threads.
  `CREATE TABLE feeds (
     id {serial},
     url TEXT NOT NULL UNIQUE,
     title TEXT NOT NULL,
     site_url TEXT,
     guild_id TEXT,
     channel_id TEXT,
     keywords TEXT NOT NULL,
     every_minutes {int32} NOT NULL,
     added_by_id TEXT NOT NULL,
     added_by_name TEXT NOT NULL,
     added_at {int64} NOT NULL,
     etag TEXT,
     last_modified TEXT,
     last_check_at {int64},
     next_check_at {int64} NOT NULL,
     failures {int32} NOT NULL DEFAULT 0,
     failing_since {int64},
     last_error TEXT,
     disabled_at {int64},
     disabled_reason TEXT,
     newest_title TEXT,
     newest_at {int64},
     unannounced {int32} NOT NULL DEFAULT 0,
     lease_owner TEXT,
     lease_until {int64}
   );
   CREATE INDEX feeds_by_next_check ON feeds (next_check_at);
   CREATE TABLE feed_items (
     feed_id {int64} NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
     item_id TEXT NOT NULL,
     seen_at {int64} NOT NULL,
     slug TEXT,
     skipped TEXT,
     announce {int16} NOT NULL DEFAULT 0 CHECK (announce IN (0, 1)),
     PRIMARY KEY (feed_id, item_id)
   );
   CREATE TABLE feed_articles (
     slug TEXT PRIMARY KEY,
     feed_id {int64} NOT NULL,
     feed_title TEXT NOT NULL,
     imported_at {int64} NOT NULL
   );
   CREATE INDEX feed_articles_by_time ON feed_articles (imported_at);
   CREATE INDEX feed_articles_by_feed ON feed_articles (feed_id);
   CREATE TABLE feed_threads (thread_id TEXT PRIMARY KEY, slug TEXT NOT NULL);
   CREATE INDEX feed_threads_by_slug ON feed_threads (slug);`,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = STEPS.length;

/** The steps in `dialect`'s types. */
export function schemaSteps(dialect: Dialect): string[] {
  return STEPS.map((step) => step.replace(/\{(int16|int32|int64|serial)\}/g, (_, key: keyof Dialect) => dialect[key]));
}
