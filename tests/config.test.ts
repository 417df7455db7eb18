import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretsOf } from '../src/config.js';

describe('loadConfig', () => {
  it('has defaults that run the terminal mode on ./data', () => {
    expect(loadConfig({})).toEqual({
      discordToken: null,
      guildId: null,
      askChannelIds: [],
      modRoleIds: [],
      messageContentIntent: false,
      rateLimit: { count: 5, windowMs: 30_000 },
      dataDir: path.resolve('data'),
      stateDir: path.resolve('state'),
      indexCache: path.resolve('state/index.snapshot'),
      databasePath: path.resolve('state/bot.sqlite'),
      databaseUrl: null,
      retentionDays: 90,
      connectTimeoutMs: 15_000,
      logLevel: 'info',
      discordApiUrl: null,
      shardCount: null,
      shardIds: null,
      shardMode: 'client',
      isShard: false,
      columns: null,
      contentGuildIds: [],
      imports: {
        dir: path.resolve('state/articles'),
        localDir: path.resolve('state/articles'),
        allowPrivate: false,
        maxBytes: 5 * 1024 * 1024,
        timeoutMs: 15_000,
        rateLimit: { count: 10, windowMs: 600_000 },
      },
      feeds: { backfill: 10, itemsPerPoll: 20, retentionDays: 30, announceMax: 5, maxFeeds: 50 },
    });
  });

  it('lets GUILD_ID change content unless CONTENT_GUILD_IDS says which servers may; reads the import limits', () => {
    expect(loadConfig({ GUILD_ID: '123456789012345678' }).contentGuildIds).toEqual(['123456789012345678']);
    const config = loadConfig({
      GUILD_ID: '123456789012345678',
      CONTENT_GUILD_IDS: '123456789012345671,123456789012345672',
      IMPORT_ALLOW_PRIVATE: 'true',
      IMPORT_MAX_BYTES: '512KB',
      IMPORT_RATE_LIMIT: '2/60s',
      IMPORT_TIMEOUT: '30',
      STATE_DIR: '/var/lib/bot',
    });
    expect(config.contentGuildIds).toEqual(['123456789012345671', '123456789012345672']);
    expect(config.imports).toEqual({
      dir: '/var/lib/bot/articles',
      localDir: '/var/lib/bot/articles',
      allowPrivate: true,
      maxBytes: 512 * 1024,
      timeoutMs: 30_000,
      rateLimit: { count: 2, windowMs: 60_000 },
    });
    // With a shared database, this machine serves its copy of the database's articles.
    const shared = loadConfig({ STATE_DIR: '/var/lib/bot', DATABASE_URL: 'postgres://bot@db/bot' });
    expect(shared.imports).toMatchObject({
      dir: '/var/lib/bot/shared-articles',
      localDir: '/var/lib/bot/articles',
    });
  });

  it('names each bad import key', () => {
    expect(() =>
      loadConfig({
        CONTENT_GUILD_IDS: 'general',
        IMPORT_ALLOW_PRIVATE: 'sometimes',
        IMPORT_MAX_BYTES: '5GB',
        IMPORT_RATE_LIMIT: 'lots',
        IMPORT_TIMEOUT: 'soon',
      }),
    ).toThrow(
      new ConfigError([
        'IMPORT_RATE_LIMIT: expected "<count>/<seconds>s", e.g. 10/600s (or "off")',
        'CONTENT_GUILD_IDS: not Discord ids (17–20 digits): general',
        'IMPORT_ALLOW_PRIVATE: expected true or false',
        'IMPORT_MAX_BYTES: expected a size from 1KB to 100MB, e.g. 5MB',
        'IMPORT_TIMEOUT: expected a whole number of seconds, at least 1, e.g. 15',
      ]),
    );
  });

  it('reads every key', () => {
    const config = loadConfig({
      DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.abcdef.ghijklmnopqrstuvwxyz',
      GUILD_ID: '123456789012345678',
      ASK_CHANNEL_IDS: '123456789012345671, 123456789012345672',
      MOD_ROLE_IDS: '123456789012345673',
      MESSAGE_CONTENT_INTENT: 'true',
      RATE_LIMIT: '3/10s',
      DATA_DIR: '/srv/content',
      LOG_LEVEL: 'DEBUG',
      DISCORD_API_URL: 'http://127.0.0.1:8080/api/',
    });
    expect(config).toMatchObject({
      guildId: '123456789012345678',
      askChannelIds: ['123456789012345671', '123456789012345672'],
      modRoleIds: ['123456789012345673'],
      messageContentIntent: true,
      rateLimit: { count: 3, windowMs: 10_000 },
      dataDir: '/srv/content',
      logLevel: 'debug',
      discordApiUrl: 'http://127.0.0.1:8080/api',
    });
  });

  it('keeps the index cache where INDEX_CACHE says, or nowhere with "off"', () => {
    expect(loadConfig({ INDEX_CACHE: '/tmp/index.json' }).indexCache).toBe('/tmp/index.json');
    expect(loadConfig({ INDEX_CACHE: 'off' }).indexCache).toBeNull();
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DISCORD_TOKEN: '', GUILD_ID: '  ' })).toMatchObject({ discordToken: null, guildId: null });
  });

  it('names every bad key at once, and never echoes the token', () => {
    const token = 'not a token!';
    let error: unknown;
    try {
      loadConfig({
        DISCORD_TOKEN: token,
        GUILD_ID: 'abc',
        ASK_CHANNEL_IDS: '1,2',
        MESSAGE_CONTENT_INTENT: 'maybe',
        RATE_LIMIT: '0/10s',
        LOG_LEVEL: 'loud',
        DISCORD_API_URL: 'ftp://x',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'DISCORD_TOKEN',
      'GUILD_ID',
      'ASK_CHANNEL_IDS',
      'MESSAGE_CONTENT_INTENT',
      'RATE_LIMIT',
      'LOG_LEVEL',
      'DISCORD_API_URL',
    ]);
    expect((error as Error).message).not.toContain(token);
  });

  it('refuses ASK_CHANNEL_IDS without the Message Content intent', () => {
    expect(() => loadConfig({ ASK_CHANNEL_IDS: '123456789012345671' })).toThrow(
      /ASK_CHANNEL_IDS: answering without a mention needs MESSAGE_CONTENT_INTENT=true/,
    );
  });

  it('reads SHARD_COUNT as "auto" or a number, and needs a token for it', () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.abcdef.ghijklmnopqrstuvwxyz';
    expect(loadConfig({ DISCORD_TOKEN: token, SHARD_COUNT: 'auto' }).shardCount).toBe('auto');
    expect(loadConfig({ DISCORD_TOKEN: token, SHARD_COUNT: '4' }).shardCount).toBe(4);
    expect(() => loadConfig({ DISCORD_TOKEN: token, SHARD_COUNT: 'many' })).toThrow(/SHARD_COUNT: expected "auto"/);
    expect(() => loadConfig({ SHARD_COUNT: '2' })).toThrow(/SHARD_COUNT: sharding needs DISCORD_TOKEN/);
  });

  it('accepts RATE_LIMIT=off', () => {
    expect(loadConfig({ RATE_LIMIT: 'off' }).rateLimit.count).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('COLUMNS', () => {
  it('sets the width terminal answers wrap at, and names the key when it is not a width', () => {
    expect(loadConfig({ COLUMNS: '80' }).columns).toBe(80);
    expect(() => loadConfig({ COLUMNS: 'wide' })).toThrow(
      'COLUMNS: expected a terminal width of at least 20 characters',
    );
    expect(() => loadConfig({ COLUMNS: '5' })).toThrow('COLUMNS: expected');
  });
});

describe('DISCORD_TOKEN', () => {
  it('tells a token pasted with its "Bot " prefix to drop it, without echoing the token', () => {
    const token = 'Bot abcdefghijklmnopqrstuvwxyz.0123456789';
    expect(() => loadConfig({ DISCORD_TOKEN: token })).toThrow(
      'DISCORD_TOKEN: drop the "Bot " prefix: set only the token itself',
    );
    expect(() => loadConfig({ DISCORD_TOKEN: token })).not.toThrow(token.slice(4));
  });
});

describe('CONNECT_TIMEOUT', () => {
  it('is read in seconds, 15 by default, and named when it is not a number of seconds', () => {
    expect(loadConfig({ CONNECT_TIMEOUT: '5' }).connectTimeoutMs).toBe(5000);
    expect(() => loadConfig({ CONNECT_TIMEOUT: 'soon' })).toThrow(
      'CONNECT_TIMEOUT: expected a whole number of seconds',
    );
  });
});

describe('DATABASE_URL', () => {
  it('selects PostgreSQL by URL, names the key when it is not one, and keeps its password out of logs', () => {
    const url = 'postgres://bot:hunter2@db.internal:5432/bot';
    expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/bot' })).toThrow('DATABASE_URL: expected a PostgreSQL URL');
    expect(secretsOf({ discordToken: null, databaseUrl: url })).toEqual(['hunter2']);
    expect(secretsOf({ discordToken: null, databaseUrl: null })).toEqual([]);
  });
});

describe('SHARD_IDS', () => {
  it('picks the shards of a numeric SHARD_COUNT this process runs, and names the key when they do not fit', () => {
    const token = { DISCORD_TOKEN: 'x'.repeat(30) };
    expect(loadConfig({ ...token, SHARD_COUNT: '4', SHARD_IDS: '2, 3' }).shardIds).toEqual([2, 3]);
    expect(loadConfig({ ...token, SHARD_COUNT: '4' }).shardIds).toBeNull();
    for (const bad of [
      { SHARD_COUNT: '2', SHARD_IDS: '2' },
      { SHARD_COUNT: '2', SHARD_IDS: '0,0' },
      { SHARD_COUNT: 'auto', SHARD_IDS: '0' },
      { SHARD_IDS: '0' },
    ])
      expect(() => loadConfig({ ...token, ...bad })).toThrow('SHARD_IDS: expected distinct shard numbers');
    expect(() => loadConfig({ ...token, SHARD_COUNT: '2', SHARD_IDS: '0', SHARD_MODE: 'process' })).toThrow(
      'SHARD_IDS: runs its shards in this one process',
    );
  });
});
