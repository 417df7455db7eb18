import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { questionWords } from '../src/commands/feedback.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { runEntry } from './support/run.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('npm run gaps', () => {
  it('prints the /gaps report from the database, as text or JSON', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'article-bot-gaps-'));
    dirs.push(dir);
    const file = path.join(dir, 'bot.sqlite');
    const store = SqliteStore.open(file);
    for (const [question, askerId] of [
      ['what time does the bakery open?', 'a'],
      ['What time does the bakery open', 'b'],
    ]) {
      store.recordQuestion({
        question: question ?? '',
        words: questionWords(question ?? ''),
        outcome: 'uncovered',
        contentVersion: 'v1',
        askerId: askerId ?? '',
      });
    }
    const answer = store.recordQuestion({
      question: 'who is Tom Homan?',
      words: 'homan tom',
      outcome: 'answered',
      contentVersion: 'v1',
      askerId: 'a',
    });
    await store.vote(answer, 'b', -1);
    store.recordQuestion({
      question: 'fentanyl?',
      words: 'fentanyl',
      outcome: 'hedged',
      contentVersion: 'v1',
      askerId: 'c',
    });
    await store.close();

    const json = await runEntry('src/gaps.ts', ['--json', '--days', '7'], { env: { DATABASE_PATH: file } });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      days: 7,
      uncovered: [{ question: 'What time does the bakery open', times: 2, askers: 2 }],
      hedged: [{ question: 'fentanyl?', times: 1, askers: 1 }],
      disliked: [{ question: 'who is Tom Homan?', down: 1, up: 0 }],
    });
    const text = await runEntry('src/gaps.ts', [], { env: { DATABASE_PATH: file } });
    expect(text.stdout).toContain('What readers asked, the last 30 days\n');
    expect(text.stdout).toContain('  • 2× (2 people): What time does the bakery open');
    expect(text.stdout).toContain('  • 1 👎: who is Tom Homan?');
    expect(text.stdout).toContain('Answered only with low confidence, most asked first\n  • 1× (1 person): fentanyl?');
  });

  it('names the key of a bad option, and the file of a database it cannot use', async () => {
    const bad = await runEntry('src/gaps.ts', ['--days', 'lots'], {});
    expect([bad.code, bad.stderr]).toEqual([1, 'error: --days takes a whole number from 1 to 3650, not "lots"\n']);
    // A database "inside" a regular file cannot be created.
    const dir = await mkdtemp(path.join(tmpdir(), 'article-bot-gaps-'));
    dirs.push(dir);
    const blocker = path.join(dir, 'not-a-directory');
    await writeFile(blocker, 'x');
    const unusable = path.join(blocker, 'bot.sqlite');
    const missing = await runEntry('src/gaps.ts', [], { env: { DATABASE_PATH: unusable } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `error: the database "${unusable}" cannot be used (EEXIST): move it aside, or set DATABASE_PATH to a writable file\n`,
    );
  });
});
