import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedSite, storyItem, type FeedSite } from '../support/feedSite.js';
import { runEntry } from '../support/run.js';
import { page } from '../support/webServer.js';

let news: FeedSite;
let dir: string;

beforeAll(async () => {
  news = await startFeedSite([storyItem('quanta-1', new Date('2026-11-30T10:00:00Z'))]);
  dir = await mkdtemp(path.join(tmpdir(), 'article-bot-cli-feeds-'));
});

afterAll(async () => {
  await news?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('npm run feeds', () => {
  it('adds a feed from a page of its site, checks it for new stories, lists it and removes it; npm run ask answers its stories', async () => {
    const env = { STATE_DIR: dir, IMPORT_ALLOW_PRIVATE: 'true', FEED_BACKFILL: '0' };
    const added = await runEntry('src/feeds.ts', ['add', news.homeUrl, '--json'], { env });
    expect(added.stderr).toBe('');
    expect(JSON.parse(added.stdout) as unknown).toMatchObject({
      title: 'Test News',
      url: news.feedUrl,
      items: 1,
      newest: ['Story quanta-1'],
    });
    news.items.unshift(storyItem('wapo-1'));
    const checked = await runEntry('src/feeds.ts', ['check', 'test news'], { env });
    expect(checked.stdout).toBe('Test News: 1 new story\n  Attack stokes instability fears in North Africa\n');
    const again = await runEntry('src/feeds.ts', ['check', '--json'], { env });
    expect(JSON.parse(again.stdout) as unknown).toMatchObject({
      checked: [{ feed: news.feedUrl, outcome: 'unchanged', stories: [] }],
    });
    const listed = await runEntry('src/feeds.ts', ['list', '--json'], { env });
    expect(JSON.parse(listed.stdout) as unknown).toMatchObject({
      feeds: [
        { title: 'Test News', state: 'ok', stories: 1, newest: 'Attack stokes instability fears in North Africa' },
      ],
    });
    const asked = await runEntry('src/terminal/cli.ts', ['--json', '--limit', '1', 'who stormed the museum?'], { env });
    const answer = JSON.parse(asked.stdout) as { results: Array<{ article: string }> };
    expect(answer.results[0]?.article).toBe('Attack stokes instability fears in North Africa');
    const imports = await runEntry('src/import.ts', ['--list'], { env });
    expect(imports.stdout).toMatch(
      /Attack stokes instability fears in North Africa — .* · from the feed “Test News” on /,
    );
    const removed = await runEntry('src/feeds.ts', ['remove', 'Test News', '--delete-articles'], { env });
    expect(removed.stdout).toBe('No longer following “Test News”; 1 of its stories removed.\n');
    expect((await runEntry('src/feeds.ts', ['list'], { env })).stdout).toBe('No feed is followed.\n');
  });

  it('says why a feed cannot be followed, in one line, and exits 1', async () => {
    const env = { STATE_DIR: dir, IMPORT_ALLOW_PRIVATE: 'true' };
    // The story names no feed, and the site's own is gone from its usual path.
    news.fail(page('not here', 'text/plain', 404));
    const refused = await runEntry('src/feeds.ts', ['add', news.web.url('/stories/wapo-1')], { env });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/No feed can be followed at .*: .*/);
    const usage = await runEntry('src/feeds.ts', ['follow'], { env });
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('give add, list, remove or check');
  });
});
