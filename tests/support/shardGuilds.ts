import { defaultGuild, type FakeDiscord, type FakeGuild, type MessageBody } from './fakeDiscord/index.js';

/** Two servers of a bot run as two shards: the default one on shard 0, and one on shard 1 ((guild_id >> 22) % 2). */
export function twoShardGuilds(): [FakeGuild, FakeGuild] {
  const first = defaultGuild();
  const second = { ...defaultGuild(), id: (BigInt(first.id) + (1n << 22n)).toString(), name: 'Second newsroom' };
  return [first, second];
}

/** Asks `/ask question` in the first channel of `guild`, and gives the reply's body. */
export async function askIn(
  discord: FakeDiscord,
  guild: FakeGuild,
  question: string,
): Promise<MessageBody | undefined> {
  const reply = await discord
    .sendInteraction({
      type: 'command',
      name: 'ask',
      guildId: guild.id,
      channelId: guild.channels[0]?.id,
      options: { question },
    })
    .reply();
  return reply.data;
}
