import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { questionWords } from '../../src/commands/feedback.js';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../../src/store/migrations.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { StoreError, type Store } from '../../src/store/store.js';
import { MODERATOR } from '../support/content.js';
import { captureLogger } from '../support/logger.js';
import { postgresDatabasesForFile, postgresInstalled, startPostgres } from '../support/postgres.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function dbFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'article-bot-store-'));
  dirs.push(dir);
  return path.join(dir, 'state', 'bot.sqlite');
}
const DAY = 86_400_000;
const ask = (store: Store, question: string, covered: boolean, askerId = 'u1'): string =>
  store.recordQuestion({
    question,
    words: questionWords(question),
    outcome: covered ? 'answered' : 'uncovered',
    contentVersion: 'v1',
    askerId,
  });

describe('migrations', () => {
  it('bring an empty database to the current schema', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toBe(0);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()).toEqual([
      { name: 'answer_messages' },
      { name: 'answers' },
      { name: 'content_changes' },
      { name: 'feed_articles' },
      { name: 'feed_items' },
      { name: 'feed_threads' },
      { name: 'feeds' },
      { name: 'fleet_machines' },
      { name: 'identify_turns' },
      { name: 'imported_articles' },
      { name: 'meta' },
      { name: 'votes' },
    ]);
    db.close();
  });

  it('bring a database of the previous schema up to date, keeping its rows', () => {
    const db = new Database(':memory:');
    MIGRATIONS[0]?.(db);
    db.pragma('user_version = 1');
    db.prepare(
      "INSERT INTO answers (id, asked_at, content_version, question, covered, asker) VALUES ('a', 1, 'v', 'old question', 0, 'h')",
    ).run();
    expect(migrate(db)).toBe(1);
    expect(db.prepare('SELECT question, words FROM answers').all()).toEqual([
      { question: 'old question', words: null },
    ]);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuse a database written by a newer bot', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow('written by a newer version of the bot');
    db.close();
  });
});

/** One kind of store, opened fresh for each test: SQLite in a temporary file, or a new PostgreSQL database. */
interface Backend {
  name: string;
  open: (now?: () => number) => Promise<Store>;
}

/** A new, empty PostgreSQL database on the test server, by URL. */
const newDatabase = postgresDatabasesForFile('store_test');

const BACKENDS: Backend[] = [
  { name: 'SQLite', open: async (now) => SqliteStore.open(await dbFile(), now) },
  { name: 'PostgreSQL', open: async (now) => PostgresStore.open(await newDatabase(), captureLogger().logger, now) },
];

describe.each(BACKENDS)('the store in $name', ({ open }) => {
  it('records after the current turn, so the answer never waits for the database', async () => {
    const store = await open();
    const id = ask(store, 'what time does the bakery open?', false);
    expect(id).toMatch(/^[\w-]+$/);
    await store.flush();
    expect(await store.question(id)).toBe('what time does the bakery open?');
    await store.close();
  });

  it('keeps one vote per person per answer; a second press changes it', async () => {
    const store = await open();
    const id = ask(store, 'who won?', true);
    expect(await store.vote(id, 'alice', -1)).toBe('recorded');
    expect(await store.vote(id, 'alice', -1)).toBe('unchanged');
    expect(await store.vote(id, 'bob', -1)).toBe('recorded');
    expect(await store.vote(id, 'alice', 1)).toBe('changed');
    expect(await store.vote('no-such-answer', 'alice', 1)).toBe('unknown-answer');
    expect((await store.gaps(30)).disliked).toEqual([{ question: 'who won?', down: 1, up: 1 }]);
    await store.close();
  });

  it('groups near-duplicate uncovered questions and counts distinct askers, without keeping user ids', async () => {
    // A clock that moves on with each question, so which was asked last is never a tie.
    let now = Date.now();
    const store = await open(() => now++);
    ask(store, 'What time does the bakery open?', false, 'alice');
    ask(store, 'what time does the bakery open', false, 'bob');
    ask(store, 'When does the bakery open? What time?', false, 'bob');
    ask(store, 'who won the davis cup', false, 'carol');
    ask(store, 'who is Tom Homan?', true, 'carol');
    // The same words in another order and wording are one question, shown as last asked.
    expect((await store.gaps(30)).uncovered).toEqual([
      { question: 'When does the bakery open? What time?', times: 3, askers: 2 },
      { question: 'who won the davis cup', times: 1, askers: 1 },
    ]);
    const dump = JSON.stringify((await store.exportRows()).answers);
    for (const user of ['alice', 'bob', 'carol']) expect(dump).not.toContain(user);
    await store.close();
  });

  it('remembers which message carried which answer', async () => {
    const store = await open();
    const id = ask(store, 'who is Tom Homan?', true);
    await store.linkMessage('1300000000000000001', id);
    expect(await store.questionOfMessage('1300000000000000001')).toBe('who is Tom Homan?');
    expect(await store.questionOfMessage('1300000000000000002')).toBeNull();
    await store.close();
  });

  it('deletes questions and votes past the retention period', async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = await open(() => now);
    const old = ask(store, 'an old question', false);
    await store.vote(old, 'alice', -1);
    now += 91 * DAY;
    ask(store, 'a new question', false);
    expect(await store.purge(90)).toBe(1);
    expect(await store.question(old)).toBeNull();
    expect((await store.gaps(365)).uncovered.map((row) => row.question)).toEqual(['a new question']);
    expect((await store.gaps(365)).disliked).toEqual([]);
    await store.close();
  });

  it('keeps who imported each article while it is served, and every change for the retention period', async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = await open(() => now);
    const change = {
      slug: 'ferry',
      title: 'Night Ferry Returns',
      source: 'https://example.com/ferry',
      actor: MODERATOR,
    };
    await store.recordContentChange({ ...change, action: 'added' });
    now += DAY;
    await store.recordContentChange({ ...change, action: 'updated', title: 'Night Ferry Returns For Good' });
    expect(await store.importedArticles()).toEqual([
      {
        slug: 'ferry',
        title: 'Night Ferry Returns For Good',
        source: 'https://example.com/ferry',
        addedBy: MODERATOR,
        addedAt: Date.UTC(2026, 0, 1),
        updatedAt: Date.UTC(2026, 0, 2),
      },
    ]);
    now += DAY;
    await store.recordContentChange({ ...change, action: 'removed' });
    expect(await store.importedArticles()).toEqual([]);
    expect((await store.exportRows()).contentChanges.map((c) => [c.action, c.slug, c.actor_name])).toEqual([
      ['added', 'ferry', 'mona_mod'],
      ['updated', 'ferry', 'mona_mod'],
      ['removed', 'ferry', 'mona_mod'],
    ]);
    now += 91 * DAY;
    await store.purge(90);
    expect((await store.exportRows()).contentChanges).toEqual([]);
    await store.close();
  });
});

