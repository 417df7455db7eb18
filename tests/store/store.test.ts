import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { questionWords } from '../../src/commands/feedback.js';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../../src/store/migrations.js';
import { Store, StoreError } from '../../src/store/store.js';

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

describe('Store', () => {
  it('creates its file on first use, and says which file when it cannot use one', async () => {
    const file = await dbFile();
    Store.open(file).close();
    const corrupt = path.join(path.dirname(file), 'corrupt.sqlite');
    await writeFile(
      corrupt,
      'this is not a database, just text that is long enough to be read as a header '.repeat(20),
    );
    expect(() => Store.open(corrupt)).toThrow(StoreError);
    expect(() => Store.open(corrupt)).toThrow(`the database "${corrupt}" cannot be used (SQLITE_NOTADB)`);
  });

  it('records after the current turn, so the answer never waits for the disk', async () => {
    const store = Store.open(await dbFile());
    const id = ask(store, 'what time does the bakery open?', false);
    expect(id).toMatch(/^[\w-]+$/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.question(id)).toBe('what time does the bakery open?');
    store.close();
  });

  it('keeps one vote per person per answer; a second press changes it', async () => {
    const store = Store.open(await dbFile());
    const id = ask(store, 'who won?', true);
    expect(store.vote(id, 'alice', -1)).toBe('recorded');
    expect(store.vote(id, 'alice', -1)).toBe('unchanged');
    expect(store.vote(id, 'bob', -1)).toBe('recorded');
    expect(store.vote(id, 'alice', 1)).toBe('changed');
    expect(store.vote('no-such-answer', 'alice', 1)).toBe('unknown-answer');
    expect(store.gaps(30).disliked).toEqual([{ question: 'who won?', down: 1, up: 1 }]);
    store.close();
  });

  it('groups near-duplicate uncovered questions and counts distinct askers, without keeping user ids', async () => {
    const file = await dbFile();
    const store = Store.open(file);
    ask(store, 'What time does the bakery open?', false, 'alice');
    ask(store, 'what time does the bakery open', false, 'bob');
    ask(store, 'When does the bakery open? What time?', false, 'bob');
    ask(store, 'who won the davis cup', false, 'carol');
    ask(store, 'who is Tom Homan?', true, 'carol');
    // The same words in another order and wording are one question, shown as last asked.
    expect(store.gaps(30).uncovered).toEqual([
      { question: 'When does the bakery open? What time?', times: 3, askers: 2 },
      { question: 'who won the davis cup', times: 1, askers: 1 },
    ]);
    store.close();
    const raw = new Database(file, { readonly: true });
    const dump = JSON.stringify(raw.prepare('SELECT * FROM answers').all());
    for (const user of ['alice', 'bob', 'carol']) expect(dump).not.toContain(user);
    raw.close();
  });

  it('deletes questions and votes past the retention period', async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = Store.open(await dbFile(), () => now);
    const old = ask(store, 'an old question', false);
    store.vote(old, 'alice', -1);
    now += 91 * DAY;
    ask(store, 'a new question', false);
    expect(store.purge(90)).toBe(1);
    expect(store.question(old)).toBeNull();
    expect(store.gaps(365).uncovered.map((row) => row.question)).toEqual(['a new question']);
    expect(store.gaps(365).disliked).toEqual([]);
    store.close();
  });

  it('keeps who imported each article while it is served, and every change for the retention period', async () => {
    let now = Date.UTC(2026, 0, 1);
    const file = await dbFile();
    const store = Store.open(file, () => now);
    const mod = { id: '1300000000000000012', name: 'mona_mod' };
    const change = { slug: 'ferry', title: 'Night Ferry Returns', source: 'https://example.com/ferry', actor: mod };
    store.recordContentChange({ ...change, action: 'added' });
    now += DAY;
    store.recordContentChange({ ...change, action: 'updated', title: 'Night Ferry Returns For Good' });
    expect(store.importedArticles()).toEqual([
      {
        slug: 'ferry',
        title: 'Night Ferry Returns For Good',
        source: 'https://example.com/ferry',
        addedBy: mod,
        addedAt: Date.UTC(2026, 0, 1),
        updatedAt: Date.UTC(2026, 0, 2),
      },
    ]);
    now += DAY;
    store.recordContentChange({ ...change, action: 'removed' });
    expect(store.importedArticles()).toEqual([]);
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT action, slug, actor_name FROM content_changes ORDER BY id').all()).toEqual([
      { action: 'added', slug: 'ferry', actor_name: 'mona_mod' },
      { action: 'updated', slug: 'ferry', actor_name: 'mona_mod' },
      { action: 'removed', slug: 'ferry', actor_name: 'mona_mod' },
    ]);
    now += 91 * DAY;
    store.purge(90);
    expect(raw.prepare('SELECT COUNT(*) AS n FROM content_changes').get()).toEqual({ n: 0 });
    raw.close();
    store.close();
  });
});
