/** Application command registration: storage with stable ids, plus Discord's main validation rules. */
import { ApplicationCommandOptionType, ApplicationCommandType, ApplicationIntegrationType } from 'discord.js';
import type { APIApplicationCommand, APIApplicationCommandOption } from 'discord.js';
import { nextSnowflake } from './fixtures.js';
import type { World } from './world.js';

/** Loose shape of a command as the bot sends it. */
type CommandInput = Partial<APIApplicationCommand> & Record<string, unknown>;

const NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Problems Discord would report for a command definition (empty when valid). */
export function commandProblems(input: CommandInput, at: string): string[] {
  const problems: string[] = [];
  const type = input.type ?? ApplicationCommandType.ChatInput;
  const name = input.name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 32) {
    problems.push(`${at}.name: Must be between 1 and 32 in length.`);
  } else if (type === ApplicationCommandType.ChatInput && (!NAME_PATTERN.test(name) || name !== name.toLowerCase())) {
    problems.push(`${at}.name: Command name "${name}" is invalid (lowercase letters, digits, - _ ' only).`);
  }
  if (type === ApplicationCommandType.ChatInput) {
    const description = input.description;
    if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
      problems.push(`${at}.description: Must be between 1 and 100 in length.`);
    }
    problems.push(...optionProblems(input.options ?? [], `${at}.options`));
  }
  return problems;
}

function optionProblems(options: APIApplicationCommandOption[], at: string): string[] {
  const problems: string[] = [];
  if (options.length > 25) problems.push(`${at}: Must be 25 or fewer in length.`);
  const names = new Set<string>();
  let sawOptional = false;
  options.forEach((option, i) => {
    const here = `${at}.${i}`;
    if (!NAME_PATTERN.test(option.name) || option.name !== option.name.toLowerCase()) {
      problems.push(`${here}.name: Option name "${option.name}" is invalid.`);
    }
    if (names.has(option.name)) problems.push(`${here}.name: Duplicate option name "${option.name}".`);
    names.add(option.name);
    if (!option.description || option.description.length > 100) {
      problems.push(`${here}.description: Must be between 1 and 100 in length.`);
    }
    const nested =
      option.type === ApplicationCommandOptionType.Subcommand ||
      option.type === ApplicationCommandOptionType.SubcommandGroup;
    if (nested) {
      problems.push(...optionProblems(option.options ?? [], `${here}.options`));
      return;
    }
    const required = 'required' in option && option.required === true;
    if (required && sawOptional)
      problems.push(`${here}.required: Required options must be placed before non-required options.`);
    if (!required) sawOptional = true;
    const choices = 'choices' in option ? option.choices : undefined;
    if (Array.isArray(choices) && choices.length > 25) problems.push(`${here}.choices: Must be 25 or fewer in length.`);
    if (Array.isArray(choices) && 'autocomplete' in option && option.autocomplete) {
      problems.push(`${here}.autocomplete: Autocomplete and choices cannot both be set.`);
    }
  });
  return problems;
}

/** Stores (creates or updates) one command in a scope and returns Discord's view of it. */
export function upsertCommand(world: World, input: CommandInput, guildId: string | null): APIApplicationCommand {
  const type = input.type ?? ApplicationCommandType.ChatInput;
  const key = `${guildId ?? 'global'}:${type}:${input.name ?? ''}`;
  const id = world.commandIds.get(key) ?? nextSnowflake();
  world.commandIds.set(key, id);
  const command: APIApplicationCommand = {
    id,
    application_id: world.applicationId,
    ...(guildId ? { guild_id: guildId } : {}),
    type,
    name: input.name ?? '',
    name_localizations: input.name_localizations ?? null,
    description: input.description ?? '',
    description_localizations: input.description_localizations ?? null,
    ...(input.options ? { options: input.options } : {}),
    default_member_permissions: input.default_member_permissions ?? null,
    nsfw: input.nsfw ?? false,
    integration_types: input.integration_types ?? [ApplicationIntegrationType.GuildInstall],
    contexts: input.contexts ?? null,
    version: nextSnowflake(),
  };
  world.commands.set(id, command);
  return command;
}

/** Bulk overwrite (`PUT`): replaces every command of the scope, keeping ids of same-named ones. */
export function overwriteCommands(
  world: World,
  inputs: CommandInput[],
  guildId: string | null,
): APIApplicationCommand[] {
  for (const existing of world.commandsIn(guildId)) world.commands.delete(existing.id);
  return inputs.map((input) => upsertCommand(world, input, guildId));
}
