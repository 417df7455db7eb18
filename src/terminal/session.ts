import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Invoker } from '../commands/command.js';
import type { Handler } from '../commands/handler.js';
import type { Page } from '../commands/reply.js';
import { parseLine } from './parseLine.js';
import { renderReply } from './render.js';

/** Where the terminal session reads and writes. */
export interface SessionOptions {
  handler: Handler;
  input: Readable;
  /** Answers. */
  output: Writable;
  /** The one-time notice and prompts' hints; stderr, so piped answers stay clean. */
  notices: Writable;
  /** A person at a terminal: show a prompt and use ANSI bold. */
  interactive: boolean;
}

/** The operator at the terminal owns the content, so moderator commands are theirs. */
const TERMINAL_INVOKER: Invoker = { id: 'terminal', name: 'terminal', isModerator: true };

/** Said once when the bot runs without Discord. */
const TERMINAL_NOTICE =
  'Running without Discord (DISCORD_TOKEN is not set): answering here in the terminal.\n' +
  'Ask a question, or type /help. To connect to Discord, set DISCORD_TOKEN in .env (see README.md).\n';

/**
 * The console front door: reads lines, runs the same commands the Discord bot has, and prints
 * the replies. Questions are answered one at a time, in order; the promise resolves at end of
 * input or on /quit, so piped input is answered line by line and the process can exit 0.
 */
export async function runSession(options: SessionOptions): Promise<void> {
  const { handler, output, interactive } = options;
  options.notices.write(TERMINAL_NOTICE);
  const lines = createInterface({ input: options.input, output: interactive ? output : undefined, terminal: interactive });
  const prompt = (): void => {
    if (interactive) lines.prompt();
  };
  lines.setPrompt('> ');
  prompt();
  let lastPage: Page | undefined;
  for await (const line of lines) {
    const parsed = parseLine(line, handler.commands.map((c) => c.data));
    if (parsed.kind === 'quit') break;
    if (parsed.kind === 'blank') {
      prompt();
      continue;
    }
    const request =
      parsed.kind === 'more'
        ? lastPage && lastPage.page < lastPage.pageCount
          ? { name: lastPage.command, options: { query: lastPage.query, page: lastPage.page + 1 } }
          : null
        : parsed;
    if (request === null) {
      output.write('No more pages: run /search <words> first.\n');
    } else {
      const reply = await handler.run(request.name, request.options, TERMINAL_INVOKER);
      if (reply.page) lastPage = reply.page;
      output.write(`${renderReply(reply, { ansi: interactive })}\n`);
    }
    prompt();
  }
  lines.close();
}
