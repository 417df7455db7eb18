import { commands } from './commands/index.js';
import { createHandler } from './commands/handler.js';
import { loadConfig, readEnvironment } from './config.js';
import { createLogger } from './logger.js';
import { exitOnStartupError, openContent } from './startup.js';
import { runSession } from './terminal/session.js';

/** `npm start`: the Discord bot when DISCORD_TOKEN is set, else the terminal mode. */
async function main(): Promise<void> {
  const config = loadConfig(readEnvironment());
  const logger = createLogger({ level: config.logLevel, format: process.stderr.isTTY ? 'pretty' : 'json', secrets: [config.discordToken] });
  const knowledge = await openContent(config.dataDir);
  const handler = createHandler({ knowledge, logger, commands });
  if (config.discordToken === null) {
    const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
    await runSession({ handler, input: process.stdin, output: process.stdout, notices: process.stderr, interactive });
    return;
  }
  throw new Error('the Discord front door is not wired yet');
}

main().catch(exitOnStartupError);
