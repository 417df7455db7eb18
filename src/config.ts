import path from 'node:path';
import dotenv from 'dotenv';

/** Log levels, least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How many questions one user may ask within a window before getting a cooldown message. */
export interface RateLimit {
  count: number;
  windowMs: number;
}

/** Everything the bot can be configured with, validated. */
export interface Config {
  /** Bot token; `null` runs the terminal mode instead of connecting to Discord. */
  discordToken: string | null;
  /** Server to register slash commands in (instant); `null` registers them globally. */
  guildId: string | null;
  /** Channels where questions are answered without mentioning the bot. */
  askChannelIds: string[];
  /** Roles whose members may use moderator commands, besides Manage Server and Administrator. */
  modRoleIds: string[];
  /** Whether to request the privileged MessageContent intent (needed to read un-mentioned questions). */
  messageContentIntent: boolean;
  rateLimit: RateLimit;
  /** Content directory holding `articles/*.md`. */
  dataDir: string;
  /** Where the bot keeps what it makes (the index snapshot), outside the content directory, which may be read-only. */
  stateDir: string;
  /** Where the built index is saved for the next start; `null` saves none. */
  indexCache: string | null;
  /** The SQLite database of questions and votes (for /gaps), when no PostgreSQL one is set. */
  databasePath: string;
  /** A PostgreSQL database (`postgres://…`) shared by every machine, used instead of SQLite; `null` for none. */
  databaseUrl: string | null;
  /** Days questions and votes are kept before they are deleted. */
  retentionDays: number;
  /** How long connecting to Discord may take before start-up gives up with a message. */
  connectTimeoutMs: number;
  logLevel: LogLevel;
  /** Discord REST API base, e.g. a REST proxy; `null` uses Discord's own. */
  discordApiUrl: string | null;
  /** Run as this many shards; `'auto'` asks Discord; `null`: no sharding. */
  /**
   * The shards of `shardCount` this process runs (SHARD_IDS, e.g. 0,1 on one machine and 2,3 on
   * another); `null` runs them all.
   */
  shardIds: number[] | null;
  shardCount: number | 'auto' | null;
  /**
   * `client`: every shard in this one process, sharing one index (one client runs them all);
   * `process`: one process per shard under discord.js's ShardingManager, when one process's CPU is the limit.
   */
  shardMode: 'client' | 'process';
  /** This process is a shard started by the ShardingManager (discord.js sets SHARDING_MANAGER for it). */
  isShard: boolean;
  /** Width to wrap terminal answers at when output is not a terminal that says its own (COLUMNS); `null`: no wrapping. */
  columns: number | null;
  /**
   * The servers whose moderators may add and remove articles: the articles are shared by every
   * server the bot is in, so only these change them. CONTENT_GUILD_IDS, else GUILD_ID, else none.
   */
  contentGuildIds: string[];
  /** Importing articles from links and files. */
  imports: {
    /**
     * Where the imported articles this machine serves are: STATE_DIR/articles; with DATABASE_URL,
     * STATE_DIR/shared-articles, this machine's copy of the articles kept in the database.
     */
    dir: string;
    /** Where articles imported without a shared database are kept: STATE_DIR/articles (what migrate-store copies). */
    localDir: string;
    /** Let links reach private and loopback addresses (IMPORT_ALLOW_PRIVATE): tests and intranets only. */
    allowPrivate: boolean;
    /** Largest page or file imported, in bytes (IMPORT_MAX_BYTES). */
    maxBytes: number;
    /** Longest a whole fetch may take, redirects and body included (IMPORT_TIMEOUT). */
    timeoutMs: number;
    /** Imports per moderator per time window (IMPORT_RATE_LIMIT). */
    rateLimit: RateLimit;
  };
  /** Following news feeds (see importing/feeds.ts). */
  feeds: FeedSettings;
}

/** How feeds are followed: each figure with the key that sets it. */
export interface FeedSettings {
  /** Items present when a feed is added that are imported (never announced), newest first (FEED_BACKFILL). */
  backfill: number;
  /** Most new items taken from one feed in one poll, oldest first; the rest wait for the next poll (FEED_ITEMS_PER_POLL). */
  itemsPerPoll: number;
  /** Days a story imported from a feed is served before it is removed (FEED_RETENTION_DAYS); a moderator's imports never expire. */
  retentionDays: number;
  /** Most stories announced per feed per poll; the rest are imported silently and counted (FEED_ANNOUNCE_MAX). */
  announceMax: number;
  /** Most feeds followed in all (FEED_MAX). */
  maxFeeds: number;
}

