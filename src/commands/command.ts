import type { Logger } from '../logger.js';
import type { KnowledgeBase, ReloadReport } from '../library/knowledgeBase.js';
import type { Engine } from '../search/engine.js';
import type { Store } from '../store/store.js';
import type { Reply } from './reply.js';

/** One suggestion for an option being typed. */
export interface Choice {
  name: string;
  value: string;
}

/** An option a command takes, described once for every front door. */
export interface OptionDefinition {
  name: string;
  description: string;
  type: 'string' | 'integer' | 'boolean';
  required: boolean;
  /** Suggestions while the user types (Discord's autocomplete), from the content being served. */
  autocomplete?: (engine: Engine, typed: string) => Choice[];
  /** Set by the front door, never typed by users: not registered with Discord, not listed in /help. */
  internal?: boolean;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
}

/** The buttons a command puts on its replies: the prefix of their ids, and the options a press runs it with. */
export interface ButtonDefinition {
  /** Every id of this command's buttons starts with `<prefix>:`. */
  prefix: string;
  /** The options a press of the button with this id runs the command with, or `null` when it is not one of them. */
  parse(id: string): OptionValues | null;
}

/**
 * Everything about a command, declared once: its name, help and options, and the rules every front
 * door applies to it. Front doors turn this into their own form and never name a command.
 */
export interface CommandDefinition {
  name: string;
  description: string;
  options: OptionDefinition[];
  /** Only moderators may run it: checked by the handler at run time, whatever the front door registered. */
  moderatorOnly: boolean;
  /** Each run counts against the user's rate limit (questions do; reading the help does not). */
  rateLimited: boolean;
  /** Acknowledge at once and answer when done (work that may take longer than Discord's 3 s), privately or publicly. */
  defer: 'private' | 'public' | null;
  /**
   * `message`: run on a message from its Apps menu (Discord's message commands), with the message's
   * text in `targetOption`; such a command is not typed, so the terminal has none. Default: `chat`.
   */
  kind?: 'chat' | 'message';
  /** With `kind: 'message'`: the option that takes the target message's text. */
  targetOption?: string;
  /** Reached only through its buttons (a vote): never registered, listed or run by name. */
  hidden?: boolean;
  /** The option that takes a question asked in plain words: a message to the bot, a terminal line without a slash. One command has it. */
  freeText?: string;
  /** With `freeText`: the option that takes the earlier question a follow-up is read with. */
  followUpOption?: string;
  buttons?: ButtonDefinition;
}

/** Who runs a command, as the front door established it. */
export interface Invoker {
  id: string;
  /** Display name for logs. */
  name: string;
  isModerator: boolean;
}

/**
 * Where commands are run, for what the help says: in the terminal a command takes only its first
 * text option (the rest of the line), and the terminal has commands of its own (/more, /quit).
 */
export interface Surface {
  name: 'discord' | 'terminal';
  /** Whether a command line gives only the first text option (the terminal) rather than every option (Discord). */
  textOnly: boolean;
  /** The front door's own commands, as "usage — what it does" lines, for /help. */
  ownCommands: string[];
}

/** Everything a command handler may use: passed in, never imported, so tests build it for real. */
export interface CommandContext {
  knowledge: KnowledgeBase;
  /**
   * Reloads the content wherever it is served: this process, or every shard when the bot runs
   * sharded. One report per place, in shard order.
   */
  reloadContent(): Promise<ReloadReport[]>;
  invoker: Invoker;
  logger: Logger;
  /** All commands, for /help. */
  commands: readonly Command[];
  surface: Surface;
  /** Where questions and votes are recorded for /gaps; `null` when nothing is recorded. */
  store: Store | null;
}

/** Option values by name, as typed by the user (already parsed to the option's type). */
export type OptionValues = Readonly<Record<string, string | number | boolean | undefined>>;

/** One command: its definition and its handler, which returns a plain reply for any front door. */
export interface Command {
  data: CommandDefinition;
  execute(context: CommandContext, options: OptionValues): Promise<Reply> | Reply;
}
