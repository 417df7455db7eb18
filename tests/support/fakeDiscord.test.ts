import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  Events,
  GatewayIntentBits,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClientOptions, loginFakeClient, startFakeDiscord } from './fakeDiscord/index.js';
import type { FakeDiscord } from './fakeDiscord/index.js';

const commands = [
  new SlashCommandBuilder().setName('ping').setDescription('Replies with pong'),
  new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question')
    .addStringOption((o) => o.setName('question').setDescription('What to ask').setRequired(true).setAutocomplete(true))
    .addIntegerOption((o) => o.setName('count').setDescription('How many answers')),
].map((c) => c.toJSON());

describe('fake Discord smoke test', () => {
  let discord: FakeDiscord;
  let client: Client;
  const seenMessages: string[] = [];

  beforeAll(async () => {
    discord = await startFakeDiscord();
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
      allowedMentions: { parse: [], repliedUser: false },
      ...fakeClientOptions(discord),
    });

    client.on(
      Events.InteractionCreate,
      (interaction) =>
        void (async () => {
          if (interaction.isChatInputCommand() && interaction.commandName === 'ping') {
            await interaction.reply('pong');
          } else if (interaction.isChatInputCommand() && interaction.commandName === 'ask') {
            await interaction.deferReply({ flags: MessageFlags.Ephemeral });
            const question = interaction.options.getString('question', true);
            const count = interaction.options.getInteger('count') ?? 1;
            const canManage = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
            const more = new ButtonBuilder()
              .setCustomId(`more:${count}`)
              .setLabel('More')
              .setStyle(ButtonStyle.Primary);
            await interaction.editReply({
              content: `answer to "${question}" x${count} (manager: ${canManage})`,
              components: [new ActionRowBuilder<ButtonBuilder>().addComponents(more)],
            });
          } else if (interaction.isAutocomplete()) {
            const typed = interaction.options.getFocused();
            await interaction.respond([{ name: `${typed} in politics`, value: `${typed}-politics` }]);
          } else if (interaction.isButton()) {
            await interaction.update({ content: `clicked ${interaction.customId}`, components: [] });
          }
        })(),
    );
    client.on(
      Events.MessageCreate,
      (message) =>
        void (async () => {
          seenMessages.push(message.content);
          if (message.author.bot || !client.user || !message.mentions.has(client.user)) return;
          await message.reply(`hello ${message.author.username}`);
        })(),
    );

    await loginFakeClient(client);
    await client.application?.commands.set(commands, discord.guild.id);
  });

  afterAll(async () => {
    await client?.destroy();
    await discord?.close();
  });

  it('connects, identifies once and registers commands', () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(discord.bot.id);
    expect(client.guilds.cache.get(discord.guild.id)?.name).toBe(discord.guild.name);
    expect(discord.identifyCount).toBe(1);
    expect(discord.gatewayConnections[0]).toBe('/gateway?v=10&encoding=json');
    expect(discord.registeredCommands(discord.guild.id).map((c) => c.name)).toEqual(['ping', 'ask']);
    expect(discord.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot')).toBe(true);
  });

  it('answers a slash command', async () => {
    const reply = await discord.sendInteraction({ type: 'command', name: 'ping' }).reply();
    expect(reply).toEqual({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: expect.objectContaining({
        content: 'pong',
        allowed_mentions: { parse: [], replied_user: false },
      }) as unknown,
    });
  });

  it('handles deferred replies, typed options, permissions, buttons and autocomplete', async () => {
    const ask = discord.sendInteraction({
      type: 'command',
      name: 'ask',
      options: { question: 'who won?', count: 2 },
      user: 'moderator',
    });
    expect(await ask.reply()).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: 64 },
    });
    const answer = await ask.editReply();
    expect(answer.content).toBe('answer to "who won?" x2 (manager: true)');
    expect((await ask.response()).content).toBe(answer.content);

    const click = discord.sendInteraction({ type: 'button', customId: 'more:2', user: 'moderator' });
    expect(click.payload.message?.id).toBe(discord.world.interactions.get(ask.id)?.originalMessageId);
    expect((await click.response()).content).toBe('clicked more:2');

    const auto = await discord
      .sendInteraction({ type: 'autocomplete', name: 'ask', options: { question: 'elec' } })
      .reply();
    expect(auto.data?.choices).toEqual([{ name: 'elec in politics', value: 'elec-politics' }]);
  });

  it('answers a message that mentions the bot and ignores the others', async () => {
    const ignored = discord.sendMessage({ content: 'just chatting' });
    const mention = discord.sendMessage({ content: `${discord.mention('bot')} hi there`, author: 'member' });
    const reply = await mention.reply();
    expect(reply.content).toBe(`hello ${discord.users.member.username}`);
    expect(reply.message_reference?.message_id).toBe(mention.id);
    expect(seenMessages).toContain('just chatting');
    const references = discord.outgoingMessages().map((m) => m.body.message_reference?.message_id);
    expect(references).not.toContain(ignored.id);
    // The fake stores what the bot sent; with allowed_mentions parse: [] it pings nobody.
    const stored = discord.messagesIn().at(-1);
    expect(stored?.author.id).toBe(discord.bot.id);
    expect(stored?.mentions).toEqual([]);
    // Bot messages (including interaction replies) are echoed over the gateway like on Discord.
    expect(seenMessages).toContain('pong');
  });

  it('sends allowed_mentions with parse: [] on every outgoing message', () => {
    const outgoing = discord.outgoingMessages().filter((m) => m.body.content !== undefined);
    expect(outgoing.length).toBeGreaterThanOrEqual(3);
    for (const message of outgoing) expect(message.body.allowed_mentions?.parse).toEqual([]);
  });

  it('survives 429s from the REST API', async () => {
    discord.failNext({
      method: 'POST',
      path: `/channels/${discord.channel.id}/messages`,
      status: 429,
      retryAfter: 0.05,
    });
    const handle = discord.sendMessage({ content: `${discord.mention('bot')} again` });
    expect((await handle.reply()).content).toBe(`hello ${discord.users.member.username}`);
    expect(handle.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('resumes after a resumable close (4000) and keeps answering', async () => {
    const resumed = await discord.closeGateway(4000);
    expect(resumed).toEqual([{ shardId: 0, kind: 'resume' }]);
    expect(discord.resumeCount).toBe(1);
    expect(discord.identifyCount).toBe(1);
    expect(discord.gatewayConnections.at(-1)).toBe('/gateway-resume?v=10&encoding=json');
    const resume = discord.gatewayPayloads.find((p) => p.op === 6);
    expect(resume?.d).toMatchObject({ session_id: discord.sessions[0]?.sessionId, seq: expect.any(Number) as unknown });

    const reply = await discord.sendInteraction({ type: 'command', name: 'ping' }).reply();
    expect(reply.data?.content).toBe('pong');
  });

  it('re-identifies after a normal close (1000)', async () => {
    expect(await discord.closeGateway(1000)).toEqual([{ shardId: 0, kind: 'identify' }]);
    expect(discord.identifyCount).toBe(2);
    const reply = await discord.sendInteraction({ type: 'command', name: 'ping' }).reply();
    expect(reply.data?.content).toBe('pong');
  });
});
