import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { ArticleImporter } from '../../src/importing/importer.js';
import { shelfFor } from '../../src/importing/importShelf.js';
import { DEFAULT_FETCH_LIMITS } from '../../src/importing/safeFetch.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { MODERATOR } from '../support/content.js';
import { captureLogger } from '../support/logger.js';
import { postgresAndDirForFile, startPostgres } from '../support/postgres.js';
import { page, startWebServer, type WebServer } from '../support/webServer.js';

const testbed = postgresAndDirForFile('article-bot-shelf-');
let web: WebServer;
beforeAll(async () => {
  web = await startWebServer({
    '/bridge.txt': page('Harbour Bridge Reopens\n\nThe Harbour Bridge reopened on Monday.\n', 'text/plain'),
    '/ferry.txt': page(
      'Harbour Bridge Reopens\n\nA different story with the same title, about the ferry.\n',
      'text/plain',
    ),
  });
});
afterAll(async () => {
  await web.close();
});

/** An importer on the shelf a machine with `store` gets, its copy of the articles in a directory of its own. */
function machine(store: PostgresStore, name: string) {
  const { shelf, mirror } = shelfFor(path.join(testbed.dir, name), store, captureLogger().logger);
  const importer = new ArticleImporter({
    shelf,
    policy: { ...DEFAULT_FETCH_LIMITS, allowPrivate: true },
    logger: captureLogger().logger,
    served: () => [],
  });
  return { importer, mirror, dir: path.join(testbed.dir, name) };
}
const txt = (name: string) => ({ kind: 'attachment', url: web.url(`/${name}`), name, size: 90 }) as const;
const mdFiles = async (at: string) => (await readdir(at)).filter((n) => n.endsWith('.md')).sort();

describe('imports kept in the database every machine shares', () => {
  it('keeps two stories of one title apart when two machines import them at once, and every machine gets both', async () => {
    const url = await testbed.server.database('shelf');
    const stores = await Promise.all([0, 1].map(() => PostgresStore.open(url, captureLogger().logger)));
    const [a, b] = stores.map((store, i) => machine(store, `machine-${i}`));
    if (!a || !b) throw new Error('two machines');
    const [one, two] = await Promise.all([
      a.importer.add(txt('bridge.txt'), MODERATOR),
      b.importer.add(txt('ferry.txt'), MODERATOR),
    ]);
    expect([one.slug, two.slug].sort()).toEqual(['harbour-bridge-reopens', 'harbour-bridge-reopens-2']);
    await Promise.all([a.mirror?.sync(), b.mirror?.sync()]);
    for (const m of [a, b])
      expect(await mdFiles(m.dir)).toEqual(['harbour-bridge-reopens-2.md', 'harbour-bridge-reopens.md']);

    // Removed on one machine: gone from the database, and from the other's copy at its next sync.
    await b.importer.remove(one.slug, MODERATOR);
    await a.mirror?.sync();
    expect(await mdFiles(a.dir)).toEqual([`${two.slug}.md`]);
    expect((await stores[0]?.importedArticles())?.map((r) => r.slug)).toEqual([two.slug]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('changes nothing, and says so, when the database does not answer', async () => {
    const own = await startPostgres();
    const store = await PostgresStore.open(own.url, captureLogger().logger);
    const m = machine(store, 'down');
    await own.stop();
    const error = await m.importer.add(txt('bridge.txt'), MODERATOR).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      'The database that keeps the articles for every machine did not answer, so nothing was changed. Try again in a moment.',
    );
    expect(await mdFiles(m.dir).catch(() => [])).toEqual([]);
    await store.close().catch(() => undefined);
  }, 30_000);
});
