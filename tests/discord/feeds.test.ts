import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChannelType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot.js';
import { shown } from '../support/discordText.js';
import { botDenied, defaultGuild, FIXTURE_IDS, type MessageBody } from '../support/fakeDiscord/index.js';
import { startFeedSite, storyItem, type FeedSite } from '../support/feedSite.js';
import { page } from '../support/webServer.js';

/** The channels stories are announced in: a text channel, a forum, and one where the bot may not post embeds. */
const NEWS_CHANNEL = (BigInt(FIXTURE_IDS.generalChannel) + 10n).toString();
const FORUM = (BigInt(FIXTURE_IDS.generalChannel) + 11n).toString();
const LOCKED = (BigInt(FIXTURE_IDS.generalChannel) + 12n).toString();
const HOUR = 60 * 60_000;

let news: FeedSite;
let forumNews: FeedSite;
let stateDir: string;
let t: TestBot;

beforeAll(async () => {
  news = await startFeedSite([storyItem('quanta-1', new Date('2026-11-30T10:00:00Z'))]);
  forumNews = await startFeedSite([storyItem('salon-1', new Date('2026-11-30T10:00:00Z'))]);
  stateDir = await mkdtemp(path.join(tmpdir(), 'article-bot-feeds-discord-'));
  const guild = defaultGuild();
  t = await startTestBot({
    env: {
      STATE_DIR: stateDir,
      IMPORT_ALLOW_PRIVATE: 'true',
      RATE_LIMIT: 'off',
      IMPORT_RATE_LIMIT: 'off',
      FEED_BACKFILL: '1',
    },
    databasePath: path.join(stateDir, 'bot.sqlite'),
    fake: {
      guilds: [
        {
          ...guild,
          channels: [
            ...guild.channels,
            { id: NEWS_CHANNEL, name: 'news', type: ChannelType.GuildText },
            { id: FORUM, name: 'stories', type: ChannelType.GuildForum },
            {
              id: LOCKED,
              name: 'locked',
              type: ChannelType.GuildText,
              permissionOverwrites: [botDenied(['EmbedLinks', 'CreatePublicThreads'])],
            },
          ],
        },
      ],
    },
  });
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await news?.close();
  await forumNews?.close();
  await rm(stateDir, { recursive: true, force: true });
});

/** What a reply says, as Discord shows it (titles, descriptions and lists). */
const text = (body: MessageBody) =>
  shown(
    (body.embeds ?? [])
      .map((e) =>
        [e.title, e.description, ...(e.fields ?? []).map((f) => `${f.name}\n${f.value}`)].filter(Boolean).join('\n'),
      )
      .join('\n'),
  );

async function feed(subcommand: string, options: Record<string, string | number | boolean>, user = 'moderator') {
  return text(
    await t.discord
      .sendInteraction({ type: 'command', name: 'feed', subcommand, options, user })
      .response({ timeoutMs: 30_000 }),
  );
}

