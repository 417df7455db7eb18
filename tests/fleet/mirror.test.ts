import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loadArticles } from '../../src/content/loadArticles.js';
import { ArticleMirror } from '../../src/fleet/mirror.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { articleText, MODERATOR, SEED_DIR } from '../support/content.js';
import { captureLogger } from '../support/logger.js';
import { postgresAndDirForFile, startPostgres } from '../support/postgres.js';

const testbed = postgresAndDirForFile('article-bot-mirror-');

const change = <A extends 'added' | 'updated' | 'removed'>(
  action: A,
  slug: string,
  markdown = articleText({ title: slug }),
) => ({ action, slug, title: slug, source: `https://example.com/${slug}`, actor: MODERATOR, markdown });

describe("a machine's copy of the database's articles", () => {
  it('writes what the database has, rewrites only what changed, and removes what it no longer has', async () => {
    const url = await testbed.server.database('mirror');
    const store = await PostgresStore.open(url, captureLogger().logger);
    const mirror = new ArticleMirror(store.shared, path.join(testbed.dir, 'shared-articles'));
    const file = (slug: string) => path.join(mirror.dir, `${slug}.md`);
    expect(await mirror.sync()).toMatchObject({ changed: false, withoutMarkdown: [] });
    await store.shared.claimArticle(change('added', 'bridge'));
    await store.shared.claimArticle(change('added', 'ferry'));
    expect(await mirror.sync()).toMatchObject({ changed: true, withoutMarkdown: [] });
    // Served like any imports directory.
    const served = await loadArticles(SEED_DIR, mirror.dir);
    expect(served.problems).toEqual([]);
    expect(served.articles.filter((a) => a.origin === 'imported').map((a) => a.slug)).toEqual(['bridge', 'ferry']);

    const ferryWritten = (await stat(file('ferry'))).mtimeMs;
    expect((await mirror.sync()).changed).toBe(false);
    await store.recordContentChange(change('updated', 'bridge', articleText({ title: 'Bridge, updated' })));
    expect((await mirror.sync()).changed).toBe(true);
    expect(await readFile(file('bridge'), 'utf8')).toContain('title: Bridge, updated');
    expect((await stat(file('ferry'))).mtimeMs).toBe(ferryWritten);

    // The directory is the mirror's: a file the database does not have goes.
    await writeFile(file('stray'), articleText({ title: 'Stray' }));
    // Served in any case, so removed in any case: only `slug.md` of the database's slugs stays.
    await writeFile(path.join(mirror.dir, 'Bridge.MD'), articleText({ title: 'Shouting' }));
    await store.recordContentChange(change('removed', 'ferry'));
    expect((await mirror.sync()).changed).toBe(true);
    expect((await readdir(mirror.dir)).filter((n) => n.toLowerCase().endsWith('.md'))).toEqual(['bridge.md']);
    await store.close();
  });

  it('names the articles the database has no Markdown for, and leaves its files as they were when the database is down', async () => {
    const own = await startPostgres();
    const store = await PostgresStore.open(own.url, captureLogger().logger);
    const mirror = new ArticleMirror(store.shared, path.join(testbed.dir, 'down'));
    await store.shared.claimArticle(change('added', 'bridge'));
    // An import copied from a store of before its Markdown was kept, whose file was lost.
    const admin = new pg.Client({ connectionString: own.url });
    await admin.connect();
    await admin.query("INSERT INTO imported_articles VALUES ('old', 'Old', 'old.md', '1', 'MODERATOR', 1, 1, NULL)");
    await admin.end();
    expect(await mirror.sync()).toMatchObject({ changed: true, withoutMarkdown: ['old'] });
    await own.stop();
    await expect(mirror.sync()).rejects.toThrow();
    expect(await readdir(mirror.dir)).toContain('bridge.md');
    await store.close().catch(() => undefined);
  }, 30_000);
});
