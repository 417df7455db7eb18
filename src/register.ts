import { commands } from './commands/index.js';
import { loadConfig, readEnvironment } from './config.js';
import { registerCommands } from './discord/registerCommands.js';
import { describeDiscordError } from './discord/errors.js';
import { exitOnStartupError, StartupError } from './startup.js';

/** `npm run register`: registers the slash commands (in GUILD_ID, else globally) and lists them. */
async function main(): Promise<void> {
  const config = loadConfig(readEnvironment());
  if (config.discordToken === null)
    throw new StartupError('DISCORD_TOKEN is not set: registering commands needs the bot token (see README.md)');
  const token = config.discordToken;
  const { scope, registered } = await registerCommands({ ...config, discordToken: token }, commands).catch(
    (error: unknown) => {
      throw new StartupError(`could not register the commands: ${describeDiscordError(error, [token])}`);
    },
  );
  process.stdout.write(`Registered ${registered.length} commands in ${scope}:\n`);
  for (const command of registered) process.stdout.write(`  /${command.name} — ${command.description}\n`);
}

main().catch(exitOnStartupError);
