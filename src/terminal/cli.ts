import { createInterface } from 'node:readline';
import { isAnswer, type Reply } from '../commands/reply.js';
import { loadConfig, readEnvironment, secretsOf } from '../config.js';
import { parseCommandLine } from '../commandLine.js';
import { UserError } from '../errors.js';
import { createLogger } from '../logger.js';
import { ensureStateDir, exitOnStartupError, openContent, syncSharedArticles } from '../startup.js';
import { ANSWER_PASSAGES, MAX_PASSAGES } from '../search/engine.js';
import { renderReply } from './render.js';
import { createTerminalHandler, TERMINAL_INVOKER } from './session.js';

const USAGE = `Usage: npm run ask -- [options] "question"

Answers one question about the articles and exits. Without a question, reads questions
from standard input, one per line.

Options:
  --json        one JSON object per question: {"query", "answered", "results": [...]}
  --limit N     passages per answer (default ${ANSWER_PASSAGES}, at most ${MAX_PASSAGES})
  --data DIR    content directory (default: DATA_DIR, else ./data)
  -h, --help    this text
`;

/** One answer in the `--json` line format; `confidence` whenever it is answered. */
function answerJson(question: string, reply: Reply): string {
  const passages = reply.passages ?? [];
  const answered = passages.length > 0;
  return JSON.stringify({
    query: reply.query ?? question.trim(),
    answered,
    ...(answered ? { confidence: reply.tone === 'hedged' ? 'low' : 'high' } : {}),
    ...(reply.reason ? { reason: reply.reason } : isAnswer(reply) ? {} : { reason: reply.body }),
    results: passages.map((passage) => ({
      id: passage.id,
      article: passage.article.title,
      section: passage.section,
      text: passage.text,
      answer: passage.answer,
      short: passage.short,
      score: passage.score,
      sources: passage.article.sources,
    })),
  });
}

function parseOptions(argv: string[]): { json: boolean; limit: number; data: string | undefined; question: string } {
  const parsed = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, limit: { type: 'string' }, data: { type: 'string' } },
    },
    USAGE,
  );
  const limit = Number(parsed.values.limit ?? ANSWER_PASSAGES);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PASSAGES)
    throw new UserError(`--limit takes a whole number from 1 to ${MAX_PASSAGES}, not "${parsed.values.limit}"`);
  return { json: parsed.values.json, limit, data: parsed.values.data, question: parsed.positionals.join(' ') };
}

/** `npm run ask`: answers questions from the arguments or standard input, then exits. */
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const env = readEnvironment();
  const config = loadConfig(options.data === undefined ? env : { ...env, DATA_DIR: options.data });
  // A broken cache only costs time here: the index is then built; warnings and errors go to stderr.
  const logger = createLogger({ level: 'warn', format: 'pretty', secrets: secretsOf(config) });
  await ensureStateDir(config.stateDir);
  // With a shared database, this machine's copy of its articles is brought up to date first.
  if (config.databaseUrl !== null) await syncSharedArticles(config, logger);
  const knowledge = await openContent(config.dataDir, { importsDir: config.imports.dir, cacheFile: config.indexCache });
  // The same handler as every front door: the question goes to the command that takes free text.
  const handler = createTerminalHandler({ knowledge, logger });
  // A terminal that reports no size (0 columns) is wrapped as a pipe is.
  const width = process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : config.columns;
  const answer = async (question: string): Promise<string> => {
    const reply = await handler.ask(question, TERMINAL_INVOKER, {}, { limit: options.limit });
    return options.json
      ? `${answerJson(question, reply)}\n`
      : `${renderReply(reply, { ansi: Boolean(process.stdout.isTTY), width })}\n`;
  };

  if (options.question.trim() !== '') process.stdout.write(await answer(options.question));
  else {
    if (process.stdin.isTTY) throw new UserError(`no question given.\n\n${USAGE}`);
    for await (const line of createInterface({ input: process.stdin, terminal: false })) {
      if (line.trim() !== '' || options.json) process.stdout.write(await answer(line));
    }
  }
  // Files changed since the last run are saved in the index, so the next run reads only what changes.
  await knowledge.saved();
}

main().catch(exitOnStartupError);
