/**
 * Fixture data for the fake Discord: users, guilds, roles, channels, and small
 * helpers (snowflakes, permission maths) shared by the REST and gateway halves.
 */
import { ChannelType, OverwriteType, PermissionFlagsBits } from 'discord.js';

/** A user known to the fake Discord. */
export interface FakeUser {
  id: string;
  username: string;
  globalName?: string | null;
  bot?: boolean;
}

/** A guild role. `permissions` is a Discord permission bitfield. */
export interface FakeRole {
  id: string;
  name: string;
  permissions: bigint;
  position?: number;
  color?: number;
  /** Integration-managed role (e.g. a bot's own role). */
  managed?: boolean;
  /** Set on a bot's managed role. */
  botId?: string;
}

/** A permission by name (`'EmbedLinks'`), as `PermissionFlagsBits` spells it. */
export type PermissionName = keyof typeof PermissionFlagsBits;

/** Permissions given by names, or as a bitfield. */
export type PermissionsInput = readonly PermissionName[] | bigint;

/**
 * A channel permission overwrite (Discord's overwrite object): for a role (`type: OverwriteType.Role`,
 * `id` a role id, the guild id for `@everyone`) or a member (`OverwriteType.Member`, `id` a user id).
 */
export interface FakeOverwrite {
  id: string;
  type: OverwriteType;
  allow?: bigint;
  deny?: bigint;
}

/** A guild channel: text and announcement channels take messages and threads, forums take posts (threads). */
export interface FakeChannel {
  id: string;
  name: string;
  /** Defaults to `ChannelType.GuildText`. */
  type?:
    | ChannelType.GuildText
    | ChannelType.GuildAnnouncement
    | ChannelType.GuildForum
    | ChannelType.GuildVoice
    | ChannelType.GuildCategory;
  topic?: string | null;
  parentId?: string | null;
  position?: number;
  /** Permission overwrites, sent as the channel's `permission_overwrites` (see {@link botDenied}). */
  permissionOverwrites?: FakeOverwrite[];
}

/** Membership of a user in a guild. */
export interface FakeMember {
  userId: string;
  roleIds: string[];
  nick?: string | null;
}

/** A guild as configured in the fake. `unavailable: true` guilds are listed in READY but never sent. */
export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: FakeRole[];
  channels: FakeChannel[];
  members: FakeMember[];
  unavailable?: boolean;
}

/** Well-known users every fake Discord has, addressable by these keys. */
export type FixtureUserKey = 'bot' | 'owner' | 'admin' | 'moderator' | 'member' | 'otherBot';

/** Fixed ids used by the default fixtures (stable across runs, valid snowflakes). */
export const FIXTURE_IDS = {
  application: '1300000000000000001',
  bot: '1300000000000000001',
  owner: '1300000000000000010',
  admin: '1300000000000000011',
  moderator: '1300000000000000012',
  member: '1300000000000000013',
  otherBot: '1300000000000000014',
  guild: '1300000000000000100',
  generalChannel: '1300000000000000200',
  moderatorRole: '1300000000000000301',
  adminRole: '1300000000000000302',
  botRole: '1300000000000000303',
} as const;

/** Default token accepted by the fake (any non-empty token is accepted). */
export const FAKE_TOKEN = 'fake-bot-token.for-tests.only';

/** Every permission bit OR-ed together. */
export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((acc, bit) => acc | bit, 0n);

/** Permissions of `@everyone` in the default guild. */
export const EVERYONE_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak;

/** Permissions of the default moderator role (includes MANAGE_GUILD). */
export const MODERATOR_PERMISSIONS: bigint =
  PermissionFlagsBits.ManageGuild |
  PermissionFlagsBits.ManageMessages |
  PermissionFlagsBits.KickMembers |
  PermissionFlagsBits.ModerateMembers |
  PermissionFlagsBits.MentionEveryone;

/** Permissions of the bot's managed role in the default guild. */
export const BOT_ROLE_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis;

/** The default users, keyed by {@link FixtureUserKey}. */
export function defaultUsers(): Record<FixtureUserKey, FakeUser> {
  return {
    bot: { id: FIXTURE_IDS.bot, username: 'article-qa-bot', globalName: 'Article QA', bot: true },
    owner: { id: FIXTURE_IDS.owner, username: 'olivia_owner', globalName: 'Olivia' },
    admin: { id: FIXTURE_IDS.admin, username: 'adam_admin', globalName: 'Adam' },
    moderator: { id: FIXTURE_IDS.moderator, username: 'mona_mod', globalName: 'Mona' },
    member: { id: FIXTURE_IDS.member, username: 'max_member', globalName: 'Max' },
    otherBot: { id: FIXTURE_IDS.otherBot, username: 'other-bot', globalName: null, bot: true },
  };
}

/**
 * The default guild: `#general`, roles `@everyone`, `Moderator` (MANAGE_GUILD…),
 * `Admin` (ADMINISTRATOR) and the bot's managed role; every default user is a member.
 */
