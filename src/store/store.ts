import { createHash } from 'node:crypto';
import type { FeedStore } from './feeds.js';

/** How a question was answered: confidently, only hedged (the closest passage), or not at all. */
export type Outcome = 'answered' | 'hedged' | 'uncovered';

/** A question to record; the store keeps no user id, only a salted hash of `askerId`. */
export interface QuestionRecord {
  question: string;
  /** The question's words after normalization (see `questionWords`), for grouping near-duplicates. */
  words: string;
  outcome: Outcome;
  /** Which content it was asked against (a short hash of the article files). */
  contentVersion: string;
  askerId: string;
}

/** Questions grouped by their words: the last wording asked, how often, by how many people. */
export interface QuestionGroup {
  question: string;
  times: number;
  askers: number;
}

/** What /gaps reports for a period. */
export interface GapsReport {
  days: number;
  /** Questions refused as not covered, grouped by their words, most asked first. */
  uncovered: QuestionGroup[];
  /** Questions answered only with low confidence (where an article is thin), grouped the same way. */
  hedged: QuestionGroup[];
  /** Answers that got 👎, most first, with the question that got them. */
  disliked: Array<{ question: string; down: number; up: number }>;
}

/** Who changed the content: a moderator's Discord id and name (kept, unlike askers', to account for what is served). */
export interface Actor {
  id: string;
  name: string;
}

/** One change to the imported articles. */
export interface ContentChange {
  action: 'added' | 'updated' | 'removed';
  slug: string;
  title: string;
  /** The link or file name it came from. */
  source: string;
  actor: Actor;
  /** The article in the project's format, for an added or updated one. */
  markdown?: string;
}

/** An imported article as the database knows it: who added it and when. */
export interface ImportRecord {
  slug: string;
  title: string;
  source: string;
  addedBy: Actor;
  addedAt: number;
  updatedAt: number;
}

/** A machine of a fleet: an id unique to the process, and a label people can read (host, process, shards). */
export interface Machine {
  id: string;
  label: string;
}

/**
 * What a store shared by several machines adds (PostgreSQL): the imported articles kept in the
 * database for every machine to serve, and a channel on which the machines tell each other of
 * changes (PostgreSQL's LISTEN/NOTIFY).
 *
 * @example
 * await shared.join(machine, (message) => (message === null ? resync() : hear(message)));
 * await shared.publish(JSON.stringify({ kind: 'changed', change, from: machine.id }));
 */
export interface SharedContent {
  /** Every imported article's slug and version: a number that changes with each change to the article. */
  articleVersions(): Promise<Map<string, number>>;
  /** The Markdown of the named articles; one imported before its Markdown was stored is absent. */
  markdownOf(slugs: readonly string[]): Promise<Map<string, string>>;
  /**
   * Records a new imported article (with its Markdown) under its slug, unless an article has it,
   * in one transaction: `false` then, and nothing is written. Two machines never take one slug.
   */
  claimArticle(change: ContentChange & { action: 'added'; markdown: string }): Promise<boolean>;
  /**
   * Joins the fleet as `machine`: it is counted among the machines seen until {@link leave}, and
   * `listener` hears every message published (this machine's own included), or `null` after the
   * channel was lost and found again, when messages may have been missed.
   */
  join(machine: Machine, listener: (message: string | null) => void): Promise<void>;
  /** The machines seen lately (this one included), by label. */
  machines(): Promise<Machine[]>;
  /** Sends `message` to every machine that has joined. */
  publish(message: string): Promise<void>;
  /** Stops listening and being counted. */
  leave(): Promise<void>;
}

/** The outcome of a vote. */
export type VoteResult = 'recorded' | 'changed' | 'unchanged' | 'unknown-answer';

/** The database cannot be opened or is not ours: said with its path, at start-up. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** Every row of a store, as both stores write them: what `npm run migrate-store` copies. */
export interface StoreRows {
  /** The salt of the user hashes: copied, so the same person stays one person. */
  salt: string;
  answers: Array<{
    id: string;
    asked_at: number;
    content_version: string;
    question: string;
    covered: number;
    hedged: number;
    asker: string;
    words: string | null;
  }>;
  votes: Array<{ answer_id: string; voter: string; value: number; voted_at: number }>;
  answerMessages: Array<{ message_id: string; answer_id: string }>;
  importedArticles: Array<{
    slug: string;
    title: string;
    source: string;
    added_by_id: string;
    added_by_name: string;
    added_at: number;
    updated_at: number;
    markdown: string | null;
  }>;
  contentChanges: Array<{
    at: number;
    action: string;
    slug: string;
    title: string;
    source: string;
    actor_id: string;
    actor_name: string;
  }>;
  /** The feeds followed, with their poll state; not their leases, which mean nothing in another database. */
  feeds: Array<{
    id: number;
    url: string;
    title: string;
    site_url: string | null;
    guild_id: string | null;
    channel_id: string | null;
    /** A JSON array of words. */
    keywords: string;
    every_minutes: number;
    added_by_id: string;
    added_by_name: string;
    added_at: number;
    etag: string | null;
    last_modified: string | null;
    last_check_at: number | null;
    next_check_at: number;
    failures: number;
    failing_since: number | null;
    last_error: string | null;
    disabled_at: number | null;
    disabled_reason: string | null;
    newest_title: string | null;
    newest_at: number | null;
    unannounced: number;
  }>;
  /** The items seen in each feed; `announce` is 1 while the story is still to be announced. */
  feedItems: Array<{
    feed_id: number;
    item_id: string;
    seen_at: number;
    slug: string | null;
    skipped: string | null;
    announce: number;
  }>;
  /** The stories taken from feeds, with the feed each came from (kept after the feed is removed). */
  feedArticles: Array<{ slug: string; feed_id: number; feed_title: string; imported_at: number }>;
  /** The Discord thread each story was announced with. */
  feedThreads: Array<{ thread_id: string; slug: string }>;
}

