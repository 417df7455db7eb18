import { ConfigError } from './config.js';
import { formatProblem } from './content/article.js';
import { UserError } from './errors.js';
import { KnowledgeBase } from './search/knowledgeBase.js';

/** Start-up cannot go on: the lines say why, for the person starting the bot. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/**
 * Opens the content directory for serving. Start-up is strict: any content problem stops it,
 * listed as `file:line: problem`, so a broken file is fixed before anyone is answered from it.
 *
 * @throws {StartupError} listing every problem.
 */
export async function openContent(dataDir: string): Promise<KnowledgeBase> {
  const { knowledge, problems } = await KnowledgeBase.open(dataDir);
  if (problems.length > 0) {
    throw new StartupError(`the content has ${problems.length} problem${problems.length === 1 ? '' : 's'}; fix ${problems.length === 1 ? 'it' : 'them'} and start again:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
  return knowledge;
}

/**
 * Reports a start-up failure on stderr and exits 1. Expected failures (configuration, content,
 * user errors) print their message only; anything else is a bug and prints its stack.
 */
export function exitOnStartupError(error: unknown): never {
  const expected = error instanceof ConfigError || error instanceof StartupError || error instanceof UserError;
  const message = expected ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}
