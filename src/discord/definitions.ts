import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandDefinition, OptionDefinition } from '../commands/command.js';

/** One command as Discord registers it. */
export type DiscordCommand =
  RESTPostAPIChatInputApplicationCommandsJSONBody | RESTPostAPIContextMenuApplicationCommandsJSONBody;

/**
 * The commands' definitions as Discord registers them, in order; the subcommands of a group
 * (`/article add`, `/article list`) become one command with a subcommand each. Moderator commands are
 * guild-only and hidden by default from members without Manage Server (`default_member_permissions`);
 * since server admins can change that, the handler checks permissions again at run time.
 *
 * @example
 * rest.put(Routes.applicationGuildCommands(appId, guildId), { body: toDiscordCommands(commands.map((c) => c.data)) });
 */
export function toDiscordCommands(definitions: readonly CommandDefinition[]): DiscordCommand[] {
  const commands: DiscordCommand[] = [];
  const groups = new Map<string, RESTPostAPIChatInputApplicationCommandsJSONBody>();
  for (const definition of definitions) {
    if (!definition.group) {
      commands.push(toDiscordCommand(definition));
      continue;
    }
    let group = groups.get(definition.group.name);
    if (!group) {
      group = {
        type: ApplicationCommandType.ChatInput,
        name: definition.group.name,
        description: definition.group.description,
        options: [],
        ...access(definition),
      };
      groups.set(definition.group.name, group);
      commands.push(group);
    } else if (!sameAccess(group, definition))
      throw new Error(`the subcommands of /${definition.group.name} must all be moderator-only or none`);
    const subcommand: APIApplicationCommandSubcommandOption = {
      type: ApplicationCommandOptionType.Subcommand,
      name: definition.name,
      description: definition.description,
      options: definition.options.filter((option) => !option.internal).map(toDiscordOption),
    };
    group.options?.push(subcommand);
  }
  return commands;
}

function toDiscordCommand(definition: CommandDefinition): DiscordCommand {
  // A message command is named as the Apps menu shows it, and takes no typed options.
  if (definition.kind === 'message')
    return { type: ApplicationCommandType.Message, name: definition.name, ...access(definition) };
  return {
    type: ApplicationCommandType.ChatInput,
    name: definition.name,
    description: definition.description,
    options: definition.options.filter((option) => !option.internal).map(toDiscordOption),
    ...access(definition),
  };
}

/** Who sees a command: moderator commands only in servers, to Manage Server by default. */
function access(definition: CommandDefinition): Pick<DiscordCommand, 'default_member_permissions' | 'contexts'> {
  return definition.preconditions.includes('moderator')
    ? {
        default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
        contexts: [InteractionContextType.Guild],
      }
    : { contexts: [InteractionContextType.Guild, InteractionContextType.BotDM] };
}

function sameAccess(command: DiscordCommand, definition: CommandDefinition): boolean {
  return (command.default_member_permissions ?? null) === (access(definition).default_member_permissions ?? null);
}

function toDiscordOption(option: OptionDefinition): APIApplicationCommandBasicOption {
  const common = { name: option.name, description: option.description, required: option.required };
  if (option.type === 'boolean') return { type: ApplicationCommandOptionType.Boolean, ...common };
  if (option.type === 'attachment') return { type: ApplicationCommandOptionType.Attachment, ...common };
  if (option.type === 'channel')
    return {
      type: ApplicationCommandOptionType.Channel,
      ...common,
      channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum],
    };
  if (option.type === 'integer') {
    return {
      type: ApplicationCommandOptionType.Integer,
      ...common,
      ...(option.minValue === undefined ? {} : { min_value: option.minValue }),
      ...(option.maxValue === undefined ? {} : { max_value: option.maxValue }),
    };
  }
  return {
    type: ApplicationCommandOptionType.String,
    ...common,
    autocomplete: option.autocomplete !== undefined,
    ...(option.maxLength === undefined ? {} : { max_length: option.maxLength }),
  };
}
