import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
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
export function toDiscordCommand(definition: CommandDefinition): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.ChatInput,
    name: definition.name,
    description: definition.description,
    options: definition.options.map(toDiscordOption),
    ...(definition.moderatorOnly
      ? {
          default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
          contexts: [InteractionContextType.Guild],
        }
      : { contexts: [InteractionContextType.Guild, InteractionContextType.BotDM] }),
  };
}

function toDiscordOption(option: OptionDefinition): APIApplicationCommandBasicOption {
  if (option.type === 'integer') {
    return {
      type: ApplicationCommandOptionType.Integer,
      name: option.name,
      description: option.description,
      required: option.required,
      ...(option.minValue === undefined ? {} : { min_value: option.minValue }),
      ...(option.maxValue === undefined ? {} : { max_value: option.maxValue }),
    };
  }
  return {
    type: ApplicationCommandOptionType.String,
    name: option.name,
    description: option.description,
    required: option.required,
    autocomplete: option.autocomplete !== undefined,
    ...(option.maxLength === undefined ? {} : { max_length: option.maxLength }),
  };
}
