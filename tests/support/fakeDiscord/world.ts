/** In-memory state of the fake Discord: users, guilds, channels, messages, commands, interactions. */
import { ApplicationCommandType, ChannelType, OverwriteType } from 'discord.js';
import type {
  APIApplicationCommand,
  APIChannel,
  APIInteraction,
  APIMessage,
  APIThreadChannel,
  InteractionResponseType,
  InteractionType,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { FakeChannel, FakeGuild, FakeMember, FakeUser, PermissionsInput } from './fixtures.js';
import { computeChannelPermissions, nextSnowflake, permissionBits } from './fixtures.js';
import { channelPayload, dmChannelPayload, threadPayload } from './payloads.js';
import type { UserRef } from './types.js';

/** A message as stored (gateway shape: includes `guild_id` for guild messages). */
export type StoredMessage = APIMessage & { guild_id?: string };

/** Server-side bookkeeping for one dispatched interaction. */
export interface InteractionRecord {
  id: string;
  token: string;
  type: InteractionType;
  payload: APIInteraction;
  guildId: string | null;
  channelId: string;
  user: FakeUser;
  createdAt: number;
  /** Type of the initial callback, once acknowledged. */
  callbackType: InteractionResponseType | null;
  /** The message `@original` refers to (new reply, or the component's message for updates). */
  originalMessageId: string | null;
  followupIds: string[];
}

/** Channel types of a thread. */
export type ThreadType = ChannelType.PublicThread | ChannelType.AnnouncementThread | ChannelType.PrivateThread;

/** A thread (a text/announcement channel's thread, or a forum post) as the fake keeps it. */
export interface FakeThread {
  /** Equal to the starter message's id when started from a message, as on Discord. */
  id: string;
  guildId: string;
  /** The text, announcement or forum channel it lives in. */
  parentId: string;
  name: string;
  type: ThreadType;
  ownerId: string;
  autoArchiveDuration: ThreadAutoArchiveDuration;
  /** ISO timestamp. */
  createdAt: string;
  /**
   * The message it was started from: a message of the parent channel for a thread started on a
   * message, the thread's own first message (same id as the thread) for a forum post, null otherwise.
   */
  starterMessageId: string | null;
  archived: boolean;
  locked: boolean;
  rateLimitPerUser: number;
  /** Forum tags (forum posts only; null for other threads). */
  appliedTags: string[] | null;
  /** Users who joined the thread (its creator, and whoever posted in it). */
  memberIds: string[];
}

/** Where a channel lives. */
export interface ChannelLocation {
  guild: FakeGuild | null;
  /** The guild channel; for a thread, its parent channel. */
  channel: FakeChannel | null;
  /** Set when the channel is a thread. */
  thread: FakeThread | null;
  /** The other party of a DM channel. */
  dmUser: FakeUser | null;
}

/** The mutable state behind the REST routes and the gateway. */
export class World {
  readonly users = new Map<string, FakeUser>();
  readonly userKeys = new Map<string, string>();
  readonly guilds: FakeGuild[];
  readonly messages = new Map<string, StoredMessage>();
  readonly channelMessages = new Map<string, string[]>();
  readonly commands = new Map<string, APIApplicationCommand>();
  /** Stable ids per command scope+name, so bulk overwrites keep ids like Discord does. */
  readonly commandIds = new Map<string, string>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  readonly dmChannels = new Map<string, string>();
  /** Threads and forum posts by id, in creation order. */
  readonly threads = new Map<string, FakeThread>();

  constructor(
    readonly applicationId: string,
    readonly botUserId: string,
    users: Record<string, FakeUser>,
    guilds: FakeGuild[],
  ) {
    for (const [key, user] of Object.entries(users)) {
      this.users.set(user.id, user);
      this.userKeys.set(key, user.id);
    }
    this.guilds = guilds;
  }

  /** The bot's own user. */
  get botUser(): FakeUser {
    const bot = this.users.get(this.botUserId);
    if (!bot) throw new Error(`Bot user ${this.botUserId} is missing from the fixtures`);
    return bot;
  }

  /** Resolves a fixture key, id or user object to a known user; throws for unknown ones. */
  resolveUser(ref: UserRef): FakeUser {
    if (typeof ref !== 'string') return this.users.get(ref.id) ?? ref;
    const id = this.userKeys.get(ref) ?? ref;
    const user = this.users.get(id);
    if (!user) throw new Error(`Unknown fake user "${ref}" (known keys: ${[...this.userKeys.keys()].join(', ')})`);
    return user;
  }

  guild(guildId: string): FakeGuild | undefined {
    return this.guilds.find((g) => g.id === guildId);
  }

  member(guild: FakeGuild, userId: string): FakeMember | undefined {
    return guild.members.find((m) => m.userId === userId);
  }

  /** The first text channel of a guild. */
  defaultChannel(guild: FakeGuild): FakeChannel {
    const channel = guild.channels.find(
      (c) => (c.type ?? ChannelType.GuildText) === ChannelType.GuildText || c.type === ChannelType.GuildAnnouncement,
    );
    if (!channel) throw new Error(`Guild ${guild.id} has no text channel`);
    return channel;
  }

  /** The DM channel id between the bot and `user` (created on first use). */
  dmChannelId(user: FakeUser): string {
    let id = this.dmChannels.get(user.id);
    if (!id) {
      id = nextSnowflake();
      this.dmChannels.set(user.id, id);
    }
    return id;
  }

  locateChannel(channelId: string): ChannelLocation | undefined {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((c) => c.id === channelId);
      if (channel) return { guild, channel, thread: null, dmUser: null };
    }
    const thread = this.threads.get(channelId);
    if (thread) {
      const guild = this.guild(thread.guildId);
      const parent = guild?.channels.find((c) => c.id === thread.parentId);
      if (guild && parent) return { guild, channel: parent, thread, dmUser: null };
    }
    for (const [userId, id] of this.dmChannels) {
      if (id === channelId) return { guild: null, channel: null, thread: null, dmUser: this.users.get(userId) ?? null };
    }
    return undefined;
  }

  /** A guild channel (not a thread) by id. */
  guildChannel(channelId: string): { guild: FakeGuild; channel: FakeChannel } | undefined {
    const location = this.locateChannel(channelId);
    return location?.guild && location.channel && !location.thread
      ? { guild: location.guild, channel: location.channel }
      : undefined;
  }

  /**
   * Permissions of `userId` in a guild channel or thread (a thread's are its parent's), with the
   * channel's overwrites applied like Discord does; null for DMs and unknown channels.
   */
  channelPermissions(channelId: string, userId: string): bigint | null {
    const location = this.locateChannel(channelId);
    if (!location?.guild || !location.channel) return null;
    return computeChannelPermissions(location.guild, location.channel, userId);
  }

  /**
   * Permissions of `userId` in `guild`'s channel or thread `channelId` (guild-level ones when the guild
   * has no such channel). Unlike {@link channelPermissions}, right when guilds share channel ids.
   */
  channelPermissionsIn(guild: FakeGuild, channelId: string, userId: string): bigint {
    const thread = this.threads.get(channelId);
    const id = thread && thread.guildId === guild.id ? thread.parentId : channelId;
    return computeChannelPermissions(guild, guild.channels.find((c) => c.id === id) ?? null, userId);
  }

  /**
   * Sets a member overwrite for the bot on a guild channel: `deny` bits are denied (and no longer
   * allowed), `allow` bits allowed (and no longer denied). Returns the changed channel.
   */
  overwriteBot(channelId: string, change: { allow?: PermissionsInput; deny?: PermissionsInput }): FakeChannel {
    const found = this.guildChannel(channelId);
    if (!found) {
      const hint = this.threads.has(channelId) ? ' (a thread has its parent channel’s permissions)' : '';
      throw new Error(`No guild channel ${channelId}${hint}`);
    }
    const allow = change.allow === undefined ? 0n : permissionBits(change.allow);
    const deny = change.deny === undefined ? 0n : permissionBits(change.deny);
    const overwrites = (found.channel.permissionOverwrites ??= []);
    let own = overwrites.find((o) => o.type === OverwriteType.Member && o.id === this.botUserId);
    if (!own) {
      own = { id: this.botUserId, type: OverwriteType.Member, allow: 0n, deny: 0n };
      overwrites.push(own);
    }
    own.deny = ((own.deny ?? 0n) & ~allow) | deny;
    own.allow = ((own.allow ?? 0n) & ~deny) | allow;
    return found.channel;
  }

  /** A thread by id. */
  thread(threadId: string): FakeThread | undefined {
    return this.threads.get(threadId);
  }

  /** Threads (and forum posts) of a channel, oldest first. */
  threadsIn(parentId: string): FakeThread[] {
    return [...this.threads.values()].filter((t) => t.parentId === parentId);
  }

  /** Records a new thread (the caller stores its messages and tells the gateway). */
  addThread(
    input: Omit<FakeThread, 'createdAt' | 'archived' | 'locked' | 'memberIds' | 'rateLimitPerUser' | 'appliedTags'> &
      Partial<Pick<FakeThread, 'rateLimitPerUser' | 'appliedTags'>>,
  ): FakeThread {
    if (this.threads.has(input.id) || this.locateChannel(input.id)) throw new Error(`Channel ${input.id} exists`);
    const thread: FakeThread = {
      rateLimitPerUser: 0,
      appliedTags: null,
      ...input,
      createdAt: new Date().toISOString(),
      archived: false,
      locked: false,
      memberIds: [input.ownerId],
    };
    this.threads.set(thread.id, thread);
    return thread;
  }

  /** Payload of a thread; `withBotMember` adds the bot's thread membership (create responses, THREAD_CREATE). */
  threadPayload(thread: FakeThread, withBotMember = false): APIThreadChannel {
    const messages = this.messagesIn(thread.id);
    const counted = messages.filter((m) => m.id !== thread.starterMessageId).length;
    return threadPayload(
      {
        ...thread,
        lastMessageId: messages.at(-1)?.id ?? null,
        messageCount: counted,
        totalMessageSent: counted,
        memberCount: Math.min(thread.memberIds.length, 50),
      },
      withBotMember && thread.memberIds.includes(this.botUserId) ? { userId: this.botUserId } : null,
    );
  }

  /** Active (unarchived) threads of a guild, as GUILD_CREATE lists them. */
  activeThreads(guildId: string): APIThreadChannel[] {
    return [...this.threads.values()]
      .filter((t) => t.guildId === guildId && !t.archived)
      .map((t) => this.threadPayload(t));
  }

  /** API payload of any known channel. */
  channelPayload(channelId: string): APIChannel | undefined {
    const location = this.locateChannel(channelId);
    if (!location) return undefined;
    if (location.thread) return this.threadPayload(location.thread);
    if (location.guild && location.channel) {
      const index = location.guild.channels.indexOf(location.channel);
      return channelPayload(location.guild, location.channel, index);
    }
    return location.dmUser ? dmChannelPayload(channelId, location.dmUser) : undefined;
  }

  storeMessage(message: StoredMessage): StoredMessage {
    if (!this.messages.has(message.id)) {
      const list = this.channelMessages.get(message.channel_id) ?? [];
      list.push(message.id);
      this.channelMessages.set(message.channel_id, list);
      // Posting in a thread joins it, as on Discord.
      const thread = this.threads.get(message.channel_id);
      if (thread && !thread.memberIds.includes(message.author.id)) thread.memberIds.push(message.author.id);
    }
    this.messages.set(message.id, message);
    return message;
  }

  deleteMessage(messageId: string): boolean {
    const message = this.messages.get(messageId);
    if (!message) return false;
    this.messages.delete(messageId);
    const list = this.channelMessages.get(message.channel_id);
    if (list)
      this.channelMessages.set(
        message.channel_id,
        list.filter((id) => id !== messageId),
      );
    return true;
  }

  /** Messages of a channel, oldest first. */
  messagesIn(channelId: string): StoredMessage[] {
    return (this.channelMessages.get(channelId) ?? []).flatMap((id) => {
      const message = this.messages.get(id);
      return message ? [message] : [];
    });
  }

  /** Newest stored message in `channelId` (any channel when omitted) holding a component with `customId`. */
  findMessageWithComponent(customId: string, channelId?: string): StoredMessage | undefined {
    const all = [...this.messages.values()].reverse();
    return all.find(
      (m) => (channelId === undefined || m.channel_id === channelId) && hasCustomId(m.components, customId),
    );
  }

  /** Registered commands of one scope (`guildId` null = global). */
  commandsIn(guildId: string | null): APIApplicationCommand[] {
    return [...this.commands.values()].filter((c) => (c.guild_id ?? null) === guildId);
  }

  /** A registered command of a type (chat-input by default) by name, guild scope first, then global. */
  findCommand(
    name: string,
    guildId: string | null,
    type = ApplicationCommandType.ChatInput,
  ): APIApplicationCommand | undefined {
    const candidates = [...this.commands.values()].filter(
      (c) => c.name === name && (c.type ?? ApplicationCommandType.ChatInput) === type,
    );
    return candidates.find((c) => guildId !== null && c.guild_id === guildId) ?? candidates.find((c) => !c.guild_id);
  }
}

/** Whether a (nested) component tree contains a component with `customId`. */
export function hasCustomId(components: unknown, customId: string): boolean {
  if (!Array.isArray(components)) return false;
  return components.some((component: unknown) => {
    if (typeof component !== 'object' || component === null) return false;
    const record = component as { custom_id?: unknown; components?: unknown; accessory?: unknown };
    return (
      record.custom_id === customId ||
      hasCustomId(record.components, customId) ||
      hasCustomId(record.accessory ? [record.accessory] : undefined, customId)
    );
  });
}
