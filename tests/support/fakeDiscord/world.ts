/** In-memory state of the fake Discord: users, guilds, channels, messages, commands, interactions. */
import { ApplicationCommandType, ChannelType } from 'discord.js';
import type {
  APIApplicationCommand,
  APIChannel,
  APIInteraction,
  APIMessage,
  InteractionResponseType,
  InteractionType,
} from 'discord.js';
import type { FakeChannel, FakeGuild, FakeMember, FakeUser } from './fixtures.js';
import { nextSnowflake } from './fixtures.js';
import { channelPayload, dmChannelPayload } from './payloads.js';
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

/** Where a channel lives. */
export interface ChannelLocation {
  guild: FakeGuild | null;
  channel: FakeChannel | null;
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
      if (channel) return { guild, channel, dmUser: null };
    }
    for (const [userId, id] of this.dmChannels) {
      if (id === channelId) return { guild: null, channel: null, dmUser: this.users.get(userId) ?? null };
    }
    return undefined;
  }

  /** API payload of any known channel. */
  channelPayload(channelId: string): APIChannel | undefined {
    const location = this.locateChannel(channelId);
    if (!location) return undefined;
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
