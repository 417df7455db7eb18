import { Client, GatewayIntentBits, Partials, type ClientOptions } from 'discord.js';
import type { Config } from '../config.js';
import { NO_MENTIONS } from './render.js';

/**
 * The discord.js client the bot runs on: the intents it needs (Message Content only when
 * configured), direct messages, no pings by default, and the REST API base from
 * DISCORD_API_URL (a REST proxy), else Discord's own. `overrides` lets tests point it at a
 * fake Discord without touching anything else. With `identifyTurn` (a store shared by machines),
 * each shard waits for its turn to identify across the fleet.
 */
export function createClient(
  config: Config,
  overrides: Partial<ClientOptions> = {},
  identifyTurn?: (bucket: number, signal: AbortSignal) => Promise<void>,
): Client {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
  if (config.messageContentIntent) intents.push(GatewayIntentBits.MessageContent);
  // SHARD_COUNT in client mode: this one client runs every shard (or those of SHARD_IDS), so they
  // share one index.
  const sharding =
    config.shardCount !== null && config.shardMode === 'client' && !config.isShard
      ? config.shardCount === 'auto'
        ? { shards: 'auto' as const }
        : {
            shards: config.shardIds ?? Array.from({ length: config.shardCount }, (_, i) => i),
            shardCount: config.shardCount,
          }
      : {};
  // Machines sharing a database take turns to log in, so together they keep Discord's identify limit.
  const ws: ClientOptions['ws'] = identifyTurn
    ? {
        buildIdentifyThrottler: async (manager) => {
          const { session_start_limit: limit } = await manager.fetchGatewayInformation();
          const buckets = Math.max(1, limit.max_concurrency);
          return { waitForIdentify: (shardId, signal) => identifyTurn(shardId % buckets, signal) };
        },
      }
    : undefined;
  return new Client({
    intents,
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    ...sharding,
    ...(ws ? { ws } : {}),
    ...overrides,
    rest: { ...(config.discordApiUrl ? { api: config.discordApiUrl } : {}), ...overrides.rest },
  });
}
