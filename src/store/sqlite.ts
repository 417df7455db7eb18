import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FeedStore } from './feeds.js';
import { migrate } from './migrations.js';
import { SqliteFeeds } from './sqliteFeeds.js';
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

/**
 * The bot's SQLite database (better-sqlite3, WAL mode so several processes can share it): the
 * questions asked and the votes on answers, for /gaps. Stores no user id, only a salted hash, and
 * deletes rows older than the retention period. Writes of questions are batched after the current
 * turn of the event loop, so recording never delays an answer.
 *
 * @example
 * const store = Store.open('state/bot.sqlite');
 * const id = store.recordQuestion({ question, words, outcome: 'uncovered', contentVersion, askerId });
 * store.vote(id, userId, -1);
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly salt: string;
  private pending: Array<QuestionRecord & { id: string; at: number }> = [];
  private flushScheduled = false;
  private readonly now: () => number;
  /** The feeds moderators follow, in the same file. */
  readonly feeds: FeedStore;

  private constructor(db: Database.Database, now: () => number) {
    this.db = db;
    this.now = now;
    this.feeds = new SqliteFeeds(db);
    const salt = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'salt'").get();
    this.salt = salt?.value ?? randomBytes(16).toString('hex');
    if (!salt) db.prepare("INSERT INTO meta (key, value) VALUES ('salt', ?)").run(this.salt);
  }

  /**
   * Opens (creating it and its directory on first use) and migrates the database at `file`.
   *
   * @throws {StoreError} naming the file when it cannot be created, is not a database, or is newer than this code.
   */
  static open(file: string, now: () => number = Date.now): SqliteStore {
    let db: Database.Database | undefined;
    try {
      if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 2000');
      migrate(db);
      return new SqliteStore(db, now);
    } catch (error) {
      db?.close();
      const reason = (error as { code?: string }).code ?? (error as Error).message;
      throw new StoreError(
        `the database "${file}" cannot be used (${reason}): move it aside, or set DATABASE_PATH to a writable file`,
      );
    }
  }

  /** Records a question (written with the next batch) and returns the id of its answer, for its buttons. */
  recordQuestion(record: QuestionRecord): string {
    const id = randomBytes(9).toString('base64url');
    this.pending.push({ ...record, id, at: this.now() });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushNow());
    }
    return id;
  }

  /** Writes the questions recorded so far, in one transaction. */
  flush(): Promise<void> {
    this.flushNow();
    return Promise.resolve();
  }

  /** Writes the questions recorded so far, in one transaction, now. */
  private flushNow(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const insert = this.db.prepare(
      'INSERT INTO answers (id, asked_at, content_version, question, covered, hedged, asker, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const r of batch)
        insert.run(
          r.id,
          r.at,
          r.contentVersion,
          r.question,
          r.outcome === 'uncovered' ? 0 : 1,
          r.outcome === 'hedged' ? 1 : 0,
          hashUserWith(this.salt, r.askerId),
          r.words,
        );
    })();
  }

  /** The question an answer was given to, or `null` when it is unknown (or past retention). */
  question(answerId: string): Promise<string | null> {
    return Promise.resolve(this.questionNow(answerId));
  }

  private questionNow(answerId: string): string | null {
    this.flushNow();
    return (
      this.db.prepare<[string], { question: string }>('SELECT question FROM answers WHERE id = ?').get(answerId)
        ?.question ?? null
    );
  }

  /** Remembers that a message carried an answer, so a reply to it can be read with its question. */
  linkMessage(messageId: string, answerId: string): Promise<void> {
    return settle(() => {
      this.flushNow();
      this.db
        .prepare('INSERT OR IGNORE INTO answer_messages (message_id, answer_id) VALUES (?, ?)')
        .run(messageId, answerId);
    });
  }

  /** The question answered in a message, or `null` when the message carried no answer (or it is past retention). */
  questionOfMessage(messageId: string): Promise<string | null> {
    return settle(() => {
      this.flushNow();
      return (
        this.db
          .prepare<[string], { question: string }>(
            'SELECT a.question FROM answer_messages m JOIN answers a ON a.id = m.answer_id WHERE m.message_id = ?',
          )
          .get(messageId)?.question ?? null
      );
    });
  }

  /** One vote per person per answer; a second vote replaces the first. */
  vote(answerId: string, voterId: string, value: 1 | -1): Promise<VoteResult> {
    return settle(() => {
      this.flushNow();
      if (this.questionNow(answerId) === null) return 'unknown-answer';
      const voter = hashUserWith(this.salt, voterId);
      const before = this.db
        .prepare<[string, string], { value: number }>('SELECT value FROM votes WHERE answer_id = ? AND voter = ?')
        .get(answerId, voter)?.value;
      if (before === value) return 'unchanged';
      this.db
        .prepare(
          'INSERT INTO votes (answer_id, voter, value, voted_at) VALUES (?, ?, ?, ?) ON CONFLICT (answer_id, voter) DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at',
        )
        .run(answerId, voter, value, this.now());
      return before === undefined ? 'recorded' : 'changed';
    });
  }

  /** What readers asked that the content did not answer, and the answers they disliked, over the last `days`. */
  gaps(days: number, limit = 10): Promise<GapsReport> {
    return settle(() => {
      this.flushNow();
      const since = this.now() - days * 86_400_000;
      /** The questions whose `column` is `value`, grouped by their words, most asked first. */
      const grouped = (column: 'covered' | 'hedged', value: 0 | 1): QuestionGroup[] =>
        this.db
          .prepare<{ since: number; limit: number; value: number }, QuestionGroup>(
            `SELECT (SELECT question FROM answers b WHERE b.${column} = @value AND b.words = a.words AND b.asked_at >= @since ORDER BY b.asked_at DESC LIMIT 1) AS question,
                    COUNT(*) AS times, COUNT(DISTINCT asker) AS askers
               FROM answers a WHERE a.${column} = @value AND asked_at >= @since
              GROUP BY words ORDER BY times DESC, askers DESC, MAX(asked_at) DESC LIMIT @limit`,
          )
          .all({ since, limit, value });
      const uncovered = grouped('covered', 0);
      const hedged = grouped('hedged', 1);
      const disliked = this.db
        .prepare<{ since: number; limit: number }, { question: string; down: number; up: number }>(
          `SELECT a.question AS question, SUM(v.value = -1) AS down, SUM(v.value = 1) AS up
             FROM votes v JOIN answers a ON a.id = v.answer_id
            WHERE v.voted_at >= @since GROUP BY a.id HAVING down > 0
            ORDER BY down DESC, up ASC, MAX(v.voted_at) DESC LIMIT @limit`,
        )
        .all({ since, limit });
      return { days, uncovered, hedged, disliked };
    });
  }

  /**
   * Records a change to the imported articles: the change itself (kept for the retention period)
   * and, for an added or updated article, who added it and when (kept while it is served).
   */
  recordContentChange(change: ContentChange): Promise<void> {
    return settle(() => {
      const at = this.now();
      this.db.transaction(() => {
        this.db
          .prepare(
            'INSERT INTO content_changes (at, action, slug, title, source, actor_id, actor_name) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(at, change.action, change.slug, change.title, change.source, change.actor.id, change.actor.name);
        if (change.action === 'removed')
          this.db.prepare('DELETE FROM imported_articles WHERE slug = ?').run(change.slug);
        else
          this.db
            .prepare(
              `INSERT INTO imported_articles (slug, title, source, added_by_id, added_by_name, added_at, updated_at, markdown)
             VALUES (@slug, @title, @source, @id, @name, @at, @at, @markdown)
             ON CONFLICT (slug) DO UPDATE SET title = excluded.title, source = excluded.source, updated_at = excluded.updated_at,
               markdown = excluded.markdown`,
            )
            .run({
              slug: change.slug,
              title: change.title,
              source: change.source,
              ...change.actor,
              at,
              markdown: change.markdown ?? null,
            });
      })();
    });
  }

  /** Who added each imported article, and when. */
  importedArticles(): Promise<ImportRecord[]> {
    return settle(() =>
      this.db
        .prepare<[], ImportedArticleRow>('SELECT * FROM imported_articles ORDER BY added_at DESC')
        .all()
        .map(importRecordOf),
    );
  }

  /** Deletes questions (and their votes), votes and content changes older than `days` (never feeds); returns how many questions went. */
  purge(days: number): Promise<number> {
    return settle(() => {
      this.flushNow();
      const before = this.now() - days * 86_400_000;
      return this.db.transaction(() => {
        this.db.prepare('DELETE FROM votes WHERE voted_at < ?').run(before);
        this.db.prepare('DELETE FROM content_changes WHERE at < ?').run(before);
        return this.db.prepare('DELETE FROM answers WHERE asked_at < ?').run(before).changes;
      })();
    });
  }

  exportRows(): Promise<StoreRows> {
    return settle(() => {
      this.flushNow();
      const all = <K extends keyof typeof EXPORT_QUERIES>(table: K): StoreRows[K] =>
        this.db.prepare<[], StoreRows[K][number]>(EXPORT_QUERIES[table]).all() as StoreRows[K];
      return {
        salt: this.salt,
        answers: all('answers'),
        votes: all('votes'),
        answerMessages: all('answerMessages'),
        importedArticles: all('importedArticles'),
        contentChanges: all('contentChanges'),
        feeds: all('feeds'),
        feedItems: all('feedItems'),
        feedArticles: all('feedArticles'),
        feedThreads: all('feedThreads'),
      };
    });
  }

  /** Writes what is pending and closes the database. */
  close(): Promise<void> {
    return settle(() => {
      this.flushNow();
      this.db.close();
    });
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
