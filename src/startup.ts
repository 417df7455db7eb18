import { ConfigError } from './config.js';
import { formatProblem, type Problem } from './content/article.js';
import { loadArticles } from './content/loadArticles.js';
import { UserError } from './errors.js';
import { redactSecrets } from './logger.js';
import { KnowledgeBase, type KnowledgeOptions } from './library/knowledgeBase.js';

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
export async function openContent(dataDir: string, options: KnowledgeOptions = {}): Promise<KnowledgeBase> {
  const { knowledge, problems } = await KnowledgeBase.open(dataDir, options);
  stopOnProblems(problems);
  return knowledge;
}

/**
 * Checks the content directory without building an index: for the sharding manager, whose
 * shards each build their own.
 *
 * @throws {StartupError} listing every problem.
 */
export async function checkContent(dataDir: string): Promise<void> {
  stopOnProblems((await loadArticles(dataDir)).problems);
}

function stopOnProblems(problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  throw new StartupError(`the content has ${problems.length} problem${problems.length === 1 ? '' : 's'}; fix ${problems.length === 1 ? 'it' : 'them'} and start again:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
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

/**
 * A one-line account of a failed Discord call, with the token removed, pointing at the fix for
 * the usual causes (a wrong token, a privileged intent not enabled, Discord unreachable).
 */
export function describeDiscordError(error: unknown, secrets: ReadonlyArray<string | null>): string {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  let text: string;
  if (code === 'TokenInvalid' || /401|4004|unauthori[sz]ed|invalid token|authentication failed/i.test(message)) text = 'Discord rejected DISCORD_TOKEN: copy the token again from the Bot page of the Developer Portal';
  else if (code === 'DisallowedIntents' || /disallowed intent|4014/i.test(message)) text = 'Discord refused the Message Content intent: enable it on the Bot page of the Developer Portal, or set MESSAGE_CONTENT_INTENT=false';
  else if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|fetch failed|Connect Timeout/i.test(message)) text = `Discord could not be reached (${message}): check the network, or DISCORD_API_URL`;
  else text = message;
  return redactSecrets(text, secrets);
}
