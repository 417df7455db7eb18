import { LOG_LEVELS, type LogLevel } from './config.js';

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** A structured logger: one event name, a level, and fields. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  level: LogLevel;
  /** JSON lines (for log collectors) or readable lines (for a person at a terminal). */
  format: 'json' | 'pretty';
  /** Where lines go; stderr by default, so stdout stays for answers. */
  write?: (line: string) => void;
  /** Strings that must never appear in a log line (the bot token); replaced by "[redacted]". */
  secrets?: ReadonlyArray<string | null>;
}

/**
 * Creates the logger every part of the bot receives. Errors are logged with their stack; every
 * line passes through secret redaction, so a token inside an error message never reaches a log.
 *
 * @example
 * const logger = createLogger({ level: 'info', format: 'json', secrets: [config.discordToken] });
 * logger.info('reload', { user: 'mod#1', articles: 2 });
 */
export function createLogger(options: LoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level);
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));

  const log = (level: LogLevel, event: string, fields: LogFields = {}): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const plain = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, serializable(value)]));
    const line =
      options.format === 'json'
        ? JSON.stringify({ time: new Date().toISOString(), level, event, ...plain })
        : `${new Date().toISOString().slice(11, 19)} ${level.toUpperCase().padEnd(5)} ${event}${Object.entries(plain)
            .map(([key, value]) => ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
            .join('')}`;
    write(redactSecrets(line, options.secrets ?? []));
  };
  return {
    debug: (event, fields) => log('debug', event, fields),
    info: (event, fields) => log('info', event, fields),
    warn: (event, fields) => log('warn', event, fields),
    error: (event, fields) => log('error', event, fields),
  };
}

/** `text` with every secret (8 characters or more) replaced by "[redacted]". */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | null>): string {
  return secrets.reduce<string>(
    (out, secret) => (secret && secret.length >= 8 ? out.split(secret).join('[redacted]') : out),
    text,
  );
}

function serializable(value: unknown): unknown {
  if (value instanceof Error)
    return {
      name: value.name,
      message: value.message,
      stack: value.stack,
      ...(value.cause === undefined ? {} : { cause: serializable(value.cause) }),
    };
  if (typeof value === 'bigint') return value.toString();
  try {
    JSON.stringify(value);
    return value;
  } catch {
    return String(value);
  }
}
