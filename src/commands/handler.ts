import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { KnowledgeBase, ReloadReport } from '../library/knowledgeBase.js';
import type { Command, Invoker, OptionValues } from './command.js';
import type { Reply } from './reply.js';

/** Runs commands by name for a front door, inside one error boundary. */
export interface Handler {
  readonly commands: readonly Command[];
  /** Runs a command and always returns a reply: user errors are shown, bugs logged with a generic reply. */
  run(name: string, options: OptionValues, invoker: Invoker): Promise<Reply>;
}

/** The generic reply to a bug: the details go to the log, never to the user. */
export const INTERNAL_ERROR_REPLY: Reply = {
  tone: 'error',
  title: 'Something went wrong',
  body: 'Sorry, that failed on my side. It has been logged; please try again in a moment.',
  ephemeral: true,
};

/**
 * Builds the command runner both front doors share. Dependencies are passed in, so tests build
 * the real thing over test content.
 *
 * @example
 * const handler = createHandler({ knowledge, logger, commands });
 * const reply = await handler.run('ask', { question: 'who is Tom Homan?' }, invoker);
 */
export function createHandler(deps: {
  knowledge: KnowledgeBase;
  logger: Logger;
  commands: readonly Command[];
  /** How /reload reaches every copy of the content; by default, just this process's. */
  reloadContent?: () => Promise<ReloadReport[]>;
}): Handler {
  const byName = new Map(deps.commands.map((command) => [command.data.name, command]));
  const reloadContent = deps.reloadContent ?? (async () => [await deps.knowledge.reload()]);
  return {
    commands: deps.commands,
    async run(name, options, invoker) {
      const command = byName.get(name);
      if (!command) return userErrorReply(`There is no /${name.slice(0, 50)} command. Try /help.`);
      try {
        return await command.execute({ knowledge: deps.knowledge, reloadContent, invoker, logger: deps.logger, commands: deps.commands }, options);
      } catch (error) {
        if (error instanceof UserError) return userErrorReply(error.message);
        deps.logger.error('command.failed', { command: name, user: invoker.name, userId: invoker.id, error });
        return INTERNAL_ERROR_REPLY;
      }
    },
  };
}

/** A mistake of the user's, explained to them privately. */
export function userErrorReply(message: string): Reply {
  return { tone: 'warning', title: "Can't do that", body: message, ephemeral: true };
}
