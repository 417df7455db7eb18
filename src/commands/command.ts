import type { Logger } from '../logger.js';
import type { KnowledgeBase, ReloadReport } from '../library/knowledgeBase.js';
import type { Reply } from './reply.js';

/** An option a command takes, described once for both front doors. */
export interface OptionDefinition {
  name: string;
  description: string;
  type: 'string' | 'integer';
  required: boolean;
  /** Suggest values while the user types (Discord autocomplete). */
  autocomplete?: 'question' | 'article';
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
}

/** What a command is: its name, help text and options. Front doors turn this into their own form. */
export interface CommandDefinition {
  name: string;
  description: string;
  options: OptionDefinition[];
  /** Only moderators may run it; checked again at run time, whatever the front door registered. */
  moderatorOnly: boolean;
}

/** Who runs a command, as the front door established it. */
export interface Invoker {
  id: string;
  /** Display name for logs. */
  name: string;
  isModerator: boolean;
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
}

/** Option values by name, as typed by the user (already parsed to the option's type). */
export type OptionValues = Readonly<Record<string, string | number | undefined>>;

/** One command: its definition and its handler, which returns a plain reply for any front door. */
export interface Command {
  data: CommandDefinition;
  execute(context: CommandContext, options: OptionValues): Promise<Reply> | Reply;
}
