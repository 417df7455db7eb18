/** Builders turning fixture objects into Discord API payloads. */
import {
  ChannelType,
  ForumLayoutType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  MessageType,
  ThreadMemberFlags,
} from 'discord.js';
import type {
  APIDMChannel,
  APIOverwrite,
  APIThreadChannel,
  ThreadAutoArchiveDuration,
  ChannelFlags,
  GuildMemberFlags,
  RoleFlags,
  APIEmbed,
  APIGuildMember,
  APIMessage,
  APIRole,
  APIUser,
  GatewayGuildCreateDispatchData,
} from 'discord.js';
import type { FakeChannel, FakeGuild, FakeMember, FakeOverwrite, FakeRole, FakeUser } from './fixtures.js';

/** Fixed "joined at" timestamp for every member. */
const JOINED_AT = '2024-01-01T00:00:00.000Z';

/** `APIUser` for a fake user. */
export function userPayload(user: FakeUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName ?? null,
    avatar: null,
    ...(user.bot ? { bot: true } : {}),
  };
}

/** `APIRole` for a fake role. */
export function rolePayload(role: FakeRole): APIRole {
  const color = role.color ?? 0;
  return {
    id: role.id,
    name: role.name,
    color,
    colors: { primary_color: color, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position ?? 0,
    permissions: role.permissions.toString(),
    managed: role.managed ?? false,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
  };
}

/** `APIGuildMember` (with nested user) for a membership. */
export function memberPayload(member: FakeMember, user: FakeUser): APIGuildMember {
  return {
    user: userPayload(user),
    nick: member.nick ?? null,
    avatar: null,
    banner: null,
    roles: [...member.roleIds],
    joined_at: JOINED_AT,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A guild channel as found in GUILD_CREATE. */
export type GuildChannelPayload = GatewayGuildCreateDispatchData['channels'][number];

/** Guild channel payload. */
export function channelPayload(guild: FakeGuild, channel: FakeChannel, index = 0): GuildChannelPayload {
  const type = channel.type ?? ChannelType.GuildText;
  const base = {
    id: channel.id,
    guild_id: guild.id,
    name: channel.name,
    position: channel.position ?? index,
    permission_overwrites: (channel.permissionOverwrites ?? []).map(overwritePayload),
    parent_id: channel.parentId ?? null,
    nsfw: false,
    flags: 0 as ChannelFlags,
  };
  // What text, announcement and forum channels have alike.
  const textFields = {
    topic: channel.topic ?? null,
    last_message_id: null,
    rate_limit_per_user: 0,
    default_auto_archive_duration: 1440 as const,
  };
  switch (type) {
    case ChannelType.GuildCategory:
      return { ...base, type, parent_id: null };
    case ChannelType.GuildVoice:
      return {
        ...base,
        type,
        bitrate: 64_000,
        user_limit: 0,
        rtc_region: null,
        last_message_id: null,
        rate_limit_per_user: 0,
      };
    case ChannelType.GuildAnnouncement:
    case ChannelType.GuildText:
      return { ...base, ...textFields, type };
    case ChannelType.GuildForum:
      return {
        ...base,
        ...textFields,
        type,
        default_thread_rate_limit_per_user: 0,
        available_tags: [],
        default_reaction_emoji: null,
        default_sort_order: null,
        default_forum_layout: ForumLayoutType.NotSet,
      };
  }
}

/** `APIOverwrite` (bitfields as strings) for a fixture overwrite. */
export function overwritePayload(overwrite: FakeOverwrite): APIOverwrite {
  return {
    id: overwrite.id,
    type: overwrite.type,
    allow: (overwrite.allow ?? 0n).toString(),
    deny: (overwrite.deny ?? 0n).toString(),
  };
}

/** What {@link threadPayload} needs to know about a thread. */
export interface ThreadPayloadInput {
  id: string;
  guildId: string;
  parentId: string;
  ownerId: string;
  name: string;
  type: ChannelType.PublicThread | ChannelType.AnnouncementThread | ChannelType.PrivateThread;
  autoArchiveDuration: ThreadAutoArchiveDuration;
  archived: boolean;
  locked: boolean;
  createdAt: string;
  rateLimitPerUser: number;
  appliedTags: string[] | null;
  lastMessageId: string | null;
  /** Messages in the thread (not counting a forum post's first message). */
  messageCount: number;
  totalMessageSent: number;
  memberCount: number;
}

/**
 * A thread channel payload. `member` is the bot's thread membership, which Discord includes in
 * create responses and THREAD_CREATE for the thread's creator; `null` leaves it out.
 */
export function threadPayload(thread: ThreadPayloadInput, member: { userId: string } | null = null): APIThreadChannel {
  return {
    id: thread.id,
    type: thread.type,
    guild_id: thread.guildId,
    parent_id: thread.parentId,
    owner_id: thread.ownerId,
    name: thread.name,
    last_message_id: thread.lastMessageId,
    rate_limit_per_user: thread.rateLimitPerUser,
    message_count: thread.messageCount,
    member_count: thread.memberCount,
    total_message_sent: thread.totalMessageSent,
    flags: 0 as ChannelFlags,
    thread_metadata: {
      archived: thread.archived,
      auto_archive_duration: thread.autoArchiveDuration,
      archive_timestamp: thread.createdAt,
      locked: thread.locked,
      create_timestamp: thread.createdAt,
      ...(thread.type === ChannelType.PrivateThread ? { invitable: true } : {}),
    },
    ...(thread.appliedTags ? { applied_tags: thread.appliedTags } : {}),
    ...(member
      ? {
          member: {
            id: thread.id,
            user_id: member.userId,
            join_timestamp: thread.createdAt,
            flags: ThreadMemberFlags.HasInteracted,
          },
        }
      : {}),
  };
}

/** DM channel payload between the bot and `user`. */
export function dmChannelPayload(channelId: string, user: FakeUser): APIDMChannel {
  return {
    id: channelId,
    type: ChannelType.DM,
    name: null,
    recipients: [userPayload(user)],
    last_message_id: null,
    flags: 0 as ChannelFlags,
  };
}

/** Full GUILD_CREATE payload for an available guild; `threads` are its active threads. */
export function guildCreatePayload(
  guild: FakeGuild,
  users: ReadonlyMap<string, FakeUser>,
  threads: APIThreadChannel[] = [],
): GatewayGuildCreateDispatchData {
  const members = guild.members.flatMap((member) => {
    const user = users.get(member.userId);
    return user ? [memberPayload(member, user)] : [];
  });
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    region: 'us-east',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: guild.roles.map(rolePayload),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    approximate_member_count: members.length,
    approximate_presence_count: members.length,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    hub_type: null,
    incidents_data: null,
    // GUILD_CREATE-only fields
    joined_at: JOINED_AT,
    large: false,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members,
    channels: guild.channels.map((channel, index) => channelPayload(guild, channel, index)),
    threads,
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** Inputs for {@link messagePayload}. */
export interface MessagePayloadInput {
  id: string;
  channelId: string;
  guildId: string | null;
  author: FakeUser;
  /** Member data for guild messages (the author's membership). */
  member?: FakeMember | undefined;
  content: string;
  type?: MessageType;
  mentions?: { user: FakeUser; member?: FakeMember | undefined }[];
  mentionRoles?: string[];
  mentionEveryone?: boolean;
  embeds?: APIEmbed[];
  components?: APIMessage['components'];
  attachments?: APIMessage['attachments'];
  flags?: number;
  tts?: boolean;
  nonce?: string | number | undefined;
  webhookId?: string | undefined;
  applicationId?: string | undefined;
  referencedMessage?: APIMessage | null | undefined;
  interactionMetadata?: APIMessage['interaction_metadata'];
}

/** `APIMessage` (plus `guild_id`/`member` for guild messages, as the gateway sends them). */
export function messagePayload(
  input: MessagePayloadInput,
): APIMessage & { guild_id?: string; member?: Omit<APIGuildMember, 'user'> } {
  const memberData = (member: FakeMember): Omit<APIGuildMember, 'user'> => {
    const { user: _user, ...rest } = memberPayload(member, input.author);
    return rest;
  };
  const message: APIMessage & { guild_id?: string; member?: Omit<APIGuildMember, 'user'> } = {
    id: input.id,
    channel_id: input.channelId,
    author: userPayload(input.author),
    content: input.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: input.tts ?? false,
    mention_everyone: input.mentionEveryone ?? false,
    mentions: (input.mentions ?? []).map(({ user, member }) => ({
      ...userPayload(user),
      ...(member ? { member: memberData(member) } : {}),
    })),
    mention_roles: input.mentionRoles ?? [],
    attachments: input.attachments ?? [],
    embeds: input.embeds ?? [],
    pinned: false,
    type: input.type ?? MessageType.Default,
    flags: input.flags ?? 0,
    components: input.components ?? [],
  };
  if (input.guildId) message.guild_id = input.guildId;
  if (input.member) message.member = memberData(input.member);
  if (input.nonce !== undefined) message.nonce = input.nonce;
  if (input.webhookId) message.webhook_id = input.webhookId;
  if (input.applicationId) message.application_id = input.applicationId;
  if (input.referencedMessage) {
    message.referenced_message = input.referencedMessage;
    message.message_reference = {
      type: 0,
      message_id: input.referencedMessage.id,
      channel_id: input.referencedMessage.channel_id,
      ...(input.guildId ? { guild_id: input.guildId } : {}),
    };
  }
  if (input.interactionMetadata) message.interaction_metadata = input.interactionMetadata;
  return message;
}
