import {
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  OverwriteType,
  PermissionFlagsBits,
  Routes,
  type AnyThreadChannel,
  type APIThreadChannel,
  type ForumChannel,
  type NewsChannel,
  type TextChannel,
  type ThreadAutoArchiveDuration,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  botDenied,
  defaultGuild,
  fakeClientOptions,
  FIXTURE_IDS,
  loginFakeClient,
  startFakeDiscord,
  type FakeDiscord,
} from './fakeDiscord/index.js';

const id = (n: number) => (BigInt(FIXTURE_IDS.generalChannel) + BigInt(n)).toString();
const NEWS = id(1);
const ANNOUNCEMENTS = id(2);
const FORUM = id(3);
/** A text channel where the bot may neither embed links nor start threads. */
const LOCKED = id(4);

/** What announcing needs, as the bot checks it. */
const NEEDED = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.CreatePublicThreads,
  PermissionFlagsBits.SendMessagesInThreads,
];

const story = (title: string) => ({
  embeds: [{ title, description: 'What happened.\n\nAsk about it in the thread.', color: 0x5865f2 }],
  allowedMentions: { parse: [] },
});

/** The error a discord.js call failed with. */
async function failure(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(error instanceof DiscordAPIError)) throw new Error(`Expected a DiscordAPIError, got ${String(error)}`);
  return error;
}

