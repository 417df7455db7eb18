import { Events, type Client, type ClientOptions, type GatewayCloseCodes } from 'discord.js';
import type { Command } from '../commands/command.js';
import { createHandler } from '../commands/handler.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { servedAlone, servedByShards, type ContentFleet, type SpreadReload } from '../fleet/fleet.js';
import type { Announcer, FeedFollower } from '../importing/feeds.js';
import { DiscordAnnouncer } from './announcer.js';
import type { ArticleImporter } from '../importing/importer.js';
import type { ChangedImports, KnowledgeBase, ReloadReport } from '../serving/knowledgeBase.js';
import type { Store } from '../store/store.js';
import { createClient } from './client.js';
import { ConnectTimeoutError, GatewayClosedError } from './errors.js';
import { createInteractionListener } from './interactions.js';
import { createMessageListener } from './messages.js';
import { RateLimiter } from '../commands/rateLimiter.js';

/** How long a failed login waits for the gateway's close code, which tells a bad token from a refused intent. */
const CLOSE_CODE_WAIT_MS = 1000;

/** The client, carrying what a shard's broadcastEval needs to reach this process's content. */
type ClientWithContent = Client & { articleContent: { reload(changed?: ChangedImports): Promise<ReloadReport> } };

/** A connected bot, and how to stop it. */
export interface Bot {
  client: Client;
  /** Disconnects from Discord; the process can then exit. */
  stop(): Promise<void>;
}

/**
 * Connects to Discord and serves the commands and questions. Resolves once the bot is ready
 * (every server received). `clientOptions` are merged into the client's options, for tests
 * that point it at a fake Discord.
 */
export async function startBot(deps: {
  config: Config;
  commands: readonly Command[];
  knowledge: KnowledgeBase;
  logger: Logger;
  /** Where questions and votes are recorded for /gaps. */
  store?: Store;
  /** Adds and removes the articles moderators import from Discord. */
  importer?: ArticleImporter;
  /** The machines sharing the database's articles: a change here reaches every one. */
  fleet?: ContentFleet;
  /** Follows the feeds, announcing through this client and serving stories as /article add does; started once ready. */
  followFeeds?: (announcer: Announcer, reload: (changed?: ChangedImports) => Promise<SpreadReload>) => FeedFollower;
  clientOptions?: Partial<ClientOptions>;
}): Promise<Bot> {
  const { config, logger, knowledge } = deps;
  if (config.discordToken === null) throw new Error('startBot needs DISCORD_TOKEN');
  const client = createClient(config, deps.clientOptions, deps.store?.identifyTurn?.bind(deps.store));
  // Every shard can reload every shard: /reload reaches them all through the ShardingManager.
  (client as ClientWithContent).articleContent = { reload: (changed) => knowledge.reload(changed) };
  const reloadContent = async (changed?: ChangedImports): Promise<SpreadReload> => {
    if (deps.fleet) return deps.fleet.reload(changed);
    if (!client.shard) return servedAlone(await knowledge.reload(changed));
    return servedByShards(
      await client.shard.broadcastEval(
        (shardClient, context) => (shardClient as ClientWithContent).articleContent.reload(context.changed),
        { context: { changed } },
      ),
    );
  };
  const feeds = deps.followFeeds?.(new DiscordAnnouncer(client), reloadContent);
  const handler = createHandler({
    knowledge,
    logger,
    commands: deps.commands,
    surface: { name: 'discord', textOnly: false, localFiles: false, ownCommands: [] },
    limiters: { questions: new RateLimiter(config.rateLimit), imports: new RateLimiter(config.imports.rateLimit) },
    contentGuilds: config.contentGuildIds,
    ...(deps.store ? { store: deps.store } : {}),
    ...(deps.importer ? { importer: deps.importer } : {}),
    ...(feeds ? { feeds } : {}),
    reloadContent,
  });
  const services = { config, handler, knowledge, logger, ...(feeds ? { feeds } : {}) };
  // Each listener catches and logs its own failures: nothing is left to await.
  const onInteraction = createInteractionListener(services);
  const onMessage = createMessageListener(client, services);
  client.on(Events.InteractionCreate, (interaction) => void onInteraction(interaction));
  client.on(Events.MessageCreate, (message) => void onMessage(message));
  client.on(Events.Error, (error) => logger.error('discord.error', { error }));
  client.on(Events.Warn, (message) => logger.warn('discord.warning', { message }));
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.warn('gateway.disconnected', { shardId, code: event.code }),
  );
  client.on(Events.ShardResume, (shardId, replayed) => logger.info('gateway.resumed', { shardId, replayed }));

  // A gateway that closes for good before the bot is ready (a bad token, a refused intent) fails
  // start-up with its close code, which says why; login itself rejects with a bare message.
  let closedWith: GatewayCloseCodes | null = null;
  const closed = new Promise<GatewayCloseCodes>((resolve) => {
    client.on(Events.ShardDisconnect, (event) => {
      if (client.isReady()) return;
      closedWith = event.code;
      resolve(event.code);
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve());
    void closed.then((code) => reject(new GatewayClosedError(code)));
  });
  logger.info('discord.connecting', {
    api: config.discordApiUrl ?? 'https://discord.com/api',
    timeoutSeconds: config.connectTimeoutMs / 1000,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectTimeoutError(config.connectTimeoutMs)), config.connectTimeoutMs);
  });
  try {
    await Promise.race([
      (async () => {
        await client.login(config.discordToken ?? '');
        await ready;
      })(),
      timeout,
    ]);
  } catch (error) {
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_CODE_WAIT_MS).unref())]);
    await client.destroy();
    throw closedWith !== null && !(error instanceof GatewayClosedError)
      ? new GatewayClosedError(closedWith, { cause: error })
      : error;
  } finally {
    clearTimeout(timer);
  }
  feeds?.start();
  logger.info('discord.ready', {
    user: client.user?.tag,
    shards: client.shard?.ids ?? [0],
    guilds: client.guilds.cache.size,
    askChannels: config.askChannelIds.length,
    messageContentIntent: config.messageContentIntent,
  });
  return {
    client,
    async stop() {
      await feeds?.stop();
      await client.destroy();
      logger.info('discord.stopped');
    },
  };
}
