import type { CommandDefinition, Invoker, PreconditionName } from './command.js';
import { commandName } from './command.js';

/** What the preconditions are checked against, besides the invoker. */
export interface PreconditionSettings {
  /**
   * Where commands that change the articles may run: the servers listed (CONTENT_GUILD_IDS), or
   * `anywhere` (the terminal, whose operator owns the content).
   */
  contentGuilds: readonly string[] | 'anywhere';
}

/** Why a precondition refused: the message for the user, and the reply's title. */
export interface Refusal {
  message: string;
  title?: string;
}

type Check = (definition: CommandDefinition, invoker: Invoker, settings: PreconditionSettings) => Refusal | null;

/** Each precondition a command can declare, checked once here for every front door (Sapphire's preconditions). */
const CHECKS: Record<PreconditionName, Check> = {
  moderator(definition, invoker) {
    return invoker.isModerator
      ? null
      : {
          message: `Only moderators can run /${commandName(definition)} (Manage Server, Administrator, or a moderator role).`,
        };
  },
  contentServer(definition, invoker, { contentGuilds }) {
    if (contentGuilds === 'anywhere' || (invoker.guildId !== null && contentGuilds.includes(invoker.guildId)))
      return null;
    return {
      title: 'Not from this server',
      message:
        contentGuilds.length === 0
          ? `/${commandName(definition)} is turned off: the articles are shared by every server the bot is in, and no server is set to manage them (CONTENT_GUILD_IDS, or GUILD_ID).`
          : `The articles are shared by every server the bot is in, so they can only be changed from the server${contentGuilds.length === 1 ? '' : 's'} set to manage them (CONTENT_GUILD_IDS), not from this one.`,
    };
  },
};

/**
 * The first of a command's preconditions that refuses `invoker`, in the order declared; `null`
 * when all hold.
 *
 * @example
 * refusalOf(reload.data, member, { contentGuilds: [] })?.message // => 'Only moderators can run /reload (…).'
 */
export function refusalOf(
  definition: CommandDefinition,
  invoker: Invoker,
  settings: PreconditionSettings,
): Refusal | null {
  for (const name of definition.preconditions) {
    const refusal = CHECKS[name](definition, invoker, settings);
    if (refusal) return refusal;
  }
  return null;
}
