import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres.js';
import type { ContentChange, Machine } from '../../src/store/store.js';
import { eventually } from '../support/eventually.js';
import { MODERATOR } from '../support/content.js';
import { captureLogger } from '../support/logger.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

let server: TestPostgres;
let databases = 0;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server.stop();
});

const added = (slug: string, markdown = `---\ntitle: ${slug}\n---\n\nText of ${slug}.\n`) =>
  ({ action: 'added', slug, title: slug, source: `https://example.com/${slug}`, actor: MODERATOR, markdown }) satisfies
    ContentChange | { action: 'added'; markdown: string };

/** Two stores on one new database, as two machines have them. */
async function twoMachines(now?: () => number): Promise<[PostgresStore, PostgresStore]> {
  const url = await server.database(`shared_test_${++databases}`);
  return Promise.all([
    PostgresStore.open(url, captureLogger().logger, now),
    PostgresStore.open(url, captureLogger().logger, now),
  ]);
}

/** Resolves once `messages` holds one that `wanted` accepts. */
const heard = (messages: Array<string | null>, wanted: (m: string | null) => boolean) =>
  eventually(() => messages.some(wanted), { what: () => JSON.stringify(messages) });

describe('the articles machines share in PostgreSQL', () => {
  it('gives a slug to one machine only, even when two claim it at once, and records who added it', async () => {
    const [a, b] = await twoMachines();
    const claims = await Promise.all([
      a.shared.claimArticle(added('harbour-bridge')),
      b.shared.claimArticle(added('harbour-bridge', '---\ntitle: Other\n---\n\nOther.\n')),
    ]);
    expect(claims.sort()).toEqual([false, true]);
    expect((await a.importedArticles()).map((r) => [r.slug, r.addedBy.name])).toEqual([['harbour-bridge', 'mona_mod']]);
    expect((await b.exportRows()).contentChanges.map((c) => c.action)).toEqual(['added']);
    await Promise.all([a.close(), b.close()]);
  });

  it('gives each article a version that grows with every change, even in the same millisecond, and reads Markdown in batches', async () => {
    const [a, b] = await twoMachines(() => 1_700_000_000_000);
    for (let i = 0; i < 450; i++) expect(await a.shared.claimArticle(added(`story-${i}`))).toBe(true);
    const before = await b.shared.articleVersions();
    expect(before.size).toBe(450);
    await b.recordContentChange({ ...added('story-7', 'new text'), action: 'updated' });
    const after = await a.shared.articleVersions();
    expect(after.get('story-7')).toBeGreaterThan(before.get('story-7') ?? Infinity);
    expect(after.get('story-8')).toBe(before.get('story-8'));
    const markdown = await a.shared.markdownOf([...after.keys()]);
    expect(markdown.size).toBe(450);
    expect(markdown.get('story-7')).toBe('new text');
    await a.recordContentChange({ ...added('story-9'), action: 'removed' });
    expect((await b.shared.articleVersions()).has('story-9')).toBe(false);
    await Promise.all([a.close(), b.close()]);
  }, 30_000);

  it('tells every machine that joined what one publishes, counts the machines seen, and forgets one that leaves', async () => {
    const [a, b] = await twoMachines();
    const machines: Machine[] = [
      { id: 'a', label: 'bot-a:1 (shard 0)' },
      { id: 'b', label: 'bot-b:2 (shard 1)' },
    ];
    const heardBy: Array<Array<string | null>> = [[], []];
    await a.shared.join(machines[0] as Machine, (m) => heardBy[0]?.push(m));
    await b.shared.join(machines[1] as Machine, (m) => heardBy[1]?.push(m));
    expect(await a.shared.machines()).toEqual(machines);
    await a.shared.publish('{"kind":"changed"}');
    await heard(heardBy[1] ?? [], (m) => m === '{"kind":"changed"}');
    await heard(heardBy[0] ?? [], (m) => m === '{"kind":"changed"}');
    await b.shared.leave();
    expect(await a.shared.machines()).toEqual([machines[0]]);
    await Promise.all([a.close(), b.close()]);
  });

  it('listens again when its connection is cut, and says messages may have been missed', async () => {
    const url = await server.database(`shared_test_${++databases}`);
    const log = captureLogger();
    const [a, b] = await Promise.all([
      PostgresStore.open(url, captureLogger().logger),
      PostgresStore.open(url, log.logger),
    ]);
    const heardByB: Array<string | null> = [];
    await b.shared.join({ id: 'b', label: 'bot-b' }, (m) => heardByB.push(m));
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'");
    await admin.end();
    await heard(heardByB, (m) => m === null);
    await a.shared.publish('after');
    await heard(heardByB, (m) => m === 'after');
    expect(log.entries().map((e) => e.event)).toEqual(
      expect.arrayContaining(['fleet.channel_lost', 'fleet.channel_back']),
    );
    await Promise.all([a.close(), b.close()]);
  }, 30_000);
});
