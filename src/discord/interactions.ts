import {
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
} from 'discord.js';
import { suggestArticles } from '../commands/articleOption.js';
import type { Invoker, OptionValues } from '../commands/command.js';
import { INTERNAL_ERROR_REPLY, userErrorReply, type Handler } from '../commands/handler.js';
import type { Reply } from '../commands/reply.js';
import { searchPage } from '../commands/search.js';
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { KnowledgeBase } from '../library/knowledgeBase.js';
import { DISCORD_LIMITS } from './limits.js';
import { isModerator } from './permissions.js';
import type { RateLimiter } from './rateLimiter.js';
import { parseSearchButton, renderBody, renderReply } from './render.js';

/** What the Discord front door needs, passed in. */
export interface DiscordDependencies {
  config: Config;
  handler: Handler;
  knowledge: KnowledgeBase;
  logger: Logger;
  limiter: RateLimiter;
}

/** Commands that answer questions, and so count against the per-user rate limit. */
const QUESTION_COMMANDS = new Set(['ask', 'search']);

/** The private reply to a user asking faster than the rate limit allows. */
export function cooldownReply(retryAfterMs: number): Reply {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return { tone: 'info', title: 'One moment', body: `You're asking quickly: please wait ${seconds} second${seconds === 1 ? '' : 's'} and ask again.`, ephemeral: true };
}

/**
 * Handles every interaction: slash commands through the shared command handler, autocomplete
 * from the index, and /search page buttons. One error boundary: a failure is logged with its
 * context and the user gets a private "something went wrong".
 */
export function createInteractionListener(deps: DiscordDependencies): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    try {
      if (interaction.isChatInputCommand()) await runCommand(interaction, deps);
      else if (interaction.isAutocomplete()) await autocomplete(interaction, deps);
      else if (interaction.isButton()) await pressButton(interaction, deps);
    } catch (error) {
      deps.logger.error('interaction.failed', { interactionId: interaction.id, type: interaction.type, userId: interaction.user.id, error });
      if (interaction.isRepliable() && !interaction.replied) {
        await (interaction.deferred ? interaction.editReply(toEditOptions(INTERNAL_ERROR_REPLY)) : interaction.reply(toReplyOptions(INTERNAL_ERROR_REPLY))).catch((replyError: unknown) =>
          deps.logger.warn('interaction.error_reply_failed', { interactionId: interaction.id, error: replyError }),
        );
      }
    }
  };
}

function invokerOf(interaction: ChatInputCommandInteraction, config: Config): Invoker {
  return {
    id: interaction.user.id,
    name: interaction.user.username,
    isModerator: interaction.inGuild() && isModerator(interaction.member, interaction.memberPermissions, config.modRoleIds),
  };
}

async function runCommand(interaction: ChatInputCommandInteraction, deps: DiscordDependencies): Promise<void> {
  const started = performance.now();
  const name = interaction.commandName;
  if (QUESTION_COMMANDS.has(name)) {
    const { allowed, retryAfterMs } = deps.limiter.take(interaction.user.id);
    if (!allowed) {
      await interaction.reply(toReplyOptions(cooldownReply(retryAfterMs)));
      return;
    }
  }
  const options: OptionValues = Object.fromEntries(interaction.options.data.map((option) => [option.name, option.value as string | number | undefined]));
  const invoker = invokerOf(interaction, deps.config);
  const definition = deps.handler.commands.find((command) => command.data.name === name)?.data;
  if (definition?.moderatorOnly) {
    // Reloading reads files and rebuilds the index: acknowledge first, within Discord's 3 s.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const reply = await deps.handler.run(name, options, invoker);
    await interaction.editReply(toEditOptions(reply));
  } else {
    await interaction.reply(toReplyOptions(await deps.handler.run(name, options, invoker)));
  }
  deps.logger.debug('command.done', { command: name, userId: invoker.id, guildId: interaction.guildId, ms: Math.round(performance.now() - started) });
}

async function autocomplete(interaction: AutocompleteInteraction, deps: DiscordDependencies): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const kind = deps.handler.commands.find((c) => c.data.name === interaction.commandName)?.data.options.find((o) => o.name === focused.name)?.autocomplete;
  const engine = deps.knowledge.engine;
  const typed = String(focused.value);
  const choices =
    kind === 'article'
      ? suggestArticles(engine, typed)
      : kind === 'question'
        ? engine.suggest(typed, DISCORD_LIMITS.choices).map((text) => ({ name: text.slice(0, DISCORD_LIMITS.choiceName), value: text.slice(0, DISCORD_LIMITS.choiceValue) }))
        : [];
  await interaction.respond(choices.slice(0, DISCORD_LIMITS.choices));
}

async function pressButton(interaction: ButtonInteraction, deps: DiscordDependencies): Promise<void> {
  const target = parseSearchButton(interaction.customId);
  if (!target) return;
  const { allowed, retryAfterMs } = deps.limiter.take(interaction.user.id);
  if (!allowed) {
    await interaction.reply(toReplyOptions(cooldownReply(retryAfterMs)));
    return;
  }
  let reply: Reply;
  try {
    reply = searchPage(deps.knowledge.engine, target.query, target.page);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    await interaction.reply(toReplyOptions(userErrorReply(`${error.message} The content may have been reloaded: run /search again.`)));
    return;
  }
  await interaction.update(toEditOptions(reply));
}

/** A rendered reply as a first response to an interaction (private when the reply is). */
export function toReplyOptions(reply: Reply): InteractionReplyOptions {
  return renderReply(reply);
}

/** A rendered reply as an edit of an earlier response: same content, privacy already decided. */
export function toEditOptions(reply: Reply): InteractionEditReplyOptions {
  return renderBody(reply);
}
