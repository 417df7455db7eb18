/** Builds INTERACTION_CREATE payloads from the ergonomic specs `discord.sendInteraction` takes. */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
} from 'discord.js';
import type {
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteractionDataOption,
  APIApplicationCommandOption,
  APIChatInputApplicationCommandInteraction,
  APIMessageApplicationCommandInteraction,
  APIInteraction,
  APIInteractionDataResolved,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageComponentInteraction,
} from 'discord.js';
import type { FakeGuild, FakeUser } from './fixtures.js';
import { computePermissions, nextSnowflake, randomHex } from './fixtures.js';
import { memberPayload, messagePayload, rolePayload, userPayload } from './payloads.js';
import type { InteractionSpec, OptionValue } from './types.js';
import type { InteractionRecord, World } from './world.js';

/** Permissions an app has in a DM (roughly what Discord reports). */
const DM_APP_PERMISSIONS = '1126174888553472';
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

type DataOption = APIApplicationCommandInteractionDataOption;

/** Builds the payload and bookkeeping record for a simulated interaction. */
export function buildInteraction(world: World, spec: InteractionSpec): InteractionRecord {
  const user = world.resolveUser(spec.user ?? 'member');
  // A channel (or thread) given without a guild implies its guild.
  const channelGuildId = spec.channelId ? world.locateChannel(spec.channelId)?.guild?.id : undefined;
  const guildId = spec.guildId === undefined ? (channelGuildId ?? world.guilds[0]?.id ?? null) : spec.guildId;
  const guild = guildId === null ? null : world.guild(guildId);
  if (guildId !== null && !guild) throw new Error(`Unknown fake guild ${guildId}`);

  let componentMessage: APIMessage | undefined;
  if (spec.type === 'button' || spec.type === 'select') {
    componentMessage = resolveComponentMessage(world, spec, guild ?? null, user);
  }
  const channelId =
    spec.channelId ??
    componentMessage?.channel_id ??
    (guild ? world.defaultChannel(guild).id : world.dmChannelId(user));
  const channel = world.channelPayload(channelId);
  if (!channel) throw new Error(`Unknown fake channel ${channelId}`);

  const id = nextSnowflake();
  const token = `aW50ZXJhY3Rpb246${id}_${randomHex(24)}`;
  const locale = (spec.locale ?? Locale.EnglishUS) as Locale;
  const common = {
    id,
    application_id: world.applicationId,
    token,
    version: 1 as const,
    locale,
    entitlements: [],
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
    channel,
    channel_id: channelId,
    ...(guild
      ? {
          guild_id: guild.id,
          guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
          guild_locale: Locale.EnglishUS,
          member: interactionMember(world, guild, user, channelId),
          app_permissions: world.channelPermissionsIn(guild, channelId, world.botUserId).toString(),
          authorizing_integration_owners: { 0: guild.id },
          context: InteractionContextType.Guild,
        }
      : {
          user: userPayload(user),
          app_permissions: DM_APP_PERMISSIONS,
          authorizing_integration_owners: { 0: user.id },
          context: InteractionContextType.BotDM,
        }),
  };

  let payload: APIInteraction;
  switch (spec.type) {
    case 'command':
    case 'autocomplete': {
      const command = world.findCommand(spec.name, guild?.id ?? null);
      const focused = spec.type === 'autocomplete' ? (spec.focused ?? lastKey(spec.options)) : undefined;
      const resolved: APIInteractionDataResolved = {};
      const options = Array.isArray(spec.options)
        ? spec.options
        : buildOptions(world, guild ?? null, command?.options, spec, spec.options ?? {}, focused, resolved);
      const data = {
        id: command?.id ?? nextSnowflake(),
        name: spec.name,
        type: ApplicationCommandType.ChatInput as const,
        ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
        options,
      };
      if (spec.type === 'command') {
        const interaction: APIChatInputApplicationCommandInteraction = {
          ...common,
          type: InteractionType.ApplicationCommand,
          data: Object.keys(resolved).length ? { ...data, resolved } : data,
        };
        payload = interaction;
      } else {
        const interaction: APIApplicationCommandAutocompleteInteraction = {
          ...common,
          type: InteractionType.ApplicationCommandAutocomplete,
          data,
        };
        payload = interaction;
      }
      break;
    }
    case 'message-command': {
      const command = world.findCommand(spec.name, guild?.id ?? null, ApplicationCommandType.Message);
      const target = typeof spec.target === 'object' ? spec.target : world.messages.get(spec.target);
      if (!target)
        throw new Error(`No stored message ${typeof spec.target === 'string' ? spec.target : spec.target.id}`);
      const interaction: APIMessageApplicationCommandInteraction = {
        ...common,
        type: InteractionType.ApplicationCommand,
        data: {
          id: command?.id ?? nextSnowflake(),
          name: spec.name,
          type: ApplicationCommandType.Message,
          target_id: target.id,
          resolved: { messages: { [target.id]: target } },
        },
      };
      payload = interaction;
      break;
    }
    case 'button':
    case 'select': {
      if (!componentMessage) throw new Error('unreachable: component message missing');
      const interaction: APIMessageComponentInteraction = {
        ...common,
        type: InteractionType.MessageComponent,
        message: componentMessage,
        data:
          spec.type === 'button'
            ? { custom_id: spec.customId, component_type: ComponentType.Button }
            : { custom_id: spec.customId, component_type: ComponentType.StringSelect, values: spec.values },
      };
      payload = interaction;
      break;
    }
  }

  return {
    id,
    token,
    type: payload.type,
    payload,
    guildId: guild?.id ?? null,
    channelId,
    user,
    createdAt: Date.now(),
    callbackType: null,
    originalMessageId: componentMessage?.id ?? null,
    followupIds: [],
  };
}

