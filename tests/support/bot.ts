import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClientOptions } from 'discord.js';
import { commands } from '../../src/commands/index.js';
import { loadConfig, type Config } from '../../src/config.js';
import { startBot, type Bot } from '../../src/discord/bot.js';
import { registerCommands } from '../../src/discord/registerCommands.js';
import { ArticleImporter } from '../../src/importing/importer.js';
import { DirectoryShelf } from '../../src/importing/importShelf.js';
import { KnowledgeBase } from '../../src/serving/knowledgeBase.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { SEED_DIR } from './content.js';
import {
  FAKE_TOKEN,
  noIdentifyThrottle,
  startFakeDiscord,
  type FakeDiscord,
  type FakeDiscordOptions,
} from './fakeDiscord/index.js';
import { captureLogger } from './logger.js';
import { testClock, type TestClock } from './clock.js';
import { FeedFollower } from '../../src/importing/feeds.js';

/** The commands a registration creates, in order, as Discord lists them: written out, so adding one is a visible change. */
export const REGISTERED_COMMAND_NAMES = [
  'ask',
  'insights',
  'sources',
  'search',
  'reload',
  'article',
  'feed',
  'gaps',
  'help',
  'Ask the article',
  'Add article from link',
];

/** A real bot connected to a fake Discord, with everything a test looks at. */
export interface TestBot {
  discord: FakeDiscord;
  bot: Bot;
  config: Config;
  knowledge: KnowledgeBase;
  /** The bot's database (a file of its own per test bot unless `databasePath` is given). */
  store: Store;
  /** Where its imported articles go (STATE_DIR/articles; a directory of its own per test bot unless STATE_DIR is given). */
  importsDir: string;
  /** Every log line the bot wrote. */
  logs: string[];
  /** The feeds it follows, polled on {@link TestBot.clock}. */
  feeds: FeedFollower;
  /** The clock its feeds are polled on: nothing is polled until the test moves it. */
  clock: TestClock;
  stop(): Promise<void>;
}

/** Client options that make reconnects and identifies instant against the fake. */
export function testClientOptions(): Partial<ClientOptions> {
  return {
    ws: { buildIdentifyThrottler: noIdentifyThrottle },
    waitGuildTimeout: 1_000,
    rest: { offset: 0, timeout: 5_000 },
  };
}

/**
 * Starts the fake Discord and the real bot (real client, handler, engine) against it, with the
 * slash commands registered the way `npm run register` does. `env` adds configuration keys.
 */
export async function startTestBot(
  options: {
    env?: Record<string, string>;
    dataDir?: string;
    fake?: FakeDiscordOptions;
    databasePath?: string;
    /** A PostgreSQL database to record in instead of SQLite (see tests/support/postgres.ts). */
    databaseUrl?: string;
    /** The content to serve, loaded or not yet; by default `dataDir` (the seed article), loaded. */
    knowledge?: KnowledgeBase;
  } = {},
): Promise<TestBot> {
  const discord = await startFakeDiscord(options.fake);
  const stateDir = options.env?.STATE_DIR ? null : await mkdtemp(path.join(tmpdir(), 'article-bot-state-'));
  const config = loadConfig({
    DISCORD_TOKEN: FAKE_TOKEN,
    DISCORD_API_URL: discord.apiUrl,
    GUILD_ID: discord.guild.id,
    DATA_DIR: options.dataDir ?? SEED_DIR,
    LOG_LEVEL: 'debug',
    ...(stateDir ? { STATE_DIR: stateDir } : {}),
    ...options.env,
  });
  const knowledge = options.knowledge ?? KnowledgeBase.create(config.dataDir, { importsDir: config.imports.dir });
  if (!options.knowledge) await knowledge.reload();
  const log = captureLogger([FAKE_TOKEN]);
  const dbDir = options.databasePath ? null : await mkdtemp(path.join(tmpdir(), 'article-bot-db-'));
  const store = options.databaseUrl
    ? await PostgresStore.open(options.databaseUrl, log.logger)
    : SqliteStore.open(options.databasePath ?? path.join(dbDir ?? '', 'bot.sqlite'));
  await registerCommands({ ...config, discordToken: FAKE_TOKEN }, commands);
  const clock = testClock();
  let feeds: FeedFollower | undefined;
  const importer = ArticleImporter.configured(config, {
    shelf: new DirectoryShelf(config.imports.dir, store, log.logger),
    logger: log.logger,
    knowledge,
  });
  const bot = await startBot({
    config,
    commands,
    knowledge,
    logger: log.logger,
    store,
    // Its imports are files of its own, whichever store records them: a fleet's shared articles are tested with whole processes.
    importer,
    followFeeds: (announcer, reload) =>
      (feeds = new FeedFollower({
        store: store.feeds,
        importer,
        engine: () => knowledge.engine,
        reload,
        announcer,
        clock,
        machineId: 'test-bot',
        settings: config.feeds,
        policy: ArticleImporter.policyOf(config),
        logger: log.logger,
        random: () => 0,
      })),
    clientOptions: testClientOptions(),
  });
  if (!feeds) throw new Error('the bot follows no feeds');
  return {
    discord,
    bot,
    config,
    knowledge,
    store,
    importsDir: config.imports.dir,
    logs: log.lines,
    feeds,
    clock,
    async stop() {
      await bot.stop();
      await store.close();
      await discord.close();
      if (dbDir) await rm(dbDir, { recursive: true, force: true });
      if (stateDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}
