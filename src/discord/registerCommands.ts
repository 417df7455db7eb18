import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import type { Command } from '../commands/command.js';
import type { Config } from '../config.js';
import { toDiscordCommands } from './definitions.js';

/**
 * Registers every command with Discord, replacing what was there: in one server when GUILD_ID
 * is set (instant, for testing), else globally (every server; Discord may take a while to show
 * changes). Returns what Discord registered and where.
 */
export async function registerCommands(
  config: Config & { discordToken: string },
  commands: readonly Command[],
): Promise<{ scope: string; registered: RESTPutAPIApplicationCommandsResult }> {
  const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(config.discordToken);
  const application = (await rest.get(Routes.currentApplication())) as { id: string };
  const body = toDiscordCommands(commands.filter((command) => !command.data.hidden).map((command) => command.data));
  const route = config.guildId
    ? Routes.applicationGuildCommands(application.id, config.guildId)
    : Routes.applicationCommands(application.id);
  const registered = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  return { scope: config.guildId ? `server ${config.guildId}` : 'all servers (global)', registered };
}
