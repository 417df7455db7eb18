import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleText, ROOT } from '../support/content.js';
import { runEntry } from '../support/run.js';
import { replyBlocks } from '../support/terminalOutput.js';
import { page, startWebServer, type WebServer } from '../support/webServer.js';
import { readFile } from 'node:fs/promises';

let web: WebServer;
let dir: string;

beforeAll(async () => {
  web = await startWebServer({
    '/story': page(await readFile(path.join(ROOT, 'tests/fixtures/news-pages/wapo-1/source.html'))),
  });
  dir = await mkdtemp(path.join(tmpdir(), 'article-bot-cli-import-'));
});

afterAll(async () => {
  await web?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A state directory of its own for one test. */
async function stateDir(): Promise<string> {
  return mkdtemp(path.join(dir, 'state-'));
}

describe('npm run import', () => {
  it('imports a link into STATE_DIR, prints it as JSON, lists it, and npm run ask serves it', async () => {
    const STATE_DIR = await stateDir();
    const env = { STATE_DIR, IMPORT_ALLOW_PRIVATE: 'true' };
    const imported = await runEntry('src/import.ts', ['--json', web.url('/story')], { env });
    expect(imported.code).toBe(0);
    const file = path.join(STATE_DIR, 'articles', 'attack-stokes-instability-fears-in-north-africa.md');
    expect(JSON.parse(imported.stdout) as unknown).toEqual({
      slug: 'attack-stokes-instability-fears-in-north-africa',
      title: 'Attack stokes instability fears in North Africa',
      published: null,
      author: 'Erin Cunningham',
      // Its canonical link is on another site than the one it was fetched from: it is named by the latter.
      url: web.url('/story'),
      passages: expect.any(Number) as unknown,
      file,
    });
    const listed = await runEntry('src/import.ts', ['--list'], { env });
    expect(listed.stdout.split('\n')[0]).toMatch(
      /^Attack stokes instability fears in North Africa — undated · \d+ passages · imported by terminal on \d{4}-\d\d-\d\d$/,
    );
    const asked = await runEntry('src/terminal/cli.ts', ['--json', '--limit', '1', 'who stormed the museum?'], { env });
    const answer = JSON.parse(asked.stdout) as { results: Array<{ article: string }> };
    expect(answer.results[0]?.article).toBe('Attack stokes instability fears in North Africa');
    const removed = await runEntry('src/import.ts', ['--remove', 'attack-stokes-instability-fears-in-north-africa'], {
      env,
    });
    expect(removed.stdout).toBe(
      'Removed “Attack stokes instability fears in North Africa”. A running bot serves the change after /reload.\n',
    );
    expect(await readdir(path.join(STATE_DIR, 'articles'))).toEqual([]);
  });

  it('exits 1 with the reason in one line when it refuses', async () => {
    const STATE_DIR = await stateDir();
    const strict = await runEntry('src/import.ts', [web.url('/story')], { env: { STATE_DIR } });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe("error: 127.0.0.1 is a loopback address: links to the bot's own network are refused\n");
    const wrong = await runEntry('src/import.ts', ['--list', 'and-a-link'], { env: { STATE_DIR } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.split('\n')[0]).toBe('error: give one link or file, --list, or --remove SLUG');
  });
});

describe('/article in the terminal session', () => {
  it('adds a file from this machine, lists it, answers from it, and removes it', async () => {
    const STATE_DIR = await stateDir();
    const file = path.join(dir, 'harbour-bridge.md');
    await writeFile(file, articleText());
    const input = [
      `/article add ${file}`,
      'how many steel cables were replaced?',
      '/article list',
      '/article remove harbour',
      'how many steel cables were replaced?',
      '',
    ].join('\n');
    const { stdout, code } = await runEntry('src/index.ts', [], { input, env: { STATE_DIR } });
    expect(code).toBe(0);
    replyBlocks(stdout, [
      'Article added',
      'It begins',
      'Answer: how many steel cables were replaced?',
      'Articles served (2)',
      'Article removed',
      'Not covered: how many steel cables were replaced?',
    ]);
    expect(stdout).toContain('“Harbour Bridge Reopens” (published 2025-03-01, 4 passages), from ');
    expect(stdout).toContain('Harbour Bridge Reopens — 2025-03-01 · 4 passages · imported by terminal on ');
  });
});
