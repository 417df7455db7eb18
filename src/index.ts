import { fileURLToPath } from 'node:url';
import { commands } from './commands/index.js';
import { loadConfig, readEnvironment, secretsOf, type Config } from './config.js';
import type { Store } from './store/store.js';
import { createLogger, type Logger } from './logger.js';
import { formatProblem } from './content/article.js';
import { articlesDirectory } from './content/loadArticles.js';
import { ContentFleet } from './fleet/fleet.js';
import { ArticleImporter } from './importing/importer.js';
import { shelfFor } from './importing/importShelf.js';
import { KnowledgeBase } from './serving/knowledgeBase.js';
import {
  checkContent,
  ensureStateDir,
  exitOnStartupError,
  loadContent,
  machineOf,
  openConfiguredStore,
  StartupError,
  syncAtStart,
} from './startup.js';
import { createTerminalHandler, runSession, terminalReload } from './terminal/session.js';
import { SYSTEM_CLOCK } from './clock.js';
import { FeedFollower, type Announcer } from './importing/feeds.js';
import type { ChangedImports } from './serving/knowledgeBase.js';

/** Longest wait for a clean disconnect on SIGINT/SIGTERM before exiting anyway. */
const SHUTDOWN_GRACE_MS = 4000;

/** `npm start`: the Discord bot when DISCORD_TOKEN is set, else the terminal mode. */
async function main(): Promise<void> {
  const config = loadConfig(readEnvironment());
  // In the terminal mode the operator reads the logs beside the answers: readable lines, never JSON.
  const logger = createLogger({
    level: config.logLevel,
    format: process.stderr.isTTY || config.discordToken === null ? 'pretty' : 'json',
    secrets: secretsOf(config),
  });
  if (config.discordToken !== null)
    process.on('unhandledRejection', (reason) => logger.error('unhandled_rejection', { error: reason }));
  if (config.discordToken !== null && config.shardCount !== null && config.shardMode === 'process' && !config.isShard) {
    // The manager only checks the content; each shard process builds its own index.
    await checkContent(config.dataDir, config.imports.dir);
    const token = config.discordToken;
    // Loaded only here: discord.js takes a noticeable part of a second to import, which the terminal mode never needs.
    const [{ startShards }, { describeDiscordError }] = await Promise.all([
      import('./discord/shards.js'),
      import('./discord/errors.js'),
    ]);
    const shards = await startShards({ ...config, discordToken: token }, fileURLToPath(import.meta.url), logger).catch(
      (error: unknown) => {
        throw new StartupError(`could not start the shards: ${describeDiscordError(error, [token])}`);
      },
    );
    onShutdown(logger, () => {
      shards.stop();
      return Promise.resolve();
    });
    return;
  }

  await ensureStateDir(config.stateDir);
  // A missing content directory stops start-up at once, before connecting to anything.
  await articlesDirectory(config.dataDir);
  const store = await openStore(config, logger);
  // With PostgreSQL the imported articles are the database's, served from this machine's copy of them.
  const { shelf, mirror } = shelfFor(config.imports.dir, store, logger);
  if (mirror) await syncAtStart(mirror, config.imports.localDir, logger);
  const knowledge = KnowledgeBase.create(config.dataDir, {
    importsDir: config.imports.dir,
    cacheFile: config.indexCache,
    onSnapshotNotice: (message) => logger.warn('index_snapshot', { file: config.indexCache, message }),
  });
  const started = performance.now();
  const loading = loadContent(knowledge).then((report) => {
    logger.info('content.loaded', {
      articles: report.articles,
      passages: report.passages,
      from: report.source,
      ms: Math.round(performance.now() - started),
    });
    if (report.skipped.length > 0) logger.warn('content.skipped', { problems: report.skipped.map(formatProblem) });
  });
  // Awaited below; marked handled now, so a content problem found while Discord modules load is not "unhandled".
  loading.catch(() => undefined);
  const importer = ArticleImporter.configured(config, { shelf, logger, knowledge });
  const machine = machineOf(config);
  const fleet =
    mirror && store.shared ? new ContentFleet({ knowledge, shared: store.shared, mirror, machine, logger }) : undefined;
  const followFeeds = (announcer: Announcer | null, reload: (changed: ChangedImports) => Promise<unknown>) =>
    new FeedFollower({
      store: store.feeds,
      importer,
      engine: () => knowledge.engine,
      reload,
      announcer,
      clock: SYSTEM_CLOCK,
      machineId: machine.id,
      settings: config.feeds,
      policy: ArticleImporter.policyOf(config),
      logger,
    });
  if (config.discordToken === null) {
    await loading;
    await fleet?.start();
    const feeds = followFeeds(null, terminalReload(knowledge, fleet));
    feeds.start();
    // The terminal's operator owns the content: it may be changed from here.
    const handler = createTerminalHandler({ knowledge, logger, store, importer, feeds, ...(fleet ? { fleet } : {}) });
    const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
    // A terminal that reports no size (0 columns) is wrapped as a pipe is.
    const width = process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : config.columns;
    await runSession({
      handler,
      input: process.stdin,
      output: process.stdout,
      notices: process.stderr,
      interactive,
      width,
    });
    await feeds.stop();
    await fleet?.stop();
    await knowledge.saved();
    await store.close();
    return;
  }

  // The gateway connects while the index loads; questions meanwhile are told to try again shortly.
  const token = config.discordToken;
  const [{ startBot }, { describeDiscordError }] = await Promise.all([
    import('./discord/bot.js'),
    import('./discord/errors.js'),
  ]);
  const connecting = startBot({
    config,
    commands,
    knowledge,
    logger,
    store,
    importer,
    followFeeds,
    ...(fleet ? { fleet } : {}),
  }).catch((error: unknown) => {
    throw new StartupError(`could not connect to Discord: ${describeDiscordError(error, [token])}`);
  });
  // Whichever fails first stops start-up: a content problem while connecting, or the connection.
  await Promise.race([loading.then(() => connecting), connecting]).catch((error: unknown) => {
    knowledge.close();
    throw error;
  });
  const bot = await connecting;
  onShutdown(logger, async () => {
    await knowledge.saved();
    knowledge.close();
    await fleet?.stop();
    await bot.stop();
    await store.close();
  });
  await loading;
  // Joined once serving, so the other machines wait only for machines that can answer.
  await fleet?.start();
}

/** How often rows past the retention period are deleted while the bot runs. */
const PURGE_EVERY_MS = 24 * 60 * 60 * 1000;

/**
 * Opens the database and deletes what is past the retention period, now and once a day.
 *
 * @throws {StartupError} naming the file when it cannot be used.
 */
async function openStore(config: Config, logger: Logger): Promise<Store> {
  const store = await openConfiguredStore(config, logger);
  const purge = async (): Promise<void> => {
    const deleted = await store.purge(config.retentionDays);
    if (deleted > 0) logger.info('store.purged', { questions: deleted, retentionDays: config.retentionDays });
  };
  await purge();
  setInterval(
    () => void purge().catch((error: unknown) => logger.warn('store.purge_failed', { error: String(error) })),
    PURGE_EVERY_MS,
  ).unref();
  return store;
}

/** On SIGINT/SIGTERM: stop, then exit 0 (after a grace period at the latest). */
function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  const shutdown = (signal: NodeJS.Signals): void => {
    logger.info('shutdown', { signal });
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown.failed', { error });
        process.exit(0);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch(exitOnStartupError);
