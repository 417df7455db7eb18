import { Client, GatewayIntentBits, Partials, type ClientOptions } from 'discord.js';
import type { Config } from '../config.js';
import { NO_MENTIONS } from './render.js';

/**
 * The discord.js client the bot runs on: the intents it needs (Message Content only when
 * configured), direct messages, no pings by default, and the REST API base from
 * DISCORD_API_URL (a REST proxy), else Discord's own. `overrides` lets tests point it at a
 * fake Discord without touching anything else.
 */
export function createClient(config: Config, overrides: Partial<ClientOptions> = {}): Client {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
  if (config.messageContentIntent) intents.push(GatewayIntentBits.MessageContent);
  // SHARD_COUNT in client mode: this one client runs every shard, so they share one index.
  const sharding =
    config.shardCount !== null && config.shardMode === 'client' && !config.isShard
      ? config.shardCount === 'auto'
        ? { shards: 'auto' as const }
        : { shards: Array.from({ length: config.shardCount }, (_, i) => i), shardCount: config.shardCount }
      : {};
  return new Client({
    intents,
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    ...sharding,
    ...overrides,
    rest: { ...(config.discordApiUrl ? { api: config.discordApiUrl } : {}), ...overrides.rest },
  });
}