/** Guild member with its `permissions` in the interaction's channel (overwrites included), as interactions carry it. */
function interactionMember(
  world: World,
  guild: FakeGuild,
  user: FakeUser,
  channelId: string,
): APIInteractionGuildMember {
  const member = guild.members.find((m) => m.userId === user.id);
  if (!member) throw new Error(`User ${user.username} is not a member of guild ${guild.name}`);
  return {
    ...memberPayload(member, user),
    user: userPayload(user),
    permissions: world.channelPermissionsIn(guild, channelId, user.id).toString(),
  };
}

function lastKey(options: Record<string, OptionValue> | unknown[] | undefined): string | undefined {
  if (!options || Array.isArray(options)) return undefined;
  return Object.keys(options).at(-1);
}

/** Turns `{ name: value }` into typed API options (wrapped in subcommand/group) and fills `resolved`. */
function buildOptions(
  world: World,
  guild: FakeGuild | null,
  definitions: APIApplicationCommandOption[] | undefined,
  path: { subcommand?: string | undefined; subcommandGroup?: string | undefined },
  values: Record<string, OptionValue>,
  focused: string | undefined,
  resolved: APIInteractionDataResolved,
): DataOption[] {
  let defs = definitions;
  if (path.subcommandGroup) defs = childOptions(defs, path.subcommandGroup);
  if (path.subcommand) defs = childOptions(defs, path.subcommand);

  const leaf = Object.entries(values).map(([name, raw]): DataOption => {
    const type = defs?.find((d) => d.name === name)?.type ?? inferType(raw);
    const value = resolveOptionValue(world, guild, type, raw, resolved);
    const option = { name, type, value, ...(name === focused ? { focused: true } : {}) };
    const typed = typeof raw === 'object' ? raw.filename : String(raw);
    return (name === focused ? { ...option, value: typed } : option) as DataOption;
  });

  let options = leaf;
  if (path.subcommand) {
    options = [{ name: path.subcommand, type: ApplicationCommandOptionType.Subcommand, options: leaf } as DataOption];
  }
  if (path.subcommandGroup) {
    options = [
      { name: path.subcommandGroup, type: ApplicationCommandOptionType.SubcommandGroup, options } as DataOption,
    ];
  }
  return options;
}

function childOptions(
  definitions: APIApplicationCommandOption[] | undefined,
  name: string,
): APIApplicationCommandOption[] | undefined {
  const child = definitions?.find((d) => d.name === name);
  return child && 'options' in child ? child.options : undefined;
}

function inferType(value: OptionValue): ApplicationCommandOptionType {
  if (typeof value === 'object') return ApplicationCommandOptionType.Attachment;
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number')
    return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  return ApplicationCommandOptionType.String;
}

