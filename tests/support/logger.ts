import { createLogger, type Logger } from '../../src/logger.js';

/** A real logger writing JSON lines into an array, so tests can read what was logged. */
export function captureLogger(secrets: string[] = []): {
  logger: Logger;
  lines: string[];
  entries: () => Array<Record<string, unknown>>;
} {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', format: 'json', write: (line) => lines.push(line), secrets });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
