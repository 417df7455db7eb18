import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ArticleImporter } from '../library/importer.js';
import type { KnowledgeBase, ReloadReport } from '../library/knowledgeBase.js';
import {
  commandName,
  type Command,
  type CommandDefinition,
  type Invoker,
  type OptionValues,
  type RateLimitName,
  type Surface,
} from './command.js';
import type { Store } from '../store/store.js';
import type { RateLimiter } from './rateLimiter.js';
import type { Reply } from './reply.js';

/**
 * Runs commands for a front door, inside one error boundary, applying what each command declares:
 * moderator-only, rate-limited. The front door only translates its world into these calls.
 */
export interface Handler {
  readonly commands: readonly Command[];
  /** The definition of the command run as `name` (`ask`, `article add`), if there is one. */
  definition(name: string): CommandDefinition | undefined;
  /** Runs a command and always returns a reply: user errors are shown, bugs logged with a generic reply. */
  run(name: string, options: OptionValues, invoker: Invoker): Promise<Reply>;
  /**
   * Answers a question asked in plain words, with the command that takes free text (and any of its
   * other options); `earlier` is the question it follows up on, if any.
   */
  ask(text: string, invoker: Invoker, options?: OptionValues, earlier?: string): Promise<Reply>;
  /** Runs the command a button belongs to, as the press asks; `null` when no command owns the button. */
  press(buttonId: string, invoker: Invoker): Promise<Reply> | null;
  /**
   * Answers a question asked in reply to one of the bot's answers, read with the question that
   * answer was for; `null` when the replied-to message carried no answer the bot remembers.
   */
  followUp(text: string, repliedMessageId: string, invoker: Invoker): Promise<Reply> | null;
  /** Remembers which message carried a reply's answer (for follow-ups); nothing for replies that are no recorded answer. */
  remember(messageId: string, reply: Reply): void;
}

/** The generic reply to a bug: the details go to the log, never to the user. */
export const INTERNAL_ERROR_REPLY: Reply = {
  tone: 'error',
  title: 'Something went wrong',
  body: 'Sorry, that failed on my side. It has been logged; please try again in a moment.',
  ephemeral: true,
};

/**
 * Builds the command runner a front door uses. Dependencies are passed in, so tests build the
 * real thing over test content.
 *
 * @example
 * const handler = createHandler({ knowledge, logger, commands, surface: TERMINAL });
 * const reply = await handler.ask('who is Tom Homan?', invoker);
 */