/**
 * Where the bot keeps what it records: the questions asked and the votes on answers (for /gaps),
 * which message carried which answer (for follow-ups), and who imported which article. SQLite at
 * DATABASE_PATH by default (`SqliteStore`), PostgreSQL when DATABASE_URL is set (`PostgresStore`),
 * shared then by every machine. Both store no user id, only a salted hash, and delete rows older
 * than the retention period. Recording a question never waits for the database: it is written with
 * the next batch.
 *
 * @example
 * const store = await openStore(config, logger);
 * const id = store.recordQuestion({ question, words, outcome: 'uncovered', contentVersion, askerId });
 * await store.vote(id, userId, -1);
 */
export interface Store {
  /** Records a question (written with the next batch) and returns the id of its answer, for its buttons. */
  recordQuestion(record: QuestionRecord): string;
  /** Writes the questions recorded so far. */
  flush(): Promise<void>;
  /** The question an answer was given to, or `null` when it is unknown (or past retention). */
  question(answerId: string): Promise<string | null>;
  /** Remembers that a message carried an answer, so a reply to it can be read with its question. */
  linkMessage(messageId: string, answerId: string): Promise<void>;
  /** The question answered in a message, or `null` when the message carried no answer (or it is past retention). */
  questionOfMessage(messageId: string): Promise<string | null>;
  /** One vote per person per answer; a second vote replaces the first. */
  vote(answerId: string, voterId: string, value: 1 | -1): Promise<VoteResult>;
  /** What readers asked that the content did not answer, and the answers they disliked, over the last `days`. */
  gaps(days: number, limit?: number): Promise<GapsReport>;
  /**
   * Records a change to the imported articles: the change itself (kept for the retention period)
   * and, for an added or updated article, who added it and when (kept while it is served).
   */
  recordContentChange(change: ContentChange): Promise<void>;
  /** Who added each imported article, and when, newest first. */
  importedArticles(): Promise<ImportRecord[]>;
  /**
   * Deletes questions (and their votes), votes and content changes older than `days` (never feeds or
   * their items and stories, which expire their own way); returns how many questions went.
   */
  purge(days: number): Promise<number>;
  /** Every row, for copying to another store. */
  exportRows(): Promise<StoreRows>;
  /**
   * Resolves when this process may identify a shard of identify bucket `bucket` with Discord:
   * every process on the same database takes turns, one per bucket per identify window, so
   * machines starting together do not exceed Discord's `max_concurrency`. Only a store shared by
   * machines has it (PostgreSQL).
   */
  identifyTurn?(bucket: number, signal: AbortSignal): Promise<void>;
  /** The imported articles and the channel every machine shares; only a store shared by machines has it (PostgreSQL). */
  readonly shared?: SharedContent;
  /** The feeds moderators follow, the items seen in them and the stories taken from them (see feeds.ts). */
  readonly feeds: FeedStore;
  /** Writes what is pending and closes the database. */
  close(): Promise<void>;
}

/** The query that reads each table of {@link StoreRows}, in the same order in either database. */
export const EXPORT_QUERIES = {
  answers: 'SELECT * FROM answers ORDER BY asked_at, id',
  votes: 'SELECT * FROM votes ORDER BY voted_at, answer_id, voter',
  answerMessages: 'SELECT * FROM answer_messages ORDER BY message_id',
  importedArticles: 'SELECT * FROM imported_articles ORDER BY slug',
  contentChanges: 'SELECT at, action, slug, title, source, actor_id, actor_name FROM content_changes ORDER BY at, id',
  feeds: `SELECT id, url, title, site_url, guild_id, channel_id, keywords, every_minutes, added_by_id, added_by_name, added_at,
           etag, last_modified, last_check_at, next_check_at, failures, failing_since, last_error, disabled_at,
           disabled_reason, newest_title, newest_at, unannounced
      FROM feeds ORDER BY id`,
  feedItems: 'SELECT * FROM feed_items ORDER BY feed_id, seen_at, item_id',
  feedArticles: 'SELECT * FROM feed_articles ORDER BY imported_at, slug',
  feedThreads: 'SELECT * FROM feed_threads ORDER BY thread_id',
} as const satisfies Record<Exclude<keyof StoreRows, 'salt'>, string>;

/** An imported article's row as either database returns it (PostgreSQL gives BIGINT columns as text). */
export type ImportedArticleRow = Omit<StoreRows['importedArticles'][number], 'added_at' | 'updated_at'> & {
  added_at: number | string;
  updated_at: number | string;
};

/** An imported article's row as the rest of the bot sees it. */
export function importRecordOf(row: ImportedArticleRow): ImportRecord {
  return {
    slug: row.slug,
    title: row.title,
    source: row.source,
    addedBy: { id: row.added_by_id, name: row.added_by_name },
    addedAt: Number(row.added_at),
    updatedAt: Number(row.updated_at),
  };
}

/** A salted hash of a user id: counts distinct people without keeping who they are. */
export function hashUserWith(salt: string, id: string): string {
  return createHash('sha256').update(`${salt}:${id}`).digest('hex').slice(0, 32);
}
