import {
  ChannelType,
  PermissionFlagsBits,
  type APIEmbed,
  type Client,
  type ForumChannel,
  type NewsChannel,
  type TextChannel,
} from 'discord.js';
import { UserError } from '../errors.js';
import type { Announcer, Story } from '../importing/feeds.js';
import { linkTarget, plainText, truncateAtSentence } from './limits.js';

/** What announcing needs in a channel, with the names moderators see in Discord's settings. */
const NEEDED = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
  [PermissionFlagsBits.CreatePublicThreads, 'Create Public Threads'],
  [PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'],
] as const;

/** A story's thread stays open a day without messages (one of Discord's 60, 1440, 4320, 10080 minutes). */
const ARCHIVE_MINUTES = 1440;
/** The colour of announcements: the bot's informational blue. */
const COLOUR = 0x5865f2;

type AnnouncingChannel = TextChannel | NewsChannel | ForumChannel;

/**
 * Announces feed stories in Discord: in a text or announcement channel, an embed and a public
 * thread started on it; in a forum, one post per story. Nobody is pinged. Discord.js queues every
 * request within Discord's rate limits (per route and global), so a burst of stories waits its turn.
 */
export class DiscordAnnouncer implements Announcer {
  constructor(private readonly client: Client) {}

  async channelName(channelId: string): Promise<string> {
    return `#${(await this.channel(channelId)).name}`;
  }

  async missingPermissions(channelId: string): Promise<string[]> {
    const channel = await this.channel(channelId);
    const user = this.client.user;
    const permissions = user ? channel.permissionsFor(user) : null;
    return NEEDED.filter(([flag]) => !permissions?.has(flag)).map(([, name]) => name);
  }

  async announce(channelId: string, story: Story): Promise<string> {
    const channel = await this.channel(channelId);
    const name = truncateAtSentence(story.title, 100).trim() || 'Story';
    const message = { embeds: [storyEmbed(story)], allowedMentions: { parse: [] } };
    if (channel.type === ChannelType.GuildForum) {
      const thread = await channel.threads.create({ name, autoArchiveDuration: ARCHIVE_MINUTES, message });
      return thread.id;
    }
    const posted = await channel.send(message);
    const thread = await posted.startThread({ name, autoArchiveDuration: ARCHIVE_MINUTES });
    return thread.id;
  }

  async notice(channelId: string, text: string): Promise<void> {
    const channel = await this.channel(channelId);
    const content = plainText(text).slice(0, 2000);
    if (channel.type === ChannelType.GuildForum)
      await channel.threads.create({ name: 'Feed notice', message: { content, allowedMentions: { parse: [] } } });
    else await channel.send({ content, allowedMentions: { parse: [] } });
  }

  /** The channel stories can be announced in. @throws {UserError} when it is not one. */
  private async channel(channelId: string): Promise<AnnouncingChannel> {
    // A channel of a server on another shard (or machine) is fetched over REST all the same.
    const channel = await this.client.channels.fetch(channelId, { allowUnknownGuild: true }).catch(() => null);
    if (
      channel?.type === ChannelType.GuildText ||
      channel?.type === ChannelType.GuildAnnouncement ||
      channel?.type === ChannelType.GuildForum
    )
      return channel;
    throw new UserError('Stories can be announced in a text, announcement or forum channel of a server the bot is in.');
  }
}

/** A story's embed: its title linked to it, the site, the date, a short summary, and where to ask. */
export function storyEmbed(story: Story): APIEmbed {
  const url = story.url === null ? null : linkTarget(story.url);
  const summary = truncateAtSentence(plainText(story.summary), 3500);
  return {
    title: truncateAtSentence(plainText(story.title), 256),
    ...(url ? { url } : {}),
    author: { name: truncateAtSentence(story.site, 256) },
    description: `${summary}\n\nAsk about it in the thread.`,
    color: COLOUR,
    ...(story.published ? { footer: { text: `Published ${story.published}` } } : {}),
  };
}
