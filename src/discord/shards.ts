import { REST, Routes, ShardingManager } from 'discord.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/** A running set of shard processes, and how to stop them. */
export interface Shards {
  manager: ShardingManager;
  stop(): void;
}

/**
 * Runs the bot as several shard processes under discord.js's ShardingManager (Discord requires
 * sharding past 2,500 servers): each process runs `entry`, the script this one runs
 * (`dist/index.js` under `npm start`), with its own index and serves its share of the servers.
 * With SHARD_COUNT=auto the count is what Discord recommends, asked through DISCORD_API_URL when
 * one is set.
 */
export async function startShards(
  config: Config & { discordToken: string },
  entry: string,
  logger: Logger,
): Promise<Shards> {
  const totalShards = config.shardCount === 'auto' ? await recommendedShardCount(config) : (config.shardCount ?? 1);
  const manager = new ShardingManager(entry, {
    token: config.discordToken,
    totalShards,
    mode: 'process',
    respawn: true,
    // The shards run with this process's own Node flags: `--enable-source-maps` under `npm start`
    // (production installs have no tsx), the tsx loader when the tests run `src/index.ts`.
    execArgv: process.execArgv,
  });
  manager.on('shardCreate', (shard) => {
    logger.info('shard.created', { shard: shard.id, of: totalShards });
    shard.on('death', () => logger.warn('shard.died', { shard: shard.id }));
  });
  await manager.spawn({ timeout: 60_000 });
  logger.info('shards.ready', { shards: totalShards });
  return {
    manager,
    stop() {
      for (const shard of manager.shards.values()) shard.kill();
    },
  };
}

/** Discord's recommended shard count for this bot (`GET /gateway/bot`). */
async function recommendedShardCount(config: Config & { discordToken: string }): Promise<number> {
  const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(config.discordToken);
  const gateway = (await rest.get(Routes.gatewayBot())) as { shards: number };
  return Math.max(1, gateway.shards);
}