export function defaultGuild(): FakeGuild {
  return {
    id: FIXTURE_IDS.guild,
    name: 'Newsroom',
    ownerId: FIXTURE_IDS.owner,
    roles: [
      { id: FIXTURE_IDS.guild, name: '@everyone', permissions: EVERYONE_PERMISSIONS, position: 0 },
      {
        id: FIXTURE_IDS.moderatorRole,
        name: 'Moderator',
        permissions: MODERATOR_PERMISSIONS,
        position: 2,
        color: 0x3498db,
      },
      {
        id: FIXTURE_IDS.adminRole,
        name: 'Admin',
        permissions: PermissionFlagsBits.Administrator,
        position: 3,
        color: 0xe74c3c,
      },
      {
        id: FIXTURE_IDS.botRole,
        name: 'article-qa-bot',
        permissions: BOT_ROLE_PERMISSIONS,
        position: 1,
        managed: true,
        botId: FIXTURE_IDS.bot,
      },
    ],
    channels: [{ id: FIXTURE_IDS.generalChannel, name: 'general', type: ChannelType.GuildText, topic: 'General chat' }],
    members: [
      { userId: FIXTURE_IDS.bot, roleIds: [FIXTURE_IDS.botRole] },
      { userId: FIXTURE_IDS.owner, roleIds: [] },
      { userId: FIXTURE_IDS.admin, roleIds: [FIXTURE_IDS.adminRole] },
      { userId: FIXTURE_IDS.moderator, roleIds: [FIXTURE_IDS.moderatorRole] },
      { userId: FIXTURE_IDS.member, roleIds: [] },
      { userId: FIXTURE_IDS.otherBot, roleIds: [] },
    ],
  };
}

/** Guild-level permissions of `userId` in `guild` (owner/ADMINISTRATOR get everything; no channel overwrites). */
export function computePermissions(guild: FakeGuild, userId: string): bigint {
  if (guild.ownerId === userId) return ALL_PERMISSIONS;
  const member = guild.members.find((m) => m.userId === userId);
  if (!member) return 0n;
  let permissions = guild.roles.find((r) => r.id === guild.id)?.permissions ?? 0n;
  for (const roleId of member.roleIds) {
    permissions |= guild.roles.find((r) => r.id === roleId)?.permissions ?? 0n;
  }
  return permissions & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : permissions;
}

/** A bitfield from permission names (or the bitfield itself). */
export function permissionBits(permissions: PermissionsInput): bigint {
  if (typeof permissions === 'bigint') return permissions;
  return permissions.reduce((bits, name) => {
    const bit = PermissionFlagsBits[name] as bigint | undefined;
    if (bit === undefined) throw new Error(`Unknown permission "${name}"`);
    return bits | bit;
  }, 0n);
}

/** Names of the permissions in a bitfield, in `PermissionFlagsBits` order. */
export function permissionNames(bits: bigint): PermissionName[] {
  return (Object.entries(PermissionFlagsBits) as [PermissionName, bigint][])
    .filter(([, bit]) => (bits & bit) === bit)
    .map(([name]) => name);
}

/**
 * A member overwrite denying the bot `permissions` in a channel, for a fixture channel's
 * `permissionOverwrites` (before the client logs in; afterwards use `discord.denyBot`).
 */
export function botDenied(permissions: PermissionsInput, botId: string = FIXTURE_IDS.bot): FakeOverwrite {
  return { id: botId, type: OverwriteType.Member, allow: 0n, deny: permissionBits(permissions) };
}

/**
 * Permissions of `userId` in a guild channel, computed like Discord and discord.js's `permissionsFor`:
 * guild permissions, then the `@everyone` overwrite, the member's role overwrites, the member overwrite.
 * Owner and ADMINISTRATOR get everything regardless. For a thread pass its parent channel.
 */
export function computeChannelPermissions(guild: FakeGuild, channel: FakeChannel | null, userId: string): bigint {
  const base = computePermissions(guild, userId);
  if (!channel || base === ALL_PERMISSIONS) return base;
  const member = guild.members.find((m) => m.userId === userId);
  if (!member) return 0n;
  const overwrites = channel.permissionOverwrites ?? [];
  let permissions = base;
  const apply = (deny: bigint, allow: bigint) => {
    permissions = (permissions & ~deny) | allow;
  };
  const everyone = overwrites.find((o) => o.type === OverwriteType.Role && o.id === guild.id);
  if (everyone) apply(everyone.deny ?? 0n, everyone.allow ?? 0n);
  let roleDeny = 0n;
  let roleAllow = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type !== OverwriteType.Role || !member.roleIds.includes(overwrite.id)) continue;
    roleDeny |= overwrite.deny ?? 0n;
    roleAllow |= overwrite.allow ?? 0n;
  }
  apply(roleDeny, roleAllow);
  const own = overwrites.find((o) => o.type === OverwriteType.Member && o.id === userId);
  if (own) apply(own.deny ?? 0n, own.allow ?? 0n);
  return permissions;
}

const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

/** A fresh, time-ordered snowflake. */
export function nextSnowflake(): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

/** The shard a guild belongs to, per Discord's `(guild_id >> 22) % shard_count`. */
export function shardForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Random lowercase hex string (session ids, tokens). */
export function randomHex(bytes = 16): string {
  let out = '';
  for (let i = 0; i < bytes; i++)
    out += Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0');
  return out;
}
