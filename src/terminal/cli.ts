import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { answerQuestion } from '../commands/ask.js';
import { loadConfig, readEnvironment } from '../config.js';
import { UserError } from '../errors.js';
import type { Engine } from '../search/engine.js';
import { exitOnStartupError, openContent } from '../startup.js';
import { renderReply } from './render.js';

const USAGE = `Usage: npm run ask -- [options] "question"

Answers one question about the articles and exits. Without a question, reads questions
from standard input, one per line.

Options:
  --json        one JSON object per question: {"query", "answered", "results": [...]}
  --limit N     passages per answer (default 3, at most 25)
  --data DIR    content directory (default: DATA_DIR, else ./data)
  -h, --help    this text
`;

/** One question's answer in the `--json` line format. */
function answerJson(engine: Engine, question: string, limit: number): string {
  const response = engine.search(question, { limit });
  return JSON.stringify({
    query: response.query,
    answered: response.hits.length > 0,
    ...(response.reason ? { reason: response.reason } : {}),
    results: response.hits.map((hit) => ({
      id: hit.passage.id,
      article: hit.passage.article.title,
      section: hit.passage.section,
      text: hit.passage.text,
      answer: hit.answer,
      score: hit.score,
      sources: hit.passage.article.sources,
    })),
  });
}

function parseOptions(argv: string[]): { json: boolean; limit: number; data: string | undefined; question: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, limit: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UserError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const limit = Number(parsed.values.limit ?? 3);
  if (!Number.isInteger(limit) || limit < 1 || limit > 25) throw new UserError(`--limit takes a whole number from 1 to 25, not "${parsed.values.limit}"`);
  return { json: parsed.values.json, limit, data: parsed.values.data, question: parsed.positionals.join(' ') };
}

/** `npm run ask`: answers questions from the arguments or standard input, then exits. */
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const env = readEnvironment();
  const config = loadConfig(options.data === undefined ? env : { ...env, DATA_DIR: options.data });
  // A broken cache only costs time here: the index is then built, and there is no log to report to.
  const engine = (await openContent(config.dataDir, { cacheFile: config.indexCache })).engine;
  const answer = (question: string): string =>
    options.json ? `${answerJson(engine, question, options.limit)}\n` : `${renderReply(answerQuestion(engine, question, options.limit), { ansi: Boolean(process.stdout.isTTY) })}\n`;

  if (options.question.trim() !== '') {
    process.stdout.write(answer(options.question));
    return;
  }
  if (process.stdin.isTTY) throw new UserError(`no question given.\n\n${USAGE}`);
  for await (const line of createInterface({ input: process.stdin, terminal: false })) {
    if (line.trim() !== '' || options.json) process.stdout.write(answer(line));
  }
}

main().catch(exitOnStartupError);
