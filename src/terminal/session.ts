import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Invoker, Surface } from '../commands/command.js';
import { createHandler, type Handler } from '../commands/handler.js';
import { commands } from '../commands/index.js';
import { servedAlone, type ContentFleet, type SpreadReload } from '../fleet/fleet.js';
import type { FeedFollower } from '../importing/feeds.js';
import type { ArticleImporter } from '../importing/importer.js';
import type { ChangedImports, KnowledgeBase } from '../serving/knowledgeBase.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { helpCommand } from '../commands/help.js';
import type { ReplyButton } from '../commands/reply.js';
import { parseLine, TERMINAL_COMMANDS } from './parseLine.js';
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
  /** Width to wrap answers at; `null` for none. */
  width: number | null;
}

/** The terminal as commands see it: a command takes the rest of the line, and /more, /back and /quit are its own. */
export const TERMINAL_SURFACE: Surface = {
  name: 'terminal',
  textOnly: true,
  localFiles: true,
  ownCommands: TERMINAL_COMMANDS,
};

/**
 * The handler for the terminal: every command, the terminal's surface, and the content of this
 * process, which the operator owns (it may be changed from here).
 */
export function createTerminalHandler(deps: {
  knowledge: KnowledgeBase;
  logger: Logger;
  store?: Store;
  importer?: ArticleImporter;
  /** The machines sharing the database's articles, which a change here reaches too. */
  fleet?: ContentFleet;
  /** The feeds followed (their stories imported silently: the terminal announces nothing). */
  feeds?: FeedFollower;
}): Handler {
  return createHandler({
    ...deps,
    reloadContent: terminalReload(deps.knowledge, deps.fleet),
    commands,
    surface: TERMINAL_SURFACE,
    contentGuilds: 'anywhere',
  });
}

/** How the terminal serves a change: through the fleet when machines share a database, else here alone. */
export function terminalReload(
  knowledge: KnowledgeBase,
  fleet: ContentFleet | undefined,
): (changed?: ChangedImports) => Promise<SpreadReload> {
  return fleet ? (changed) => fleet.reload(changed) : async (changed) => servedAlone(await knowledge.reload(changed));
}

/** The operator at the terminal owns the content, so moderator commands are theirs. */
export const TERMINAL_INVOKER: Invoker = {
  id: 'terminal',
  name: 'terminal',
  isModerator: true,
  guildId: null,
  channelId: null,
};

/** The session's questions are one conversation: a follow-up is read with the last question answered. */
const THREAD = 'terminal';

/** Said once when the bot runs without Discord. */
const TERMINAL_NOTICE =
  'Running without Discord (DISCORD_TOKEN is not set): answering here in the terminal.\n' +
  `Ask a question, or type ${helpCommand()}. To connect to Discord, set DISCORD_TOKEN in .env (see README.md).\n`;

/**
 * The console front door: reads lines, runs the same commands the Discord bot has, and prints
 * the replies. /more and /back press the paging buttons of the last reply that had them.
 * Questions are answered one at a time, in order; the promise resolves at end of input or on
 * /quit, so piped input is answered line by line and the process can exit 0.
 */
export async function runSession(options: SessionOptions): Promise<void> {
  const { handler, output, interactive } = options;
  options.notices.write(TERMINAL_NOTICE);
  const lines = createInterface({
    input: options.input,
    output: interactive ? output : undefined,
    terminal: interactive,
  });
  const prompt = (): void => {
    if (interactive) lines.prompt();
  };
  lines.setPrompt('> ');
  prompt();
  let buttons: readonly ReplyButton[] = [];
  for await (const line of lines) {
    const parsed = parseLine(
      line,
      handler.commands.map((c) => c.data),
    );
    if (parsed.kind === 'quit') break;
    if (parsed.kind === 'blank') {
      prompt();
      continue;
    }
    const button = parsed.kind === 'step' ? buttons.find((b) => b.step === parsed.step && !b.disabled) : undefined;
    const pending =
      parsed.kind === 'question'
        ? handler.ask(parsed.text, TERMINAL_INVOKER, { thread: THREAD })
        : parsed.kind === 'command'
          ? handler.run(parsed.name, parsed.options, TERMINAL_INVOKER)
          : button && handler.press(button.id, TERMINAL_INVOKER);
    if (pending) {
      const reply = await pending;
      if (reply.buttons) buttons = reply.buttons;
      handler.delivered(reply, { thread: THREAD });
      output.write(`${renderReply(reply, { ansi: interactive, width: options.width })}\n`);
    } else {
      output.write(
        parsed.kind === 'step' && parsed.step === 'previous'
          ? 'No previous page.\n'
          : `No more pages: there is nothing to page through yet (${helpCommand()} lists the commands).\n`,
      );
    }
    prompt();
  }
  lines.close();
}