/** The keys `loadConfig` reads, documented in `.env.example`. */
type ConfigKey =
  | 'DISCORD_TOKEN'
  | 'GUILD_ID'
  | 'ASK_CHANNEL_IDS'
  | 'MOD_ROLE_IDS'
  | 'MESSAGE_CONTENT_INTENT'
  | 'RATE_LIMIT'
  | 'DATA_DIR'
  | 'STATE_DIR'
  | 'INDEX_CACHE'
  | 'DATABASE_PATH'
  | 'DATABASE_URL'
  | 'RETENTION_DAYS'
  | 'CONNECT_TIMEOUT'
  | 'LOG_LEVEL'
  | 'DISCORD_API_URL'
  | 'SHARD_COUNT'
  | 'SHARD_MODE'
  | 'SHARD_IDS'
  | 'COLUMNS'
  | 'CONTENT_GUILD_IDS'
  | 'IMPORT_ALLOW_PRIVATE'
  | 'IMPORT_MAX_BYTES'
  | 'IMPORT_TIMEOUT'
  | 'IMPORT_RATE_LIMIT'
  | 'FEED_BACKFILL'
  | 'FEED_ITEMS_PER_POLL'
  | 'FEED_RETENTION_DAYS'
  | 'FEED_ANNOUNCE_MAX'
  | 'FEED_MAX';

/** Invalid configuration: one line per bad key, naming the key. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

const SNOWFLAKE = /^\d{17,20}$/;

/** Each key's value when it is not set, as it would be written in `.env`: the one place for defaults. */
const DEFAULTS = {
  RATE_LIMIT: '5/30s',
  IMPORT_RATE_LIMIT: '10/600s',
  IMPORT_MAX_BYTES: '5MB',
  IMPORT_TIMEOUT: '15',
  LOG_LEVEL: 'info',
  SHARD_MODE: 'client',
  DATA_DIR: 'data',
  STATE_DIR: 'state',
  RETENTION_DAYS: '90',
  CONNECT_TIMEOUT: '15',
  FEED_BACKFILL: '10',
  FEED_ITEMS_PER_POLL: '20',
  FEED_RETENTION_DAYS: '30',
  FEED_ANNOUNCE_MAX: '5',
  FEED_MAX: '50',
} as const satisfies Partial<Record<ConfigKey, string>>;