describe('the SQLite store', () => {
  it('creates its file on first use, and says which file when it cannot use one', async () => {
    const file = await dbFile();
    await SqliteStore.open(file).close();
    const corrupt = path.join(path.dirname(file), 'corrupt.sqlite');
    await writeFile(
      corrupt,
      'this is not a database, just text that is long enough to be read as a header '.repeat(20),
    );
    expect(() => SqliteStore.open(corrupt)).toThrow(StoreError);
    expect(() => SqliteStore.open(corrupt)).toThrow(`the database "${corrupt}" cannot be used (SQLITE_NOTADB)`);
  });
});

describe('the PostgreSQL store', () => {
  it('migrates once when two machines start together, and both share one salt', async () => {
    const url = await newDatabase();
    // The second machine's clock runs a second ahead, so its question is the one last asked.
    const [a, b] = await Promise.all([
      PostgresStore.open(url, captureLogger().logger),
      PostgresStore.open(url, captureLogger().logger, () => Date.now() + 1000),
    ]);
    const id = ask(a, 'who is Tom Homan?', false, 'alice');
    ask(b, 'who is tom homan', false, 'alice');
    await Promise.all([a.flush(), b.flush()]);
    // The same person asking on two machines is one asker.
    expect((await b.gaps(30)).uncovered).toEqual([{ question: 'who is tom homan', times: 2, askers: 1 }]);
    expect(await b.question(id)).toBe('who is Tom Homan?');
    await Promise.all([a.close(), b.close()]);
  });

  it('writes a question recorded while a batch is on its way, without being asked to', async () => {
    const url = await newDatabase();
    const [writer, reader] = await Promise.all([
      PostgresStore.open(url, captureLogger().logger),
      PostgresStore.open(url, captureLogger().logger),
    ]);
    ask(writer, 'first question', false, 'alice');
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is now being written
    ask(writer, 'second question', false, 'bob');
    let seen = 0;
    for (let i = 0; i < 100 && seen < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = (await reader.gaps(30)).uncovered.length;
    }
    expect(seen).toBe(2);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('records a vote or a message link given while the batch holding its answer is being written', async () => {
    const store = await PostgresStore.open(await newDatabase(), captureLogger().logger);
    const results: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = ask(store, `question ${i}`, true);
      await new Promise((resolve) => setImmediate(resolve)); // its batch is now on its way
      results.push(await store.vote(id, 'bob', -1));
      await store.linkMessage(`13000000000000001${String(i).padStart(2, '0')}`, id);
    }
    expect(results).toEqual(Array.from({ length: 20 }, () => 'recorded'));
    expect((await store.exportRows()).answerMessages).toHaveLength(20);
    await store.close();
  });

  it('says which database is down at start, by host and name and never its password', async () => {
    const error = await PostgresStore.open('postgres://bot:s3cret-pass@127.0.0.1:1/bot', captureLogger().logger).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^the database "127\.0\.0\.1:1\/bot" cannot be used \(ECONNREFUSED/);
    expect((error as Error).message).not.toContain('s3cret-pass');
  });

  it('keeps answering when the database goes away: recording waits in memory, reads give nothing, with a warning', async () => {
    if (!postgresInstalled()) throw new Error('PostgreSQL 15 is not installed here (apt install postgresql)');
    const own = await startPostgres();
    const log = captureLogger();
    const store = await PostgresStore.open(own.url, log.logger);
    await own.stop();
    const id = ask(store, 'who is Tom Homan?', true);
    expect(await store.question(id)).toBe('who is Tom Homan?');
    expect(await store.questionOfMessage('1300000000000000001')).toBeNull();
    await store.flush();
    expect(log.entries().map((e) => e.event)).toEqual(
      expect.arrayContaining(['store.write_failed', 'store.read_failed']),
    );
    await store.close().catch(() => undefined);
  }, 30_000);
});
