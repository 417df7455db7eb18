import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleText } from '../support/content.js';
import { FAKE_TOKEN, type FakeDiscord, type FakeGuild, type MessageBody } from '../support/fakeDiscord/index.js';
import { fakeDiscords } from '../support/fakeDiscords.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { askIn, twoShardGuilds } from '../support/shardGuilds.js';
import { startEntry, type RunningEntry } from '../support/run.js';
import { page, startWebServer, type WebServer } from '../support/webServer.js';
import { textOf } from '../support/discordText.js';
import { startFeedSite, storyItem } from '../support/feedSite.js';

const startDiscord = fakeDiscords();
let postgres: TestPostgres;
let web: WebServer;
const dirs: string[] = [];
beforeAll(async () => {
  postgres = await startPostgres();
  web = await startWebServer({ '/bridge.md': page(articleText(), 'text/markdown; charset=utf-8') });
}, 60_000);
afterAll(async () => {
  await postgres.stop();
  await web.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

type Buttons = { components: Array<{ custom_id: string; label: string }> } | undefined;
const buttonsOf = (body: MessageBody | undefined) => (body?.components?.[0] as Buttons)?.components ?? [];
/** The reply's text with its lists (embed fields): names and values. */
const textWithLists = (body: MessageBody | undefined) =>
  (body?.embeds ?? [])
    .map((e) =>
      [e.title ?? '', e.description ?? '', ...(e.fields ?? []).map((f) => `${f.name}\n${f.value}`)].join('\n'),
    )
    .join('\n');
const BRIDGE = 'how many steel cables were replaced?';

/** A bot process running shard `shard` of 2 against `discord`, on a database of its own test (`database`), with a state directory of its own. */
async function startMachine(discord: FakeDiscord, database: string, shard: number): Promise<RunningEntry> {
  const stateDir = await mkdtemp(path.join(tmpdir(), `article-bot-machine-${shard}-`));
  dirs.push(stateDir);
  return startEntry('src/index.ts', [], {
    env: {
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      SHARD_COUNT: '2',
      SHARD_IDS: String(shard),
      DATABASE_URL: database,
      STATE_DIR: stateDir,
      CONTENT_GUILD_IDS: twoShardGuilds()
        .map((guild) => guild.id)
        .join(','),
      IMPORT_ALLOW_PRIVATE: 'true',
      INDEX_CACHE: 'off',
      RATE_LIMIT: 'off',
      LOG_LEVEL: 'info',
    },
    timeoutMs: 120_000,
  });
}

describe('two machines on one PostgreSQL database', () => {
  it('each identifies only its SHARD_IDS, taking turns; /gaps on either sees both; one stopping leaves the other serving', async () => {
    const [first, second] = twoShardGuilds();
    const discord = await startDiscord({ shards: 2, guilds: [first, second], defaultTimeoutMs: 15_000 });
    const database = await postgres.database('identify');
    const machines = await Promise.all([startMachine(discord, database, 0), startMachine(discord, database, 1)]);
    try {
      await Promise.all(machines.map((m) => m.waitFor(/"event":"discord.ready"/, 'stderr', 60_000)));
      const identifies = discord.gatewayPayloads
        .filter((payload) => payload.op === 2)
        .map((payload) => ({ shard: (payload.d as { shard: [number, number] }).shard, at: payload.at }))
        .sort((a, b) => a.at - b.at);
      // One identify per shard of the fleet, each from its own machine.
      expect(identifies.map((i) => i.shard).sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      // max_concurrency 1: the machines took turns, one login per 5 s window between them.
      expect((identifies[1]?.at ?? 0) - (identifies[0]?.at ?? 0)).toBeGreaterThanOrEqual(4900);

      // An unanswered question on shard 0's server, a 👎 on shard 1's.
      await askIn(discord, first, 'who won the 2018 world cup?');
      const answer = await askIn(discord, second, 'who is Tom Homan?');
      const down = buttonsOf(answer).find((b) => b.label === '👎');
      const vote = await discord
        .sendInteraction({ type: 'button', customId: down?.custom_id ?? '', guildId: second.id })
        .reply();
      expect(textOf(vote.data)).toContain('your 👎 is recorded');
      for (const guild of [first, second]) {
        const report = await discord
          .sendInteraction({
            type: 'command',
            name: 'gaps',
            user: 'moderator',
            guildId: guild.id,
            channelId: guild.channels[0]?.id,
          })
          .editReply();
        const text = (report.embeds ?? []).map((e) => JSON.stringify(e)).join('\n');
        expect(text).toContain('who won the 2018 world cup?');
        expect(text).toContain('who is Tom Homan?');
      }

      // Stopping one machine leaves the other answering.
      machines[0]?.child.kill('SIGTERM');
      expect((await machines[0]?.finish(true))?.code).toBe(0);
      expect(textOf(await askIn(discord, second, 'who is Tom Homan?'))).toContain('Tom Homan');
      machines[1]?.child.kill('SIGTERM');
      const { code, stdout, stderr } = (await machines[1]?.finish(true)) ?? { code: null, stdout: '', stderr: '' };
      expect(code).toBe(0);
      expect(stdout + stderr).not.toContain(FAKE_TOKEN);
    } finally {
      for (const m of machines) m.child.kill('SIGKILL');
    }
  }, 120_000);

  it('serves an article added on one machine from the other within 10 s; /reload and removals reach both and say so', async () => {
    const [first, second] = twoShardGuilds();
    const discord = await startDiscord({ shards: 2, guilds: [first, second], defaultTimeoutMs: 20_000 });
    const database = await postgres.database('articles');
    const machines = await Promise.all([startMachine(discord, database, 0), startMachine(discord, database, 1)]);
    const moderate = async (guild: FakeGuild, name: string, subcommand?: string, options?: Record<string, string>) =>
      textWithLists(
        await discord
          .sendInteraction({
            type: 'command',
            name,
            user: 'moderator',
            guildId: guild.id,
            channelId: guild.channels[0]?.id,
            ...(subcommand ? { subcommand } : {}),
            ...(options ? { options } : {}),
          })
          .editReply(),
      );
    try {
      await Promise.all(machines.map((m) => m.waitFor(/"event":"fleet.joined"/, 'stderr', 90_000)));

      // Added on shard 0's machine: its reply comes once both machines serve it.
      const asked = Date.now();
      const added = await moderate(first, 'article', 'add', { url: web.url('/bridge.md') });
      expect(added).toContain('Article added');
      expect(added).toContain('Where it is served: 2 of 2 have the change');
      expect(added).toMatch(/:\d+ \(shard 0\): reloaded, serving 2 articles/);
      expect(added).toMatch(/:\d+ \(shard 1\): reloaded, serving 2 articles/);
      expect(textOf(await askIn(discord, second, BRIDGE))).toContain('Engineers replaced 300 steel cables.');
      expect(Date.now() - asked).toBeLessThan(10_000);

      // /reload on the other machine reaches both.
      const reloaded = await moderate(second, 'reload');
      expect(reloaded).toContain('Content reloaded');
      expect(reloaded).toContain('Where it is served: 2 of 2 have the change');

      // A machine that does not answer (stopped, its last heartbeat still fresh) is named.
      machines[0]?.child.kill('SIGSTOP');
      const unanswered = await moderate(second, 'reload');
      machines[0]?.child.kill('SIGCONT');
      expect(unanswered).toContain('Where it is served: 1 of 2 have the change');
      expect(unanswered).toMatch(/:\d+ \(shard 0\): did not answer in time/);

      // Removed on shard 1's machine: shard 0's stops answering from it.
      const removed = await moderate(second, 'article', 'remove', { article: 'Harbour Bridge Reopens' });
      expect(removed).toContain('Article removed');
      expect(removed).toContain('Where it is served: 2 of 2 have the change');
      expect(textOf(await askIn(discord, first, BRIDGE))).not.toContain('Engineers replaced 300 steel cables.');
    } finally {
      for (const m of machines) m.child.kill('SIGKILL');
    }
  }, 150_000);

  it('announces each new story of a feed once, with both machines checking it at the same moment', async () => {
    const [first, base] = twoShardGuilds();
    // The second server's channel has an id of its own.
    const second = {
      ...base,
      channels: [{ ...base.channels[0], id: (BigInt(first.channels[0]?.id ?? 0) + 5n).toString(), name: 'general' }],
    };
    const discord = await startDiscord({ shards: 2, guilds: [first, second], defaultTimeoutMs: 30_000 });
    const database = await postgres.database('feeds');
    const news = await startFeedSite([storyItem('quanta-1', new Date('2026-11-30T10:00:00Z'))]);
    const machines = await Promise.all([startMachine(discord, database, 0), startMachine(discord, database, 1)]);
    const feed = async (guild: FakeGuild, subcommand: string, options: Record<string, string>) =>
      textWithLists(
        await discord
          .sendInteraction({
            type: 'command',
            name: 'feed',
            subcommand,
            options,
            user: 'moderator',
            guildId: guild.id,
            channelId: guild.channels[0]?.id,
          })
          .editReply(),
      );
    try {
      await Promise.all(machines.map((m) => m.waitFor(/"event":"fleet.joined"/, 'stderr', 90_000)));
      const channel = first.channels[0]?.id ?? '';
      expect(await feed(first, 'add', { url: news.feedUrl, channel })).toContain('Feed added');
      news.items.unshift(storyItem('wapo-1'));
      const checks = await Promise.all([feed(first, 'check', {}), feed(second, 'check', {})]);
      // One machine took it; the other found it taken, or nothing left to take.
      expect(checks.filter((reply) => reply.includes('Test News: 1 new story'))).toHaveLength(1);
      const [thread] = await discord.waitForThreads(channel, 1);
      expect(thread?.name).toBe('Attack stokes instability fears in North Africa');
      // Checked again from either machine: nothing new, nothing announced again.
      expect(await feed(second, 'check', {})).toContain('Test News: nothing new');
      expect(await feed(first, 'check', {})).toContain('Test News: nothing new');
      expect(discord.threads(channel)).toHaveLength(1);
      // The story answers on both machines.
      expect(textOf(await askIn(discord, second, 'who stormed the museum in Tunis?'))).toContain('Bardo');
    } finally {
      for (const m of machines) m.child.kill('SIGKILL');
      await news.close();
    }
  }, 150_000);
});