describe('/feed, through Discord', () => {
  it('is one command with add, list, remove and check, for moderators by default', () => {
    const command = t.discord.registeredCommands(t.discord.guild.id).find((c) => c.name === 'feed');
    expect(command?.default_member_permissions).toBe('32');
    expect(command?.options?.map((o) => o.name)).toEqual(['add', 'list', 'remove', 'check']);
  });

  it('refuses a member, and a channel the bot may not announce in, saying what it lacks', async () => {
    expect(await feed('add', { url: news.feedUrl }, 'member')).toContain('Only moderators can run /feed add');
    expect(await feed('add', { url: news.feedUrl, channel: LOCKED })).toContain(
      'The bot may not announce stories in #locked: it lacks Embed Links, Create Public Threads.',
    );
    expect(await feed('list', {})).toContain('Feeds followed (0)');
  });

  it('adds a feed with a channel, announcing nothing of its backlog; a new story is announced once, with a thread, and answers there', async () => {
    const added = await feed('add', { url: news.homeUrl, channel: NEWS_CHANNEL, every: 30 });
    expect(added).toMatch(
      /^Feed added\n“Test News” \(http:\/\/127\.0\.0\.1:\d+\/feed\.xml\): 1 item now, none of which is announced\. New stories are announced in #news\. Next check: .* UTC\.\nNewest\n• Story quanta-1$/,
    );
    expect(t.discord.threads(NEWS_CHANNEL)).toEqual([]);

    news.items.unshift(storyItem('wapo-1'));
    const checked = await feed('check', { feed: 'Test News' });
    expect(checked).toContain(
      'Feed checked\nTest News: 1 new story\n• Attack stokes instability fears in North Africa',
    );
    const [thread] = await t.discord.waitForThreads(NEWS_CHANNEL, 1);
    expect(t.discord.threads(NEWS_CHANNEL)).toHaveLength(1);
    expect(thread?.name).toBe('Attack stokes instability fears in North Africa');
    const embed = thread?.starterMessage?.embeds?.[0];
    expect(embed).toMatchObject({
      title: 'Attack stokes instability fears in North Africa',
      url: news.web.url('/stories/wapo-1'),
      author: { name: 'Test News' },
    });
    expect(embed?.description).toMatch(/Ask about it in the thread\.$/);
    const posted = t.discord.outgoingMessages().find((m) => m.body.embeds?.[0]?.title === embed?.title);
    expect(posted?.body.allowed_mentions).toEqual({ parse: [] });

    // Asked in the story's thread: answered from that story, which it names.
    const askThere = async (question: string) =>
      text(
        await t.discord
          .sendInteraction({ type: 'command', name: 'ask', options: { question }, channelId: thread?.id ?? '' })
          .response({ timeoutMs: 20_000 }),
      );
    const answer = await askThere('who stormed the museum?');
    expect(answer).toContain('From “Attack stokes instability fears in North Africa”, the story of this thread.');
    // A mention in the thread too.
    const mentioned = await t.discord
      .sendMessage({ channelId: thread?.id ?? '', content: `${t.discord.mention('bot')} who stormed the museum?` })
      .reply({ timeoutMs: 20_000 });
    expect(text(mentioned)).toContain(
      'From “Attack stokes instability fears in North Africa”, the story of this thread.',
    );
    // A question the story does not answer comes from every article, saying so.
    const elsewhere = await askThere('what did Sheinbaum say about the cartels?');
    expect(elsewhere).toContain('does not answer this clearly, so this comes from every article');

    // Nothing new: nothing more announced.
    expect(await feed('check', { feed: 'test news' })).toContain('Test News: nothing new');
    expect(t.discord.threads(NEWS_CHANNEL)).toHaveLength(1);
    const list = await feed('list', {});
    expect(list).toContain('Feeds followed (1)');
    expect(list).toMatch(/announced in #news · every 30 min · keywords: none/);
    expect(list).toContain('2 stories served · newest: Attack stokes instability fears in North Africa');
    expect(list).toContain('state: ok');
  });

  it('posts each new story of a forum feed as a post of its own', async () => {
    await feed('add', { url: forumNews.feedUrl, channel: FORUM });
    forumNews.items.unshift(storyItem('cnet'));
    await feed('check', { feed: forumNews.feedUrl });
    const [post] = await t.discord.waitForThreads(FORUM, 1);
    expect(post?.starterMessage?.embeds?.[0]?.author?.name).toBe('Test News');
    await feed('remove', { feed: forumNews.feedUrl });
  });

  it('shows a failing feed as backing off, then disabled with one notice; after /feed remove nothing more is announced', async () => {
    news.fail(page('down', 'text/plain', 500));
    const failed = await feed('check', { feed: news.feedUrl });
    expect(failed).toMatch(
      /Feed check failed\nTest News: failed \(127\.0\.0\.1:\d+ answered HTTP 500 Internal Server Error\); next try .* UTC/,
    );
    expect(await feed('list', {})).toMatch(/state: backing off until .* UTC: 127\.0\.0\.1:\d+ answered HTTP 500/);
    const before = t.discord.messagesIn(NEWS_CHANNEL).length;
    // The schedule polls it again after 30 min, 1, 2, 4, 8, 16 and then 24 hours: the tenth failure comes after four days.
    for (let hour = 0; hour < 110; hour++) {
      await t.clock.advance(HOUR);
      await t.feeds.idle();
    }
    expect(await feed('list', {})).toMatch(/state: disabled: 10 failed checks since /);
    const notices = t.discord.messagesIn(NEWS_CHANNEL).slice(before);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.content).toContain('Stopped checking the feed “Test News”');

    news.heal();
    expect(await feed('remove', { feed: 'Test News' })).toContain('The bot no longer follows “Test News”');
    news.items.unshift(storyItem('engadget'));
    await t.clock.advance(2 * 24 * HOUR);
    await t.feeds.idle();
    expect(t.discord.threads(NEWS_CHANNEL)).toHaveLength(1);
    expect(await feed('list', {})).toContain('Feeds followed (0)');
  });
});
