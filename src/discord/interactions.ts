import {
  ApplicationCommandOptionType,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import type { Invoker, OptionValues } from '../commands/command.js';
import { INTERNAL_ERROR_REPLY, type Handler } from '../commands/handler.js';
import type { Config } from '../config.js';
import type { FeedFollower } from '../importing/feeds.js';
import type { Logger } from '../logger.js';
import type { KnowledgeBase } from '../serving/knowledgeBase.js';
import { DISCORD_LIMITS } from './limits.js';
import { isModerator } from './permissions.js';
import { renderBody, renderReply } from './render.js';

/** What the Discord front door needs, passed in. */
export interface DiscordDependencies {
  config: Config;
  handler: Handler;
  knowledge: KnowledgeBase;
  logger: Logger;
  /** The feeds followed, whose titles are suggested. */
  feeds?: FeedFollower;
}

/**
 * Handles every interaction: slash commands and button presses through the shared command
 * handler (which applies each command's declared rules), and autocomplete from each option's own
 * suggestions. One error boundary: a failure is logged with its context and the user gets a
 * private "something went wrong".
 */
export function createInteractionListener(deps: DiscordDependencies): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    try {
      if (interaction.isChatInputCommand()) await runCommand(interaction, deps);
      else if (interaction.isMessageContextMenuCommand()) await runMessageCommand(interaction, deps);
      else if (interaction.isAutocomplete()) await autocomplete(interaction, deps);
      else if (interaction.isButton()) await pressButton(interaction, deps);
    } catch (error) {
      deps.logger.error('interaction.failed', {
        interactionId: interaction.id,
        type: interaction.type,
        userId: interaction.user.id,
        error,
      });
      if (interaction.isRepliable() && !interaction.replied) {
        await (
          interaction.deferred
            ? interaction.editReply(renderBody(INTERNAL_ERROR_REPLY))
            : interaction.reply(renderReply(INTERNAL_ERROR_REPLY))
        ).catch((replyError: unknown) =>
          deps.logger.warn('interaction.error_reply_failed', { interactionId: interaction.id, error: replyError }),
        );
      }
    }
  };
}

function invokerOf(
  interaction: ChatInputCommandInteraction | ButtonInteraction | MessageContextMenuCommandInteraction,
  config: Config,
): Invoker {
  return {
    id: interaction.user.id,
    name: interaction.user.username,
    isModerator:
      interaction.inGuild() && isModerator(interaction.member, interaction.memberPermissions, config.modRoleIds),
    guildId: interaction.guildId,
    channelId: interaction.channelId,
  };
}

/** The name a slash command runs as: `ask`, or `article add` for a subcommand. */
function nameOf(interaction: ChatInputCommandInteraction | AutocompleteInteraction): string {
  const subcommand = interaction.options.getSubcommand(false);
  return subcommand ? `${interaction.commandName} ${subcommand}` : interaction.commandName;
}

/** A slash command's option values (a subcommand's, for a subcommand), attachments as their url, name and size. */
function optionsOf(interaction: ChatInputCommandInteraction): OptionValues {
  const data = interaction.options.data;
  const leaves =
    data.length === 1 && data[0]?.type === ApplicationCommandOptionType.Subcommand ? (data[0].options ?? []) : data;
  return Object.fromEntries(
    leaves.map((option) => [
      option.name,
      option.attachment
        ? { url: option.attachment.url, name: option.attachment.name, size: option.attachment.size }
        : option.value,
    ]),
  );
}

async function runCommand(interaction: ChatInputCommandInteraction, deps: DiscordDependencies): Promise<void> {
  const started = performance.now();
  const name = nameOf(interaction);
  const invoker = invokerOf(interaction, deps.config);
  await respond(interaction, deps, name, optionsOf(interaction), invoker);
  deps.logger.debug('command.done', {
    command: name,
    userId: invoker.id,
    guildId: interaction.guildId,
    ms: Math.round(performance.now() - started),
  });
}

/** A message command from the Apps menu: the target message's text goes to the command's target option. */
async function runMessageCommand(
  interaction: MessageContextMenuCommandInteraction,
  deps: DiscordDependencies,
): Promise<void> {
  const name = interaction.commandName;
  const target = deps.handler.definition(name)?.targetOption;
  const options: OptionValues = target ? { [target]: interaction.targetMessage.content } : {};
  await respond(interaction, deps, name, options, invokerOf(interaction, deps.config));
}

/**
 * Runs a command and answers the interaction with its reply: at once, or, for a command that
 * declares `defer`, acknowledged first and edited when done.
 */
async function respond(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  deps: DiscordDependencies,
  name: string,
  options: OptionValues,
  invoker: Invoker,
): Promise<void> {
  const defer = deps.handler.definition(name)?.defer ?? null;
  if (defer !== null) {
    await interaction.deferReply(defer === 'private' ? { flags: MessageFlags.Ephemeral } : {});
    const reply = await deps.handler.run(name, options, invoker);
    const sent = await interaction.editReply(renderBody(reply));
    deps.handler.delivered(reply, { messageId: sent.id });
    return;
  }
  const reply = await deps.handler.run(name, options, invoker);
  // The message's id is reported, so a reply to an answer can be read with its question.
  const response = await interaction.reply({ ...renderReply(reply), withResponse: true });
  const messageId = response.resource?.message?.id;
  if (messageId) deps.handler.delivered(reply, { messageId });
}

async function autocomplete(interaction: AutocompleteInteraction, deps: DiscordDependencies): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const suggest = deps.handler
    .definition(nameOf(interaction))
    ?.options.find((o) => o.name === focused.name)?.autocomplete;
  // Nothing to suggest from while the articles are still loading.
  const sources = () => ({ engine: deps.knowledge.engine, feedTitles: deps.feeds?.titles() ?? [] });
  const choices = suggest && deps.knowledge.ready ? suggest(sources(), String(focused.value)) : [];
  await interaction.respond(
    choices.slice(0, DISCORD_LIMITS.choices).map((choice) => ({
      name: choice.name.slice(0, DISCORD_LIMITS.choiceName),
      value: choice.value.slice(0, DISCORD_LIMITS.choiceValue),
    })),
  );
}

/**
 * A press runs the command that owns the button: a new page replaces the message; anything else
 * (a vote's thanks, more passages, a shared answer, an error) comes as a reply of its own, private
 * or not as the reply says.
 */
async function pressButton(interaction: ButtonInteraction, deps: DiscordDependencies): Promise<void> {
  const pending = deps.handler.press(interaction.customId, invokerOf(interaction, deps.config));
  if (!pending) return;
  const reply = await pending;
  // A private page replaces only a private message: never a public one with what one person may see.
  const replaces = reply.replacesMessage && (!reply.ephemeral || interaction.message.flags.has(MessageFlags.Ephemeral));
  await (replaces ? interaction.update(renderBody(reply)) : interaction.reply(renderReply(reply)));
}