export function createHandler(deps: {
  knowledge: KnowledgeBase;
  logger: Logger;
  commands: readonly Command[];
  surface: Surface;
  /** Per-user limits for the commands that declare one; none in the terminal. */
  limiters?: Partial<Record<RateLimitName, RateLimiter>>;
  /** Where questions and votes are recorded; none by default. */
  store?: Store;
  /** Adds and removes imported articles; none by default. */
  importer?: ArticleImporter;
  /**
   * Where commands that change the articles may run: the servers listed (CONTENT_GUILD_IDS), or
   * `anywhere` (the terminal, whose operator owns the content). Nowhere by default.
   */
  contentGuilds?: readonly string[] | 'anywhere';
  /** How /reload reaches every copy of the content; by default, just this process's. */
  reloadContent?: () => Promise<ReloadReport[]>;
}): Handler {
  const byName = new Map(deps.commands.map((command) => [commandName(command.data), command]));
  const freeText = deps.commands.find((command) => command.data.freeText !== undefined);
  const reloadContent = deps.reloadContent ?? (async () => [await deps.knowledge.reload()]);
  const contentGuilds = deps.contentGuilds ?? [];
  const execute = async (command: Command, options: OptionValues, invoker: Invoker): Promise<Reply> => {
    const name = commandName(command.data);
    if (command.data.moderatorOnly && !invoker.isModerator)
      return userErrorReply(`Only moderators can run /${name} (Manage Server, Administrator, or a moderator role).`);
    if (
      command.data.changesContent &&
      contentGuilds !== 'anywhere' &&
      (invoker.guildId === null || !contentGuilds.includes(invoker.guildId))
    )
      return userErrorReply(
        contentGuilds.length === 0
          ? `/${name} is turned off: the articles are shared by every server the bot is in, and no server is set to manage them (CONTENT_GUILD_IDS, or GUILD_ID).`
          : `The articles are shared by every server the bot is in, so they can only be changed from the server${contentGuilds.length === 1 ? '' : 's'} set to manage them (CONTENT_GUILD_IDS), not from this one.`,
        'Not from this server',
      );
    const limiter = command.data.rateLimit ? deps.limiters?.[command.data.rateLimit] : undefined;
    if (limiter) {
      const { allowed, retryAfterMs } = limiter.take(invoker.id);
      if (!allowed) return cooldownReply(retryAfterMs);
    }
    try {
      return await command.execute(
        {
          knowledge: deps.knowledge,
          reloadContent,
          invoker,
          logger: deps.logger,
          commands: deps.commands,
          surface: deps.surface,
          store: deps.store ?? null,
          importer: deps.importer ?? null,
        },
        options,
      );
    } catch (error) {
      if (error instanceof UserError)
        return {
          ...userErrorReply(error.message, error.title),
          tone: error.tone,
          ...(error.details.length > 0 ? { lists: [{ heading: 'Problems', items: [...error.details] }] } : {}),
        };
      deps.logger.error('command.failed', { command: name, user: invoker.name, userId: invoker.id, error });
      return INTERNAL_ERROR_REPLY;
    }
  };
  const run = (name: string, options: OptionValues, invoker: Invoker): Promise<Reply> => {
    const command = byName.get(name);
    const subcommands = deps.commands.filter((c) => c.data.group?.name === name).map((c) => c.data.name);
    if (!command && subcommands.length > 0)
      return Promise.resolve(userErrorReply(`/${name} takes one of: ${subcommands.join(', ')}. Try /help.`));
    if (!command || command.data.hidden)
      return Promise.resolve(userErrorReply(`There is no /${name.slice(0, 50)} command. Try /help.`));
    return execute(command, options, invoker);
  };
  return {
    commands: deps.commands,
    definition: (name) => byName.get(name)?.data,
    run,
    ask(text, invoker, options = {}, earlier) {
      const { name, freeText: textOption, followUpOption } = freeText?.data ?? {};
      if (!name || !textOption) return Promise.resolve(userErrorReply('Questions are not taken here.'));
      const context = earlier !== undefined && followUpOption ? { [followUpOption]: earlier } : {};
      return run(name, { ...options, ...context, [textOption]: text }, invoker);
    },
    press(buttonId, invoker) {
      for (const command of deps.commands) {
        const options =
          command.data.buttons && buttonId.startsWith(`${command.data.buttons.prefix}:`)
            ? command.data.buttons.parse(buttonId)
            : null;
        if (options) return execute(command, options, invoker);
      }
      return null;
    },
    followUp(text, repliedMessageId, invoker) {
      const earlier = deps.store?.questionOfMessage(repliedMessageId) ?? null;
      return earlier === null ? null : this.ask(text, invoker, {}, earlier);
    },
    remember(messageId, reply) {
      if (reply.answerId !== undefined) deps.store?.linkMessage(messageId, reply.answerId);
    },
  };
}

/** A mistake of the user's, explained to them privately. */
export function userErrorReply(message: string, title = "Can't do that"): Reply {
  return { tone: 'warning', title, body: message, ephemeral: true };
}

/** The private reply to a user asking faster than the rate limit allows. */
export function cooldownReply(retryAfterMs: number): Reply {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return {
    tone: 'info',
    title: 'One moment',
    body: `You're asking quickly: please wait ${seconds} second${seconds === 1 ? '' : 's'} and ask again.`,
    retryAfterMs,
    ephemeral: true,
  };
}
