import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ContentFleet } from '../../src/fleet/fleet.js';
import { KnowledgeBase } from '../../src/serving/knowledgeBase.js';
import { ArticleMirror } from '../../src/fleet/mirror.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { articleText, MODERATOR, SEED_DIR } from '../support/content.js';
import { eventually } from '../support/eventually.js';
import { captureLogger } from '../support/logger.js';
import { postgresAndDirForFile } from '../support/postgres.js';

const testbed = postgresAndDirForFile('article-bot-fleet-');

const bridge = {
  action: 'added' as const,
  slug: 'bridge',
  title: 'Harbour Bridge Reopens',
  source: 'https://example.com/bridge',
  actor: MODERATOR,
  markdown: articleText(),
};

/** A machine of the fleet: its store, its copy of the articles, its knowledge base (the seed article plus the copy), loaded. */
async function machine(url: string, name: string) {
  const log = captureLogger();
  const store = await PostgresStore.open(url, log.logger);
  const mirror = new ArticleMirror(store.shared, path.join(testbed.dir, name));
  await mirror.sync();
  const knowledge = KnowledgeBase.create(SEED_DIR, { importsDir: mirror.dir });
  await knowledge.reload();
  const fleet = new ContentFleet({
    knowledge,
    shared: store.shared,
    mirror,
    machine: { id: name, label: `host:${name}` },
    logger: log.logger,
    options: { answerWaitMs: 5000, pollMs: 300 },
  });
  await fleet.start();
  const slugs = () => knowledge.engine.articles.map((a) => a.slug);
  const events = (event: string) => log.entries().filter((e) => e.event === event);
  const stop = async () => {
    await fleet.stop();
    knowledge.close();
    await store.close();
  };
  return { store, mirror, knowledge, fleet, slugs, events, stop };
}

describe('the machines serving one database', () => {
  it('reloads every machine on a change and reports each; catches up on changes it was not told of', async () => {
    const url = await testbed.server.database('fleet');
    const [a, b] = await Promise.all([machine(url, 'a'), machine(url, 'b')]);
    try {
      await a.store.shared.claimArticle(bridge);
      const spread = await a.fleet.reload();
      expect(spread.places.map((p) => [p.where, p.applied, p.articles])).toEqual([
        ['host:a', true, 2],
        ['host:b', true, 2],
      ]);
      expect(spread.missing).toEqual([]);
      expect(b.slugs()).toContain('bridge');

      // Removed without an announcement, and B's copy synced by another process sharing its
      // directory (`npm run import` on that machine): B still finds it has to reload.
      await a.store.recordContentChange({ ...bridge, action: 'removed' });
      await new ArticleMirror(a.store.shared, b.mirror.dir).sync();
      await eventually(() => !b.slugs().includes('bridge'));

      // Its channel cut: once back, it reloads whatever the mirror says (DATA_DIR may have changed unannounced).
      const before = b.events('fleet.caught_up').length;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'");
      await admin.end();
      await eventually(() => b.events('fleet.caught_up').length > before);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 60_000);

  it('makes the other machines look only at the files their mirror wrote for an import, and at every file for a /reload', async () => {
    const url = await testbed.server.database('limited');
    const [a, b] = await Promise.all([machine(url, 'a'), machine(url, 'b')]);
    try {
      await a.store.shared.claimArticle(bridge);
      const spread = await a.fleet.reload({ imported: ['bridge.md'] });
      expect(spread.places.map((p) => [p.where, p.applied, p.articles])).toEqual([
        ['host:a', true, 2],
        ['host:b', true, 2],
      ]);
      expect(b.events('fleet.reloaded').at(-1)).toMatchObject({ files: 1 });
      // A /reload (no files named) has every machine look at every file.
      await a.fleet.reload();
      await eventually(() => b.events('fleet.reloaded').at(-1)?.files === 'all');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 60_000);

  it('answers a burst of changes with few reloads, and ignores messages it cannot read', async () => {
    const url = await testbed.server.database('burst');
    const b = await machine(url, 'b');
    const sender = await PostgresStore.open(url, captureLogger().logger);
    const heard: string[] = [];
    await sender.shared.join({ id: 'sender', label: 'sender' }, (m) => m !== null && heard.push(m));
    try {
      for (let i = 0; i < 5; i++)
        await sender.shared.publish(JSON.stringify({ kind: 'changed', change: `c${i}`, from: 'sender' }));
      await sender.shared.publish('not json');
      await sender.shared.publish(
        JSON.stringify({
          kind: 'reloaded',
          change: 'c0',
          from: 'x',
          outcome: { where: 'x'.repeat(500), applied: true, articles: 1, passages: 1, problems: 0 },
        }),
      );
      const answered = () =>
        heard.filter((m) => m.startsWith('{')).map((m) => JSON.parse(m) as { kind: string; from: string });
      await eventually(() => answered().filter((m) => m.kind === 'reloaded' && m.from === 'b').length === 5);
      expect(b.events('fleet.reloaded').length).toBeLessThanOrEqual(2);
      expect(b.events('fleet.message_unreadable')).toHaveLength(2);
    } finally {
      await sender.close();
      await b.stop();
    }
  }, 60_000);
});
