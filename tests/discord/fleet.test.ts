import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_TOKEN, type MessageBody } from '../support/fakeDiscord/index.js';
import { fakeDiscords } from '../support/fakeDiscords.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { askIn, twoShardGuilds } from '../support/shardGuilds.js';
import { startEntry, type RunningEntry } from '../support/run.js';

const startDiscord = fakeDiscords();
let postgres: TestPostgres;
const dirs: string[] = [];
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres.stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

type Buttons = { components: Array<{ custom_id: string; label: string }> } | undefined;
const buttonsOf = (body: MessageBody | undefined) => (body?.components?.[0] as Buttons)?.components ?? [];
const textOf = (body: MessageBody | undefined) =>
  (body?.embeds ?? []).map((e) => `${e.title ?? ''}\n${e.description ?? ''}`).join('\n');

describe('two machines on one PostgreSQL database', () => {
  it('each identifies only its SHARD_IDS, taking turns; /gaps on either sees both; one stopping leaves the other serving', async () => {
    const [first, second] = twoShardGuilds();
    const discord = await startDiscord({ shards: 2, guilds: [first, second], defaultTimeoutMs: 15_000 });
    const machine = async (shard: number): Promise<RunningEntry> => {
      const stateDir = await mkdtemp(path.join(tmpdir(), `article-bot-machine-${shard}-`));
      dirs.push(stateDir);
      return startEntry('src/index.ts', [], {
        env: {
          DISCORD_TOKEN: FAKE_TOKEN,
          DISCORD_API_URL: discord.apiUrl,
          SHARD_COUNT: '2',
          SHARD_IDS: String(shard),
          DATABASE_URL: postgres.url,
          STATE_DIR: stateDir,
          INDEX_CACHE: 'off',
          RATE_LIMIT: 'off',
          LOG_LEVEL: 'info',
        },
        timeoutMs: 90_000,
      });
    };
    const machines = await Promise.all([machine(0), machine(1)]);
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
});
