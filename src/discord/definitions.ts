import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandDefinition, OptionDefinition } from '../commands/command.js';

/**
 * A command's definition as Discord registers it. Moderator commands are guild-only and hidden
 * by default from members without Manage Server (`default_member_permissions`); since server
 * admins can change that, their handlers check permissions again at run time.
 *
 * @example
 * rest.put(Routes.applicationGuildCommands(appId, guildId), { body: commands.map((c) => toDiscordCommand(c.data)) });
 */
export function toDiscordCommand(
  definition: CommandDefinition,
): RESTPostAPIChatInputApplicationCommandsJSONBody | RESTPostAPIContextMenuApplicationCommandsJSONBody {
  const access = definition.moderatorOnly
    ? {
        default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
        contexts: [InteractionContextType.Guild],
      }
    : { contexts: [InteractionContextType.Guild, InteractionContextType.BotDM] };
  // A message command is named as the Apps menu shows it, and takes no typed options.
  if (definition.kind === 'message') return { type: ApplicationCommandType.Message, name: definition.name, ...access };
  return {
    type: ApplicationCommandType.ChatInput,
    name: definition.name,
    description: definition.description,
    options: definition.options.filter((option) => !option.internal).map(toDiscordOption),
    ...access,
  };
}

function toDiscordOption(option: OptionDefinition): APIApplicationCommandBasicOption {
  const common = { name: option.name, description: option.description, required: option.required };
  if (option.type === 'boolean') return { type: ApplicationCommandOptionType.Boolean, ...common };
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