/** Maps fixture keys / names to ids for user, role, channel and mentionable options, filling `resolved`. */
function resolveOptionValue(
  world: World,
  guild: FakeGuild | null,
  type: ApplicationCommandOptionType,
  raw: OptionValue,
  resolved: APIInteractionDataResolved,
): OptionValue {
  const addUser = (user: FakeUser): string => {
    (resolved.users ??= {})[user.id] = userPayload(user);
    const member = guild?.members.find((m) => m.userId === user.id);
    if (guild && member) {
      const { user: _user, ...rest } = memberPayload(member, user);
      (resolved.members ??= {})[user.id] = { ...rest, permissions: computePermissions(guild, user.id).toString() };
    }
    return user.id;
  };
  if (type === ApplicationCommandOptionType.Attachment) {
    if (typeof raw !== 'object') throw new Error('An attachment option takes { filename, url }');
    const id = nextSnowflake();
    (resolved.attachments ??= {})[id] = {
      id,
      filename: raw.filename,
      url: raw.url,
      proxy_url: raw.url,
      size: raw.size ?? 0,
      ...(raw.contentType ? { content_type: raw.contentType } : {}),
    };
    return id;
  }
  if (typeof raw === 'object') throw new Error('Only an attachment option takes a file');
  const text = String(raw);
  const findRole = (ref: string) => guild?.roles.find((r) => r.id === ref || r.name === ref);
  switch (type) {
    case ApplicationCommandOptionType.User:
      return addUser(world.resolveUser(text));
    case ApplicationCommandOptionType.Role: {
      const role = findRole(text);
      if (!role) throw new Error(`Unknown role "${text}"`);
      (resolved.roles ??= {})[role.id] = rolePayload(role);
      return role.id;
    }
    case ApplicationCommandOptionType.Mentionable: {
      const role = findRole(text);
      if (role) {
        (resolved.roles ??= {})[role.id] = rolePayload(role);
        return role.id;
      }
      return addUser(world.resolveUser(text));
    }
    case ApplicationCommandOptionType.Channel: {
      const channel = guild?.channels.find((c) => c.id === raw || c.name === raw);
      if (!channel || !guild) throw new Error(`Unknown channel "${text}"`);
      const payload = world.channelPayload(channel.id);
      if (payload) {
        (resolved.channels ??= {})[channel.id] = {
          id: channel.id,
          type: payload.type,
          name: channel.name,
          permissions: computePermissions(guild, world.botUserId).toString(),
        };
      }
      return channel.id;
    }
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number:
      return typeof raw === 'string' ? Number(raw) : raw;
    default:
      return raw;
  }
}

/** The message a button/select lives on: given, found among stored messages, or synthesized. */
function resolveComponentMessage(
  world: World,
  spec: Extract<InteractionSpec, { type: 'button' | 'select' }>,
  guild: FakeGuild | null,
  user: FakeUser,
): APIMessage {
  if (typeof spec.message === 'object') return spec.message;
  if (typeof spec.message === 'string') {
    const stored = world.messages.get(spec.message);
    if (!stored) throw new Error(`No stored message ${spec.message}`);
    return stored;
  }
  const found = world.findMessageWithComponent(spec.customId, spec.channelId);
  if (found) return found;
  // Nothing the bot sent carries this component (e.g. a message from before a restart): synthesize one.
  const channelId = spec.channelId ?? (guild ? world.defaultChannel(guild).id : world.dmChannelId(user));
  const component =
    spec.type === 'button'
      ? {
          type: ComponentType.Button as const,
          style: ButtonStyle.Secondary as const,
          custom_id: spec.customId,
          label: spec.customId,
        }
      : {
          type: ComponentType.StringSelect as const,
          custom_id: spec.customId,
          options: spec.values.map((value) => ({ label: value, value })),
        };
  return world.storeMessage(
    messagePayload({
      id: nextSnowflake(),
      channelId,
      guildId: guild?.id ?? null,
      author: world.botUser,
      content: '',
      type: MessageType.Default,
      components: [{ type: ComponentType.ActionRow, components: [component] }],
      applicationId: world.applicationId,
    }),
  );
}
