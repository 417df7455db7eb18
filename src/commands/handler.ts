import { ContentError, NotReadyError, UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ArticleImporter } from '../importing/importer.js';
import type { FeedFollower } from '../importing/feeds.js';
import { ImportRefused } from '../importing/importer.js';
import type { SpreadReload } from '../fleet/fleet.js';
import type { ChangedImports } from '../serving/knowledgeBase.js';
import { formatProblem } from '../content/article.js';
import {
  argumentsFor,
  commandName,
  overlongOption,
  type Command,
  type CommandDefinition,
  type Invoker,
  type OptionValues,
  type RateLimitName,
  type ServedContent,
  type Surface,
} from './command.js';
import { createConversation, type Conversation, type Place } from './conversation.js';
import { refusalOf } from './preconditions.js';
import type { Store } from '../store/store.js';
import type { RateLimiter } from './rateLimiter.js';
import type { Reply } from './reply.js';

/**
 * Runs commands for a front door, inside one error boundary, applying what each command declares:
 * its preconditions, its rate limit, its options' types. The front door only translates its world
 * into these calls, renders the reply, and says where it sent it.
 */
export interface Handler {
  readonly commands: readonly Command[];
  /** The definition of the command run as `name` (`ask`, `article add`), if there is one. */
  definition(name: string): CommandDefinition | undefined;
  /** Runs a command and always returns a reply: user errors are shown, bugs logged with a generic reply. */
  run(name: string, options: OptionValues, invoker: Invoker): Promise<Reply>;
  /**
   * Answers a question asked in plain words, with the command that takes free text (and any of its
   * other options), read with the earlier question it follows up on where it is asked, if any.
   */
  ask(text: string, invoker: Invoker, place?: Place, options?: OptionValues): Promise<Reply>;
  /** Runs the command a button belongs to, as the press asks; `null` when no command owns the button. */
  press(buttonId: string, invoker: Invoker): Promise<Reply> | null;
  /** Whether message `messageId` carried one of the bot's answers: a question replying to it is meant for the bot. */
  carriesAnswer(messageId: string): Promise<boolean>;
  /** The front door sent `reply` as message `messageId` (or into `thread`): later questions may follow up on it. */
  delivered(reply: Reply, where: { messageId?: string; thread?: string }): void;
}

/** The generic reply to a bug: the details go to the log, never to the user. */
export const INTERNAL_ERROR_REPLY: Reply = {
  tone: 'error',
  title: 'Something went wrong',
  body: 'Sorry, that failed on my side. It has been logged; please try again in a moment.',
  ephemeral: true,
};

/** Users over the rate limit remembered at once, to tell each only once per cooldown. */
const MAX_COOLING = 10_000;

/**
 * Builds the command runner a front door uses. Dependencies are passed in, so tests build the
 * real thing over test content.
 *
 * @example
 * const handler = createHandler({ knowledge, reloadContent, logger, commands, surface: TERMINAL_SURFACE });
 * const reply = await handler.ask('who is Tom Homan?', invoker);
 */
