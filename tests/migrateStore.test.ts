import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { questionWords } from '../src/commands/feedback.js';
import { PostgresStore } from '../src/store/postgres.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { articleText, MODERATOR } from './support/content.js';
import { captureLogger } from './support/logger.js';
import { postgresAndDirForFile } from './support/postgres.js';
import { runEntry } from './support/run.js';

const testbed = postgresAndDirForFile('article-bot-migrate-');

/** A SQLite state as a bot leaves it: questions of every outcome, votes, an answer's message, and an import from before schema 6 (its Markdown only in its file). */
async function sqliteState(): Promise<string> {
  const file = path.join(testbed.dir, 'bot.sqlite');
  // A clock that moves on with each row, so which question was asked last is never a tie.
  let now = Date.now();
  const store = SqliteStore.open(file, () => now++);
  const record = (question: string, outcome: 'answered' | 'hedged' | 'uncovered', askerId: string): string =>
    store.recordQuestion({ question, words: questionWords(question), outcome, contentVersion: 'v1', askerId });
  record('what time does the bakery open?', 'uncovered', 'alice');
  record('What time does the bakery open', 'uncovered', 'bob');
  record('fentanyl?', 'hedged', 'carol');
  const answer = record('who is Tom Homan?', 'answered', 'alice');
  await store.vote(answer, 'bob', -1);
  await store.vote(answer, 'carol', 1);
  await store.linkMessage('1300000000000000001', answer);
  await store.recordContentChange({
    action: 'added',
    slug: 'bridge',
    title: 'Harbour Bridge Reopens',
    source: 'https://example.com/bridge',
    actor: MODERATOR,
  });
  await store.close();
  await mkdir(path.join(testbed.dir, 'articles'), { recursive: true });
  await writeFile(path.join(testbed.dir, 'articles', 'bridge.md'), articleText());
  return file;
}

describe('npm run migrate-store', () => {
  it('copies a SQLite state into PostgreSQL, twice without doubling anything, with the same /gaps report', async () => {
    const file = await sqliteState();
    const before = SqliteStore.open(file);
    const expected = await before.gaps(30);
    await before.close();

    const env = { DATABASE_PATH: file, STATE_DIR: testbed.dir };
    for (let run = 0; run < 2; run++) {
      const { stdout, stderr, code } = await runEntry('src/migrateStore.ts', ['--to', testbed.server.url], { env });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('4 questions, 2 votes, 1 imported articles, 1 content changes');
      expect(stdout).toContain('It now holds 4 questions and 1 imported articles.');
    }

    const copy = await PostgresStore.open(testbed.server.url, captureLogger().logger);
    expect(await copy.gaps(30)).toEqual(expected);
    expect(expected.uncovered).toEqual([{ question: 'What time does the bakery open', times: 2, askers: 2 }]);
    expect(await copy.questionOfMessage('1300000000000000001')).toBe('who is Tom Homan?');
    const rows = await copy.exportRows();
    expect(rows.votes).toHaveLength(2);
    expect(rows.contentChanges).toHaveLength(1);
    expect(rows.importedArticles[0]?.markdown).toBe(articleText());
    // The same person is still one person: a vote by bob on the copy replaces his vote.
    const answer = rows.answers.find((a) => a.question === 'who is Tom Homan?')?.id ?? '';
    expect(await copy.vote(answer, 'bob', 1)).toBe('changed');
    await copy.close();
  });

  it('says what is wrong in one line: no target, or a database it cannot reach', async () => {
    const none = await runEntry('src/migrateStore.ts', [], { env: { STATE_DIR: testbed.dir } });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^error: --to takes a PostgreSQL URL/);
    const down = await runEntry('src/migrateStore.ts', ['--to', 'postgres://bot:pw-secret@127.0.0.1:1/bot'], {
      env: { DATABASE_PATH: path.join(testbed.dir, 'bot.sqlite'), STATE_DIR: testbed.dir },
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('the database "127.0.0.1:1/bot" cannot be used (ECONNREFUSED');
    expect(down.stderr).not.toContain('pw-secret');
    expect(down.stderr).not.toMatch(/\n\s+at /);
  });
});