/**
 * Reads and validates the configuration from environment variables (after `.env` is loaded).
 * Every bad key is reported at once, so a moderator fixes them in one go. This is the only
 * place that reads the environment.
 *
 * @example
 * loadConfig({ DATA_DIR: 'data', RATE_LIMIT: '5/30s' }).rateLimit // => { count: 5, windowMs: 30000 }
 * @throws {ConfigError} naming every invalid key.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const problems: string[] = [];
  const value = (key: ConfigKey): string | null => {
    const raw = env[key]?.trim();
    return raw === undefined || raw === '' ? null : raw;
  };
  const ids = (key: 'ASK_CHANNEL_IDS' | 'MOD_ROLE_IDS' | 'CONTENT_GUILD_IDS'): string[] => {
    const list = (value(key) ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    const bad = list.filter((id) => !SNOWFLAKE.test(id));
    if (bad.length > 0) problems.push(`${key}: not Discord ids (17–20 digits): ${bad.join(', ')}`);
    return list;
  };
  /**
   * A whole number of at most `digits` digits and at least `min`, or `null` when the key is unset;
   * anything else is a problem described as `expected`.
   */
  const wholeNumber = (key: ConfigKey, min: number, digits: number, expected: string): number | null => {
    const text = value(key) ?? (DEFAULTS as Partial<Record<ConfigKey, string>>)[key] ?? null;
    if (text === null) return null;
    if (text.length <= digits && /^\d+$/.test(text) && Number(text) >= min) return Number(text);
    problems.push(`${key}: expected ${expected}`);
    return null;
  };

  const discordToken = value('DISCORD_TOKEN');
  if (discordToken !== null && /^bot\s/i.test(discordToken))
    problems.push('DISCORD_TOKEN: drop the "Bot " prefix: set only the token itself');
  else if (discordToken !== null && !/^[\w.-]{20,}$/.test(discordToken))
    problems.push('DISCORD_TOKEN: does not look like a bot token (copy it from the Bot page of the Developer Portal)');

  const guildId = value('GUILD_ID');
  if (guildId !== null && !SNOWFLAKE.test(guildId)) problems.push('GUILD_ID: not a Discord server id (17–20 digits)');

  const askChannelIds = ids('ASK_CHANNEL_IDS');
  const modRoleIds = ids('MOD_ROLE_IDS');

  /** A true/false key, false when unset; `null` (and a problem) when it is neither. */
  const flag = (key: 'MESSAGE_CONTENT_INTENT' | 'IMPORT_ALLOW_PRIVATE'): boolean | null => {
    const text = (value(key) ?? 'false').toLowerCase();
    if (['true', '1', 'yes'].includes(text)) return true;
    if (['false', '0', 'no'].includes(text)) return false;
    problems.push(`${key}: expected true or false`);
    return null;
  };
  const intent = flag('MESSAGE_CONTENT_INTENT');
  const messageContentIntent = intent === true;
  if (askChannelIds.length > 0 && intent === false)
    problems.push(
      'ASK_CHANNEL_IDS: answering without a mention needs MESSAGE_CONTENT_INTENT=true (and the intent enabled in the Developer Portal)',
    );

  const rateLimitOf = (key: 'RATE_LIMIT' | 'IMPORT_RATE_LIMIT'): RateLimit => {
    const limit = parseRateLimit(value(key) ?? DEFAULTS[key]);
    if (limit === null) problems.push(`${key}: expected "<count>/<seconds>s", e.g. ${DEFAULTS[key]} (or "off")`);
    return limit ?? (parseRateLimit(DEFAULTS[key]) as RateLimit);
  };
  const rateLimit = rateLimitOf('RATE_LIMIT');
  const importRateLimit = rateLimitOf('IMPORT_RATE_LIMIT');
  const contentGuildIds = ids('CONTENT_GUILD_IDS');
  const allowPrivate = flag('IMPORT_ALLOW_PRIVATE') === true;
  const maxBytes = parseSize(value('IMPORT_MAX_BYTES') ?? DEFAULTS.IMPORT_MAX_BYTES);
  if (maxBytes === null)
    problems.push(`IMPORT_MAX_BYTES: expected a size from 1KB to 100MB, e.g. ${DEFAULTS.IMPORT_MAX_BYTES}`);
  const seconds = (key: 'IMPORT_TIMEOUT' | 'CONNECT_TIMEOUT', digits: number): number =>
    wholeNumber(key, 1, digits, `a whole number of seconds, at least 1, e.g. ${DEFAULTS[key]}`) ??
    Number(DEFAULTS[key]);
  const importSeconds = seconds('IMPORT_TIMEOUT', 3);

  const logLevel = (value('LOG_LEVEL') ?? DEFAULTS.LOG_LEVEL).toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    problems.push(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}`);

  const discordApiUrl = value('DISCORD_API_URL');
  if (discordApiUrl !== null && !/^https?:\/\/[^\s/]+/.test(discordApiUrl))
    problems.push('DISCORD_API_URL: expected an http(s) URL such as http://localhost:8080/api');

  const shardCount =
    value('SHARD_COUNT')?.toLowerCase() === 'auto'
      ? 'auto'
      : wholeNumber('SHARD_COUNT', 1, 4, '"auto" or a whole number of shards, e.g. 2');
  if (value('SHARD_COUNT') !== null && discordToken === null)
    problems.push('SHARD_COUNT: sharding needs DISCORD_TOKEN');
  const shardIdsText = value('SHARD_IDS');
  const shardIds = shardIdsText === null ? null : shardIdsText.split(',').map((id) => id.trim());
  if (
    shardIds !== null &&
    (typeof shardCount !== 'number' ||
      shardIds.some((id) => !/^\d{1,4}$/.test(id) || Number(id) >= shardCount) ||
      new Set(shardIds).size !== shardIds.length)
  )
    problems.push(
      'SHARD_IDS: expected distinct shard numbers below a numeric SHARD_COUNT, e.g. SHARD_IDS=0,1 with SHARD_COUNT=4',
    );
  const shardMode = (value('SHARD_MODE') ?? DEFAULTS.SHARD_MODE).toLowerCase();
  if (shardIds !== null && shardMode === 'process')
    problems.push('SHARD_IDS: runs its shards in this one process: leave SHARD_MODE unset (client)');
  if (shardMode !== 'client' && shardMode !== 'process')
    problems.push('SHARD_MODE: expected "client" (one process, one index) or "process" (a process per shard)');

  const dataDir = path.resolve(value('DATA_DIR') ?? DEFAULTS.DATA_DIR);
  const stateDir = path.resolve(value('STATE_DIR') ?? DEFAULTS.STATE_DIR);
  const cache = value('INDEX_CACHE');
  const indexCache =
    cache?.toLowerCase() === 'off' ? null : path.resolve(cache ?? path.join(stateDir, 'index.snapshot'));

  const databasePath = path.resolve(value('DATABASE_PATH') ?? path.join(stateDir, 'bot.sqlite'));
  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl !== null && !/^postgres(?:ql)?:\/\/\S+$/i.test(databaseUrl))
    problems.push('DATABASE_URL: expected a PostgreSQL URL such as postgres://bot:password@db.internal:5432/bot');
  const retentionDays =
    wholeNumber('RETENTION_DAYS', 1, 4, `a whole number of days, at least 1, e.g. ${DEFAULTS.RETENTION_DAYS}`) ??
    Number(DEFAULTS.RETENTION_DAYS);
  const connectSeconds = seconds('CONNECT_TIMEOUT', 4);
  const columns = wholeNumber('COLUMNS', 20, 4, 'a terminal width of at least 20 characters, e.g. 80');
  const feedNumber = (key: keyof FeedKeys, min: number, what: string): number =>
    wholeNumber(key, min, 4, `${what}, at least ${min}, e.g. ${DEFAULTS[key]}`) ?? Number(DEFAULTS[key]);
  const feeds: FeedSettings = {
    backfill: feedNumber('FEED_BACKFILL', 0, 'a whole number of stories'),
    itemsPerPoll: feedNumber('FEED_ITEMS_PER_POLL', 1, 'a whole number of stories'),
    retentionDays: feedNumber('FEED_RETENTION_DAYS', 1, 'a whole number of days'),
    announceMax: feedNumber('FEED_ANNOUNCE_MAX', 0, 'a whole number of announcements'),
    maxFeeds: feedNumber('FEED_MAX', 1, 'a whole number of feeds'),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    discordToken,
    guildId,
    askChannelIds,
    modRoleIds,
    messageContentIntent,
    rateLimit,
    dataDir,
    stateDir,
    indexCache,
    databasePath,
    databaseUrl,
    retentionDays,
    connectTimeoutMs: connectSeconds * 1000,
    logLevel: logLevel as LogLevel,
    discordApiUrl: discordApiUrl?.replace(/\/+$/, '') ?? null,
    shardCount,
    shardIds: shardIds?.map(Number) ?? null,
    shardMode: shardMode === 'process' ? 'process' : 'client',
    isShard: env.SHARDING_MANAGER === 'true',
    columns,
    contentGuildIds: contentGuildIds.length > 0 ? contentGuildIds : guildId !== null ? [guildId] : [],
    imports: {
      dir: path.join(stateDir, databaseUrl === null ? 'articles' : 'shared-articles'),
      localDir: path.join(stateDir, 'articles'),
      allowPrivate,
      maxBytes: maxBytes ?? (parseSize(DEFAULTS.IMPORT_MAX_BYTES) as number),
      timeoutMs: importSeconds * 1000,
      rateLimit: importRateLimit,
    },
    feeds,
  };
}

/** The keys of the feed settings. */
type FeedKeys = Record<
  'FEED_BACKFILL' | 'FEED_ITEMS_PER_POLL' | 'FEED_RETENTION_DAYS' | 'FEED_ANNOUNCE_MAX' | 'FEED_MAX',
  true
>;

/**
 * What must never reach a log: the bot token, and the password in DATABASE_URL.
 *
 * @example
 * secretsOf({ discordToken: null, databaseUrl: 'postgres://bot:hunter2@db/bot' }) // => ['hunter2']
 */
export function secretsOf(config: Pick<Config, 'discordToken' | 'databaseUrl'>): string[] {
  const secrets = config.discordToken === null ? [] : [config.discordToken];
  if (config.databaseUrl !== null) {
    try {
      const password = decodeURIComponent(new URL(config.databaseUrl).password);
      if (password !== '') secrets.push(password);
    } catch {
      // Not a URL: loadConfig has reported it already.
    }
  }
  return secrets;
}

/** "5MB", "512KB" or a number of bytes → bytes, from 1 KB to 100 MB. */
function parseSize(text: string): number | null {
  const match = /^(\d{1,9})\s*(b|kb|mb)?$/i.exec(text);
  if (!match) return null;
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  const bytes = Number(match[1]) * unit;
  return bytes >= 1024 && bytes <= 100 * 1024 * 1024 ? bytes : null;
}

/** "5/30s" → 5 per 30 000 ms; "off" → unlimited. */
function parseRateLimit(text: string): RateLimit | null {
  if (text.toLowerCase() === 'off') return { count: Number.POSITIVE_INFINITY, windowMs: 1 };
  const match = /^(\d{1,4})\s*\/\s*(\d{1,5})\s*s?$/i.exec(text);
  if (!match) return null;
  const count = Number(match[1]);
  const seconds = Number(match[2]);
  return count > 0 && seconds > 0 ? { count, windowMs: seconds * 1000 } : null;
}

/**
 * The process environment with `.env` (in the working directory) loaded under it: variables
 * already set win. dotenv is told to be quiet, so nothing is printed.
 */
export function readEnvironment(): NodeJS.ProcessEnv {
  dotenv.config({ quiet: true });
  return process.env;
}
