import { ChannelType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, embedLength } from '../../src/discord/limits.js';
import { startTestBot, type TestBot } from '../support/bot.js';
import { articleText, makeContentDir } from '../support/content.js';
import { defaultGuild, type MessageBody } from '../support/fakeDiscord/index.js';
import { answerText } from '../support/discordText.js';

const HELPER_ROLE = '1300000000000000401';
const HELPER = '1300000000000000021';
const ASK_CHANNEL = '1300000000000000201';
const longSentence = (n: number): string =>
  `Insight number ${n} explains, at some length, ${'how the harbour authority weighed costs, timing and safety '.repeat(12).trim()}.`;

let t: TestBot;
let content: Awaited<ReturnType<typeof makeContentDir>>;

beforeAll(async () => {
  // Twelve articles with long insights: enough to overflow every Discord limit if nothing cut them.
  const files: Record<string, string> = {};
  for (let i = 1; i <= 12; i++) {
    const insights = Array.from({ length: 8 }, (_, n) => `- ${longSentence(n + 1)}`).join('\n');
    files[`article-${i}.md`] = articleText({ title: `Harbour Report ${i}` }).replace(
      '- Repairs cost 40 million euros.\n- Cyclists get a separate lane.',
      insights,
    );
  }
  content = await makeContentDir(files);
  const guild = defaultGuild();
  guild.roles.push({ id: HELPER_ROLE, name: 'Helper', permissions: PermissionFlagsBits.ViewChannel, position: 1 });
  guild.members.push({ userId: HELPER, roleIds: [HELPER_ROLE] });
  guild.channels.push({ id: ASK_CHANNEL, name: 'ask-the-article', type: ChannelType.GuildText });
  t = await startTestBot({
    dataDir: content.dir,
    env: {
      RATE_LIMIT: '3/30s',
      ASK_CHANNEL_IDS: ASK_CHANNEL,
      MESSAGE_CONTENT_INTENT: 'true',
      MOD_ROLE_IDS: HELPER_ROLE,
    },
    fake: {
      guilds: [guild],
      users: { helper: { id: HELPER, username: 'hana_helper', globalName: 'Hana' } },
      interactionDeadlineMs: 3000,
    },
  });
});

afterAll(async () => {
  await t?.stop();
  await content?.dispose();
});

const embedsOf = (body: MessageBody | undefined) => body?.embeds ?? [];

describe('Discord limits', () => {
  it('cuts a reply that would overflow them: at most 10 embeds, 6,000 characters, 4,096 per description', async () => {
    const reply = await t.discord.sendInteraction({ type: 'command', name: 'insights', user: 'owner' }).reply();
    const embeds = embedsOf(reply.data);
    expect(embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
    expect(embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    for (const embed of embeds) expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    const cut = embeds.filter((embed) => embed.description?.endsWith(' …'));
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.some((embed) => /\. …$/.test(embed.description ?? ''))).toBe(true);
  });
});

describe('moderator roles', () => {
  it('lets a member with a MOD_ROLE_IDS role reload, without Manage Server', async () => {
    const edit = await t.discord.sendInteraction({ type: 'command', name: 'reload', user: HELPER }).editReply();
    expect(embedsOf(edit)[0]?.title).toBe('Content reloaded');
  });
});

describe('ask channels', () => {
  it('answers questions there without a mention, and leaves chatter alone', async () => {
    expect(
      t.discord.sendMessage({ content: 'thanks everyone, see you tomorrow', channelId: ASK_CHANNEL, author: 'admin' })
        .delivered,
    ).toBe(true);
    const question = t.discord.sendMessage({
      content: 'how many steel cables were replaced?',
      channelId: ASK_CHANNEL,
      author: 'admin',
    });
    const reply = await question.reply();
    expect(reply.message_reference?.message_id).toBe(question.id);
    expect(answerText(reply)).toContain('**Engineers replaced 300 steel cables.**');
    expect(t.discord.messagesIn(ASK_CHANNEL).filter((m) => m.author.id === t.discord.bot.id)).toHaveLength(1);
  });
});

describe('rate limit', () => {
  it('gives the fourth question in 30 s a private, polite cooldown, without answering it', async () => {
    const ask = (question: string) =>
      t.discord.sendInteraction({ type: 'command', name: 'ask', user: 'member', options: { question } }).reply();
    for (const question of ['fentanyl', 'steel cables', 'storms'])
      expect((await ask(question)).data?.flags ?? 0).toBe(0);
    const limited = await ask('cyclists');
    expect(limited.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(embedsOf(limited.data)[0]?.description).toMatch(
      /^You're asking quickly: please wait \d+ seconds? and ask again\.$/,
    );
    // Other users are not held back by this one.
    expect(
      (
        await t.discord
          .sendInteraction({ type: 'command', name: 'ask', user: 'owner', options: { question: 'cyclists' } })
          .reply()
      ).data?.flags ?? 0,
    ).toBe(0);
  });

  it('says so once to someone flooding with mentions, then only marks their messages with ⏳', async () => {
    const mention = t.discord.mention('bot');
    for (const question of ['fentanyl', 'steel', 'storms'])
      await t.discord.sendMessage({ content: `${mention} ${question}?`, author: 'moderator' }).reply();
    const first = t.discord.sendMessage({ content: `${mention} cables?`, author: 'moderator' });
    expect(embedsOf(await first.reply())[0]?.title).toBe('One moment');
    const before = t.discord.outgoingMessages().length;
    const again = t.discord.sendMessage({ content: `${mention} again?`, author: 'moderator' });
    expect(await again.reaction()).toBe('⏳');
    await t.discord.sendMessage({ content: `${mention} who reopened the bridge?`, author: 'owner' }).reply();
    expect(t.discord.outgoingMessages().length - before).toBe(1);
  });
});
