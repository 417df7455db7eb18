import { formatCount } from '../content/limits.js';
import type { Logger } from '../logger.js';
import type { ArticleImporter } from '../importing/importer.js';
import type { FeedFollower } from '../importing/feeds.js';
import type { SpreadReload } from '../fleet/fleet.js';
import type { ChangedImports } from '../serving/knowledgeBase.js';
import type { Engine } from '../search/engine.js';
import type { Store } from '../store/store.js';
import type { Conversation } from './conversation.js';
import type { Reply } from './reply.js';

/** One suggestion for an option being typed. */
export interface Choice {
  name: string;
  value: string;
}

/** The kinds of value an option takes; a `channel` is a Discord channel's id (the terminal has none). */
export type OptionType = 'string' | 'integer' | 'boolean' | 'attachment' | 'channel';

/** What suggestions are made from: the content served, and the feeds followed. */
export interface SuggestionSources {
  engine: Engine;
  /** The titles of the feeds followed, as last read. */
  feedTitles: readonly string[];
}

/** An option a command takes, described once for every front door. */
export interface OptionDefinition {
  name: string;
  description: string;
  /** `attachment`: a file the user attaches (Discord); its value is an {@link AttachmentValue}. */
  type: OptionType;
  /** A required text option that was not given reaches the command as `''`. */
  required: boolean;
  /** Suggestions while the user types (Discord's autocomplete), from the content being served. */
  autocomplete?: (sources: SuggestionSources, typed: string) => Choice[];
  /** Set by the front door or a button, never typed by users: not registered with Discord, not listed in /help. */
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

/** A command that has subcommands (`/article add`, `/article list`): its name and what it is for. */
export interface CommandGroup {
  name: string;
  description: string;
}

/**
 * What a command may require before it runs: `moderator`, that a moderator runs it (whatever the
 * front door registered); `contentServer`, that it runs where the articles, which every server
 * shares, may be changed (CONTENT_GUILD_IDS).
 */
export type PreconditionName = 'moderator' | 'contentServer';

/**
 * The rate limits a command can count against, per user: `questions` (RATE_LIMIT) for everything
 * that searches, `imports` (IMPORT_RATE_LIMIT) for fetching articles.
 */
export type RateLimitName = 'questions' | 'imports';

/**
 * Everything about a command, declared once: its name, help and options, and the rules every front
 * door applies to it. Front doors turn this into their own form and never name a command.
 */
export interface CommandDefinition {
  /** Its name; within its `group`, the subcommand's name. */
  name: string;
  /** The command it is a subcommand of, if any: run as `/<group> <name>`. */
  group?: CommandGroup;
  description: string;
  options: OptionDefinition[];
  /** What must hold before it runs, checked by the handler at run time in this order (see preconditions.ts). */
  preconditions: readonly PreconditionName[];
  /** The rate limit each run counts against, if any (questions do; reading the help does not). */
  rateLimit: RateLimitName | null;
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

/** The name a command is run by: `ask`, or `article add` for a subcommand. */
export function commandName(definition: Pick<CommandDefinition, 'name' | 'group'>): string {
  return definition.group ? `${definition.group.name} ${definition.name}` : definition.name;
}

/** Who runs a command, as the front door established it. */
export interface Invoker {
  id: string;
  /** Display name for logs. */
  name: string;
  isModerator: boolean;
  /** The server it is run in; `null` in direct messages and the terminal. */
  guildId: string | null;
  /** The channel (or thread) it is run in; `null` in the terminal. */
  channelId?: string | null;
}

/**
 * Where commands are run, for what the help says: in the terminal a command takes only its first
 * text option (the rest of the line), and the terminal has commands of its own (/more, /quit).
 */
export interface Surface {
  name: 'discord' | 'terminal';
  /** Whether a command line gives only the first text option (the terminal) rather than every option (Discord). */
  textOnly: boolean;
  /** Whether a text naming a file means a file on this machine (the terminal's operator owns it); never in Discord. */
  localFiles: boolean;
  /** The front door's own commands, as "usage — what it does" lines, for /help. */
  ownCommands: string[];
}

/** What commands read of the content being served: a `KnowledgeBase`, or in tests an engine built on the spot. */
export interface ServedContent {
  /**
   * The engine answering now. Read it once per request and use that one throughout.
   *
   * @throws {NotReadyError} before the first load has finished.
   */
  readonly engine: Engine;
  /** Which content is serving, recorded with each question. */
  readonly version: string;
}

/** Everything a command handler may use: passed in, never imported, so tests build it for real. */
export interface CommandContext {
  knowledge: ServedContent;
  /**
   * Reloads the content wherever it is served: this process, every shard when the bot runs
   * sharded, every machine when they share a database; with a report of each place. With
   * `changed` (an import or a removal), only those imported files are looked at.
   */
  reloadContent(changed?: ChangedImports): Promise<SpreadReload>;
  invoker: Invoker;
  logger: Logger;
  /** All commands, for /help. */
  commands: readonly Command[];
  surface: Surface;
  /** Where questions and votes are recorded for /gaps; `null` when nothing is recorded. */
  store: Store | null;
  /** Adds and removes imported articles; `null` where articles cannot be imported. */
  importer: ArticleImporter | null;
  /** The feeds followed; `null` where none can be. */
  feeds: FeedFollower | null;
  /** Where an answer is noted, so a door's report of where it went lets later questions follow up on it. */
  conversation: Conversation;
}

/** A file attached to a command (Discord's attachment option). */
export interface AttachmentValue {
  url: string;
  name: string;
  /** In bytes. */
  size: number;
}

/** One option's value, parsed to the option's type. */
export type OptionValue = string | number | boolean | AttachmentValue;

/** Option values by name, as a front door or a button gives them (already parsed to the option's type). */
export type OptionValues = Readonly<Record<string, OptionValue | undefined>>;

/** The value of an option of type `T`. */
type ValueOf<T extends OptionType> = T extends 'string'
  ? string
  : T extends 'integer'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'channel'
        ? string
        : AttachmentValue;

/**
 * The values a command's `execute` gets, typed from its option list (yuudachi's `ArgumentsOf`):
 * a text option is a `string` (`''` when a required one was not given), an optional one may be
 * `undefined`.
 */
export type ArgumentsOf<Options extends readonly OptionDefinition[]> = {
  readonly [Option in Options[number] as Option['name']]: Option['type'] extends 'string'
    ? Option extends { required: true }
      ? string
      : string | undefined
    : ValueOf<Option['type']> | undefined;
};

/** One command: its definition and its handler, which returns a plain reply for any front door. */
export interface Command {
  data: CommandDefinition;
  /** Runs it with option values already checked against `data.options` (see {@link argumentsFor}). */
  execute(context: CommandContext, options: OptionValues): Promise<Reply> | Reply;
}

/** What a command declares: its definition, where only what differs from the defaults needs saying. */
export type CommandSpec<Options extends readonly OptionDefinition[]> = Omit<
  CommandDefinition,
  'options' | 'preconditions' | 'rateLimit' | 'defer'
> & {
  options?: Options;
  preconditions?: readonly PreconditionName[];
  rateLimit?: RateLimitName | null;
  defer?: CommandDefinition['defer'];
};

/**
 * A command from its declaration, with the defaults filled in (no options, no preconditions, no
 * rate limit, answered at once), its option values reaching `execute` typed from its option list.
 *
 * @example
 * export const sources = defineCommand({
 *   data: { name: 'sources', description: 'List the sources', options: [{ name: 'article', type: 'string', required: false, description: 'Which one' }] },
 *   execute: (context, { article }) => sourcesReply(context.knowledge.engine, article), // article: string | undefined
 * });
 */
export function defineCommand<const Options extends readonly OptionDefinition[] = []>(command: {
  data: CommandSpec<Options>;
  execute(context: CommandContext, options: ArgumentsOf<Options>): Promise<Reply> | Reply;
}): Command {
  const { options, preconditions, rateLimit, defer, ...rest } = command.data;
  const data: CommandDefinition = {
    ...rest,
    options: [...(options ?? [])],
    preconditions: preconditions ?? [],
    rateLimit: rateLimit ?? null,
    defer: defer ?? null,
  };
  return { data, execute: (context, values) => command.execute(context, values as ArgumentsOf<Options>) };
}

/**
 * `values` checked against a command's options: each declared option with a value of its type
 * (others dropped, as are names it does not declare), and `''` for a required text option not given.
 */
export function argumentsFor(definition: CommandDefinition, values: OptionValues): OptionValues {
  const checked: Record<string, OptionValue> = {};
  for (const option of definition.options) {
    const value = values[option.name];
    if (fits(option.type, value)) checked[option.name] = value;
    else if (option.type === 'string' && option.required) checked[option.name] = '';
  }
  return checked;
}

/**
 * What is wrong when a text option is longer than its `maxLength`, said for the user, or `null`:
 * measured on the text as given, before anything reads it, so a long message costs one comparison.
 *
 * @example
 * overlongOption(ask.data, { question: 'x'.repeat(4000) }) // => 'Your question is too long (4,000 characters): …'
 */
export function overlongOption(definition: CommandDefinition, values: OptionValues): string | null {
  for (const option of definition.options) {
    const value = values[option.name];
    if (option.maxLength === undefined || typeof value !== 'string' || value.length <= option.maxLength) continue;
    return `Your ${option.name} is too long (${formatCount(value.length)} characters): keep it to ${formatCount(option.maxLength)} at most.`;
  }
  return null;
}

function fits(type: OptionType, value: OptionValue | undefined): value is OptionValue {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'attachment':
      return typeof value === 'object';
    case 'channel':
      return typeof value === 'string' && /^\d{17,20}$/.test(value);
  }
}
