import { describe, expect, it } from 'vitest';
import { FAKE_TOKEN, type MessageBody } from '../support/fakeDiscord/index.js';
import { twoShardGuilds } from '../support/shardGuilds.js';
import { fakeDiscords } from '../support/fakeDiscords.js';
import { startEntry } from '../support/run.js';

const startDiscord = fakeDiscords();

/** A fake Discord with two servers, one on each of two shards, and the bot started against it. */
async function startSharded(env: Record<string, string>) {
  const [first, second] = twoShardGuilds();
  const discord = await startDiscord({ shards: 2, guilds: [first, second], defaultTimeoutMs: 15_000 });
  const bot = startEntry('src/index.ts', [], {
    env: { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: discord.apiUrl, INDEX_CACHE: 'off', LOG_LEVEL: 'info', ...env },
    timeoutMs: 60_000,
  });
  return { first, second, discord, bot };
}

/** Checks the bot identified once for each of the two shards, then asks on the second server (shard 1). */
async function expectBothShardsServe(setup: Awaited<ReturnType<typeof startSharded>>): Promise<void> {
  const identifies = setup.discord.gatewayPayloads
    .filter((payload) => payload.op === 2)
    .map((payload) => (payload.d as { shard: [number, number] }).shard);
  expect(identifies.sort()).toEqual([
    [0, 2],
    [1, 2],
  ]);
  await setup.discord.waitForReady();
  const answer = await setup.discord
    .sendInteraction({
      type: 'command',
      name: 'ask',
      guildId: setup.second.id,
      channelId: setup.second.channels[0]?.id,
      options: { question: 'who is Tom Homan?' },
    })
    .reply();
  expect((answer.data as MessageBody).embeds?.[0]?.description).toContain('Tom Homan');
}

describe('SHARD_COUNT', () => {
  it('SHARD_MODE=process runs two shard processes, each identifying with its own shard, and /reload on one reloads both', async () => {
    const setup = await startSharded({ SHARD_COUNT: 'auto', SHARD_MODE: 'process' });
    const { second, discord, bot } = setup;
    try {
      await bot.waitFor(/"event":"shards.ready","shards":2/, 'stderr', 45_000);
      // Each shard process loads its own index.
      await bot.waitFor(/"event":"content.loaded"[\s\S]*"event":"content.loaded"/, 'stderr', 45_000);
      await expectBothShardsServe(setup);

      const reload = discord.sendInteraction({
        type: 'command',
        name: 'reload',
        user: 'moderator',
        guildId: second.id,
        channelId: second.channels[0]?.id,
      });
      const report = (await reload.editReply()).embeds ?? [];
      expect(report[0]?.title).toBe('Content reloaded');
      expect(report[1]).toMatchObject({ title: 'Where it is served: 2 of 2 have the change' });
      expect(report[1]?.description).toBe(
        '• Shard 0: reloaded, serving 1 article, 14 passages\n• Shard 1: reloaded, serving 1 article, 14 passages',
      );

      bot.child.kill('SIGTERM');
      const { code, stdout, stderr } = await bot.finish(true);
      expect(code).toBe(0);
      expect(stdout + stderr).not.toContain(FAKE_TOKEN);
    } finally {
      bot.child.kill('SIGKILL');
    }
  });

  it('runs every shard in one process by default, sharing one index that /reload swaps for all', async () => {
    const setup = await startSharded({ SHARD_COUNT: '2' });
    const { first, discord, bot } = setup;
    try {
      await bot.waitFor(/"event":"discord.ready"/, 'stderr', 45_000);
      await bot.waitFor(/"event":"content.loaded"/, 'stderr', 45_000);
      // One process: the index was built once.
      expect(bot.output().stderr.match(/"event":"discord.ready"/g)).toHaveLength(1);
      expect(bot.output().stderr.match(/"event":"content.loaded"/g)).toHaveLength(1);
      await expectBothShardsServe(setup);
      const report =
        (
          await discord
            .sendInteraction({ type: 'command', name: 'reload', user: 'moderator', guildId: first.id })
            .editReply()
        ).embeds ?? [];
      expect(report[0]?.title).toBe('Content reloaded');
      bot.child.kill('SIGTERM');
      expect((await bot.finish(true)).code).toBe(0);
    } finally {
      bot.child.kill('SIGKILL');
    }
  });
});