export function createHandler(deps: {
  knowledge: ServedContent;
  /** Reloads the content wherever it is served (this process, each shard, each machine), with a report of each place. */
  reloadContent: (changed?: ChangedImports) => Promise<SpreadReload>;
  logger: Logger;
  commands: readonly Command[];
  surface: Surface;
  /** Per-user limits for the commands that declare one; none in the terminal. */
  limiters?: Partial<Record<RateLimitName, RateLimiter>>;
  /** Where questions and votes are recorded; none by default. */
  store?: Store;
  /** Adds and removes imported articles; none by default. */
  importer?: ArticleImporter;
  /** The feeds followed; none by default. */
  feeds?: FeedFollower;
  /**
   * Where commands that change the articles may run: the servers listed (CONTENT_GUILD_IDS), or
   * `anywhere` (the terminal, whose operator owns the content). Nowhere by default.
   */
  contentGuilds?: readonly string[] | 'anywhere';
  /** What questions follow up on; by default one over `store`. */
  conversation?: Conversation;
}): Handler {
  const byName = new Map(deps.commands.map((command) => [commandName(command.data), command]));
  const freeText = deps.commands.find((command) => command.data.freeText !== undefined);
  const settings = { contentGuilds: deps.contentGuilds ?? [] };
  const conversation = deps.conversation ?? createConversation(deps.store ?? null);
  /** Until when each user over a rate limit has been told so. */
  const cooling = new Map<string, number>();
  const cooldown = (invoker: Invoker, retryAfterMs: number): Reply => {
    const now = Date.now();
    const told = (cooling.get(invoker.id) ?? 0) > now;
    if (!told) {
      if (cooling.size >= MAX_COOLING) cooling.clear();
      cooling.set(invoker.id, now + retryAfterMs);
    }
    return { ...cooldownReply(retryAfterMs), ...(told ? { brief: '⏳' } : {}) };
  };
  /**
   * The checked option values `command` runs with, or the reply refusing it: its preconditions,
   * then its rate limit, then its options' types and lengths. Each check is cheap and comes before
   * any work on the text, so a flood of long messages costs a few comparisons each.
   */
  const admit = (command: Command, values: OptionValues, invoker: Invoker): Admission => {
    const refusal = refusalOf(command.data, invoker, settings);
    if (refusal) return { refused: userErrorReply(refusal.message, refusal.title) };
    const limiter = command.data.rateLimit ? deps.limiters?.[command.data.rateLimit] : undefined;
    if (limiter) {
      const { allowed, retryAfterMs } = limiter.take(invoker.id);
      if (!allowed) return { refused: cooldown(invoker, retryAfterMs) };
    }
    const tooLong = overlongOption(command.data, values);
    if (tooLong) return { refused: userErrorReply(tooLong, 'Too long') };
    return { values: argumentsFor(command.data, values) };
  };
  /** Runs an admitted command inside the error boundary: user errors are shown, bugs logged with a generic reply. */
  const perform = async (command: Command, values: OptionValues, invoker: Invoker): Promise<Reply> => {
    try {
      return await command.execute(
        {
          knowledge: deps.knowledge,
          reloadContent: deps.reloadContent,
          invoker,
          logger: deps.logger,
          commands: deps.commands,
          surface: deps.surface,
          store: deps.store ?? null,
          importer: deps.importer ?? null,
          feeds: deps.feeds ?? null,
          conversation,
        },
        values,
      );
    } catch (error) {
      const reply = errorReply(error);
      if (reply) return reply;
      deps.logger.error('command.failed', {
        command: commandName(command.data),
        user: invoker.name,
        userId: invoker.id,
        error,
      });
      return INTERNAL_ERROR_REPLY;
    }
  };
  const execute = (command: Command, values: OptionValues, invoker: Invoker): Promise<Reply> => {
    const admitted = admit(command, values, invoker);
    return admitted.refused ? Promise.resolve(admitted.refused) : perform(command, admitted.values, invoker);
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
    async ask(text, invoker, place = {}, options = {}) {
      const { freeText: textOption, followUpOption } = freeText?.data ?? {};
      if (!freeText || !textOption) return userErrorReply('Questions are not taken here.');
      // Admitted (rate limit, length) before the text is read for what it follows up on.
      const admitted = admit(freeText, { ...options, [textOption]: text }, invoker);
      if (admitted.refused) return admitted.refused;
      const earlier = followUpOption ? await conversation.earlierFor(text, place) : null;
      const context = earlier !== null && followUpOption ? { [followUpOption]: earlier } : {};
      return perform(freeText, { ...admitted.values, ...context }, invoker);
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
    carriesAnswer: (messageId) => conversation.carriesAnswer(messageId),
    delivered: (reply, where) => conversation.delivered(reply, where),
  };
}

/** A command let through with its checked option values, or refused with the reply saying why. */
type Admission = { values: OptionValues; refused?: undefined } | { refused: Reply };

/**
 * The reply for an error meant for the user, or `null` for a bug: the one place that decides how
 * each kind of error looks.
 */
function errorReply(error: unknown): Reply | null {
  if (error instanceof NotReadyError) return { ...userErrorReply(error.message, 'Still loading'), tone: 'info' };
  if (error instanceof ImportRefused) return problemsReply(error.message, 'Not imported', error.problems);
  if (error instanceof ContentError)
    return problemsReply('The content has problems.', 'Content problems', error.problems.map(formatProblem));
  if (error instanceof UserError) return userErrorReply(error.message);
  return null;
}

function problemsReply(message: string, title: string, problems: readonly string[]): Reply {
  return {
    ...userErrorReply(message, title),
    ...(problems.length > 0 ? { lists: [{ heading: 'Problems', items: [...problems] }] } : {}),
  };
}

/** A mistake of the user's, explained to them privately. */
export function userErrorReply(message: string, title = "Can't do that"): Reply {
  return { tone: 'warning', title, body: message, ephemeral: true };
}

/** The private reply to a user asking faster than the rate limit allows. */
function cooldownReply(retryAfterMs: number): Reply {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return {
    tone: 'info',
    title: 'One moment',
    body: `You're asking quickly: please wait ${seconds} second${seconds === 1 ? '' : 's'} and ask again.`,
    ephemeral: true,
  };
}