describe('fake Discord threads, forums and channel permissions', () => {
  let discord: FakeDiscord;
  let client: Client;
  /** Messages the client saw that mention it: where they were, as discord.js resolved the channel. */
  const mentions: { channelId: string; isThread: boolean; parentId: string | null; content: string }[] = [];
  const createdThreads: { id: string; newlyCreated: boolean }[] = [];

  beforeAll(async () => {
    const guild = defaultGuild();
    guild.channels.push(
      { id: NEWS, name: 'news', type: ChannelType.GuildText },
      { id: ANNOUNCEMENTS, name: 'announcements', type: ChannelType.GuildAnnouncement },
      { id: FORUM, name: 'stories', type: ChannelType.GuildForum, topic: 'One post per story' },
      {
        id: LOCKED,
        name: 'locked',
        type: ChannelType.GuildText,
        permissionOverwrites: [botDenied(['EmbedLinks', 'CreatePublicThreads'])],
      },
    );
    discord = await startFakeDiscord({ guilds: [guild] });
    client = await connect();
  });

  /** A client that answers mentions and slash commands with where it got them. */
  async function connect(): Promise<Client> {
    const client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
      allowedMentions: { parse: [], repliedUser: false },
      ...fakeClientOptions(discord),
    });
    client.on(Events.ThreadCreate, (thread, newlyCreated) => createdThreads.push({ id: thread.id, newlyCreated }));
    client.on(
      Events.MessageCreate,
      (message) =>
        void (async () => {
          if (message.author.bot || !client.user || !message.mentions.has(client.user)) return;
          const channel = message.channel;
          mentions.push({
            channelId: channel.id,
            isThread: channel.isThread(),
            parentId: channel.isThread() ? channel.parentId : null,
            content: message.content,
          });
          await message.reply({ content: `answer in ${channel.isThread() ? channel.name : 'a channel'}` });
        })(),
    );
    client.on(
      Events.InteractionCreate,
      (interaction) =>
        void (async () => {
          if (!interaction.isChatInputCommand()) return;
          const channel = interaction.channel;
          const embeds = interaction.appPermissions.has(PermissionFlagsBits.EmbedLinks);
          await interaction.reply({
            content: `${interaction.commandName} in ${channel?.isThread() ? `thread ${channel.name}` : 'channel'}, embeds: ${embeds}`,
            allowedMentions: { parse: [] },
          });
        })(),
    );
    await loginFakeClient(client);
    return client;
  }

  afterAll(async () => {
    await client?.destroy();
    await discord?.close();
  });

  const textChannel = (channelId: string) => client.channels.cache.get(channelId) as TextChannel;

  it('lists forum and announcement channels in GUILD_CREATE like text channels', () => {
    expect(client.channels.cache.get(FORUM)?.type).toBe(ChannelType.GuildForum);
    expect(client.channels.cache.get(ANNOUNCEMENTS)?.type).toBe(ChannelType.GuildAnnouncement);
    expect((client.channels.cache.get(FORUM) as ForumChannel).topic).toBe('One post per story');
  });

  it('sends a story and starts a public thread on it in a text channel', async () => {
    const posted = await textChannel(NEWS).send(story('Bridge reopens'));
    const thread = await posted.startThread({ name: 'Bridge reopens', autoArchiveDuration: 1440 });

    // As on Discord: the thread's id is the message's, and it is a public thread of the channel.
    expect(thread.id).toBe(posted.id);
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(thread.parentId).toBe(NEWS);
    expect(thread.autoArchiveDuration).toBe(1440);
    expect(client.channels.cache.get(thread.id)).toBe(thread);

    const [view] = discord.threads(NEWS);
    expect(view).toMatchObject({ id: posted.id, name: 'Bridge reopens', parentId: NEWS, ownerId: discord.bot.id });
    expect(view?.starterMessage?.embeds[0]?.title).toBe('Bridge reopens');
    expect(view?.starterMessage?.channel_id).toBe(NEWS);
    expect((view?.starterMessage?.flags ?? 0) & MessageFlags.HasThread).toBe(MessageFlags.HasThread);
    expect(view?.messages).toEqual([]);

    // Messages in the thread go to the thread, which GET /channels/:id knows.
    await thread.send({ content: 'first reply', allowedMentions: { parse: [] } });
    expect(discord.thread(thread.id).messages.map((m) => m.content)).toEqual(['first reply']);
    expect(discord.messagesIn(NEWS).map((m) => m.id)).toEqual([posted.id]);
    const fetched = await client.channels.fetch(thread.id, { force: true });
    expect(fetched?.isThread() && fetched.parentId).toBe(NEWS);

    // One thread per message (discord.js checks it too, so ask the REST API directly).
    const again = await failure(client.rest.post(Routes.threads(NEWS, posted.id), { body: { name: 'Again' } }));
    expect(again.code).toBe(160004);
  });

  it('dispatches THREAD_CREATE (newly_created) and answers with an announcement thread in an announcement channel', async () => {
    const posted = await (client.channels.cache.get(ANNOUNCEMENTS) as NewsChannel).send(story('Election night'));
    // Raw REST, so the client learns of the thread from the gateway only.
    const data = (await client.rest.post(Routes.threads(ANNOUNCEMENTS, posted.id), {
      body: { name: 'Election night', auto_archive_duration: 60 },
    })) as APIThreadChannel;
    expect(data).toMatchObject({ id: posted.id, type: ChannelType.AnnouncementThread, parent_id: ANNOUNCEMENTS });
    expect(data.thread_metadata?.auto_archive_duration).toBe(60);
    expect(data.member?.user_id).toBe(discord.bot.id);

    await expect
      .poll(() => createdThreads.find((t) => t.id === posted.id))
      .toEqual({
        id: posted.id,
        newlyCreated: true,
      });
    const [view] = await discord.waitForThreads(ANNOUNCEMENTS);
    expect(view?.type).toBe(ChannelType.AnnouncementThread);
  });

  it('creates a forum post whose first message has the thread id', async () => {
    const forum = client.channels.cache.get(FORUM) as ForumChannel;
    const thread = await forum.threads.create({
      name: 'Storm warning',
      autoArchiveDuration: 1440,
      message: story('Storm warning'),
    });
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(thread.parentId).toBe(FORUM);
    const starter = await thread.fetchStarterMessage();
    expect(starter?.id).toBe(thread.id);
    expect(starter?.embeds[0]?.title).toBe('Storm warning');

    const [view] = discord.threads(FORUM);
    expect(view).toMatchObject({ id: thread.id, name: 'Storm warning', parentId: FORUM });
    expect(view?.starterMessage?.channel_id).toBe(thread.id);
    expect(view?.starterMessage?.embeds[0]?.title).toBe('Storm warning');
    expect(view?.messages).toEqual([]);
    expect(discord.outgoingMessages().find((m) => m.kind === 'forum-post')?.body.allowed_mentions).toEqual({
      parse: [],
    });

    // A forum takes posts, not messages.
    expect((await failure(client.rest.post(Routes.channelMessages(FORUM), { body: { content: 'hi' } }))).code).toBe(
      50008,
    );
  });

  it("validates thread names, archive durations and the post's message like Discord", async () => {
    const forum = client.channels.cache.get(FORUM) as ForumChannel;
    const tooLong = await failure(forum.threads.create({ name: 'x'.repeat(101), message: story('A') }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.code).toBe(50035);
    expect(JSON.stringify(tooLong.rawError)).toContain('name');

    const duration = await failure(
      forum.threads.create({
        name: 'ok',
        autoArchiveDuration: 30 as ThreadAutoArchiveDuration,
        message: story('A'),
      }),
    );
    expect(JSON.stringify(duration.rawError)).toContain('auto_archive_duration');

    const empty = await failure(forum.threads.create({ name: 'ok', message: { content: '' } }));
    expect(empty.code).toBe(50006);
    const longTitle = await failure(forum.threads.create({ name: 'ok', message: story('t'.repeat(300)) }));
    expect(JSON.stringify(longTitle.rawError)).toContain('message.embeds.0.title');

    const posted = await textChannel(NEWS).send({ content: 'plain', allowedMentions: { parse: [] } });
    expect((await failure(posted.startThread({ name: ' ' }))).code).toBe(50035);
    expect(discord.threads(FORUM)).toHaveLength(1);
  });

  it('denies the bot permissions through permission_overwrites, seen by permissionsFor and enforced by REST', async () => {
    const me = client.user;
    if (!me) throw new Error('not logged in');
    const locked = textChannel(LOCKED);
    expect(discord.world.channelPayload(LOCKED)).toMatchObject({
      permission_overwrites: [
        {
          id: discord.bot.id,
          type: OverwriteType.Member,
          allow: '0',
          deny: (PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.CreatePublicThreads).toString(),
        },
      ],
    });
    expect(locked.permissionsFor(me)?.missing(NEEDED)).toEqual(['EmbedLinks', 'CreatePublicThreads']);
    expect(textChannel(NEWS).permissionsFor(me)?.missing(NEEDED)).toEqual([]);

    const embed = await failure(locked.send(story('Nope')));
    expect([embed.status, embed.code, embed.message]).toEqual([403, 50013, 'Missing Permissions']);
    const plain = await locked.send({ content: 'text is fine', allowedMentions: { parse: [] } });
    const thread = await failure(plain.startThread({ name: 'Nope' }));
    expect([thread.status, thread.code]).toEqual([403, 50013]);
    expect(discord.threads(LOCKED)).toEqual([]);

    // Interactions carry the bot's permissions in their channel.
    const reply = await discord.sendInteraction({ type: 'command', name: 'where', channelId: LOCKED }).reply();
    expect(reply.data?.content).toBe('where in channel, embeds: false');

    // Changed while connected: CHANNEL_UPDATE tells the client, and threads follow their parent.
    const forum = client.channels.cache.get(FORUM) as ForumChannel;
    await discord.denyBot(FORUM, ['SendMessages', 'SendMessagesInThreads']);
    expect(forum.permissionsFor(me)?.missing(NEEDED)).toEqual(['SendMessages', 'SendMessagesInThreads']);
    const post = await failure(forum.threads.create({ name: 'Nope', message: story('Nope') }));
    expect([post.status, post.code]).toEqual([403, 50013]);
    const existing = discord.threads(FORUM)[0];
    if (!existing) throw new Error('no forum post');
    const inThread = await failure(
      client.rest.post(Routes.channelMessages(existing.id), { body: { content: 'hello' } }),
    );
    expect(inThread.code).toBe(50013);

    await discord.allowBot(FORUM, ['SendMessages', 'SendMessagesInThreads']);
    expect(forum.permissionsFor(me)?.missing(NEEDED)).toEqual([]);
  });

  it("delivers a user's message in a thread to messageCreate with the thread as its channel", async () => {
    const posted = await textChannel(NEWS).send(story('Fire downtown'));
    const thread = await posted.startThread({ name: 'Fire downtown', autoArchiveDuration: 1440 });

    const question = discord.sendMessage({ channelId: thread.id, content: `${discord.mention('bot')} where?` });
    expect(question.message.channel_id).toBe(thread.id);
    const answer = await question.reply();
    expect(answer.content).toBe('answer in Fire downtown');
    expect(answer.message_reference?.message_id).toBe(question.id);
    expect(mentions.at(-1)).toEqual({
      channelId: thread.id,
      isThread: true,
      parentId: NEWS,
      content: `<@${discord.bot.id}> where?`,
    });
    expect(discord.thread(thread.id).messages.map((m) => [m.author.id, m.content])).toEqual([
      [discord.users.member.id, `<@${discord.bot.id}> where?`],
      [discord.bot.id, 'answer in Fire downtown'],
    ]);
  });

  it('takes a slash command in a thread, its channel being the thread', async () => {
    const forum = client.channels.cache.get(FORUM) as ForumChannel;
    const thread: AnyThreadChannel = await forum.threads.create({ name: 'Quake', message: story('Quake') });
    const ask = discord.sendInteraction({ type: 'command', name: 'ask', channelId: thread.id, user: 'member' });
    expect(ask.payload.channel?.id).toBe(thread.id);
    expect(ask.payload.guild_id).toBe(discord.guild.id);
    expect((await ask.reply()).data?.content).toBe('ask in thread Quake, embeds: true');
    expect(discord.thread(thread.id).messages.map((m) => m.content)).toEqual(['ask in thread Quake, embeds: true']);
  });

  it('lets a user start threads and forum posts, and lists active threads in GUILD_CREATE', async () => {
    const post = discord.startThread({ channelId: FORUM, name: 'Reader question', content: 'Is this true?' });
    expect(post.starterMessage?.content).toBe('Is this true?');
    const own = discord.startThread({ name: 'Side chat' });
    expect(own).toMatchObject({ parentId: discord.channel.id, starterMessage: null, ownerId: discord.users.member.id });

    const asked = discord.sendMessage({ channelId: post.id, content: `${discord.mention('bot')} is it?` });
    expect((await asked.reply()).content).toBe('answer in Reader question');
    expect(() => discord.sendMessage({ channelId: FORUM, content: 'hi' })).toThrow(/forum/);

    // A new client learns of the active threads from GUILD_CREATE.
    await client.destroy();
    client = await connect();
    expect(client.channels.cache.get(own.id)?.isThread()).toBe(true);
    expect(client.channels.cache.get(post.id)?.isThread()).toBe(true);
    const active = await client.guilds.cache.get(discord.guild.id)?.channels.fetchActiveThreads();
    expect(active?.threads.map((t) => t.id)).toContain(own.id);
    const later = discord.sendMessage({ channelId: own.id, content: `${discord.mention('bot')} still there?` });
    expect((await later.reply()).content).toBe('answer in Side chat');
    expect(mentions.at(-1)).toMatchObject({ channelId: own.id, isThread: true, parentId: discord.channel.id });
  });
});
