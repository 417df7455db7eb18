import type { Client, Message } from 'discord.js';
import type { Reply } from '../commands/reply.js';
import type { DiscordDependencies } from './interactions.js';
import { isModerator } from './permissions.js';
import { renderBody } from './render.js';

/** Words a question usually starts with, for answering un-mentioned questions in ask channels. */
const QUESTION_START =
  /^(?:what|who|whom|whose|why|how|when|where|which|is|are|was|were|do|does|did|can|could|should|would|will|has|have|had)\b/i;

/**
 * Whether a message reads as a question: ends with "?" or starts like one. In the channels of
 * ASK_CHANNEL_IDS only such messages are answered, so chatter there is left alone.
 *
 * @example
 * looksLikeQuestion('who is Tom Homan') // => true
 * looksLikeQuestion('thanks, that helps') // => false
 */
export function looksLikeQuestion(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length >= 3 && (trimmed.endsWith('?') || QUESTION_START.test(trimmed));
}

/** The reply to a bare mention with nothing asked. */
const MENTION_HELP: Reply = {
  tone: 'info',
  title: 'Ask me about the article',
  body: 'Mention me with a question, for example "@me who proposed the constitutional amendment?", or type / to see my commands.',
  ephemeral: false,
};

/**
 * Answers questions asked in messages: any message that mentions the bot (or is sent to it
 * directly), and messages that look like questions in the configured ask channels. Messages
 * from bots, webhooks and the bot itself are ignored. Replies quote the message and ping nobody.
 */
export function createMessageListener(client: Client, deps: DiscordDependencies): (message: Message) => Promise<void> {
  const cooledDown = new Map<string, number>();
  return async (message) => {
    const botId = client.user?.id;
    if (!botId || message.author.bot || message.webhookId !== null || message.system || message.author.id === botId)
      return;
    // A reply to the bot mentions it too (unless the author turned the ping off): that alone asks nothing.
    const mentioned = message.mentions.has(botId, { ignoreRepliedUser: true, ignoreEveryone: true, ignoreRoles: true });
    const direct = !message.inGuild();
    const question = message.content
      .replace(new RegExp(`<@!?${botId}>`, 'g'), ' ')
      .replace(/\s+/g, ' ')
      .trim();
    const inAskChannel = deps.config.askChannelIds.includes(message.channelId) && looksLikeQuestion(question);
    // A reply to one of the bot's answers that reads as a question follows up on it; "thanks" does not.
    const repliedTo = message.reference?.messageId;
    const followUp = repliedTo !== undefined && looksLikeQuestion(question) ? repliedTo : null;
    if (!mentioned && !direct && !inAskChannel && followUp === null) return;

    try {
      if (question === '') {
        await message.reply(renderBody(MENTION_HELP));
        return;
      }
      const invoker = {
        id: message.author.id,
        name: message.author.username,
        isModerator:
          message.inGuild() && isModerator(message.member, message.member?.permissions, deps.config.modRoleIds),
        guildId: message.guildId,
      };
      const pending = followUp === null ? null : deps.handler.followUp(question, followUp, invoker);
      if (pending === null && !mentioned && !direct && !inAskChannel) return;
      const reply = await (pending ?? deps.handler.ask(question, invoker));
      if (reply.retryAfterMs !== undefined) {
        // A message cannot be answered privately: say it once per cooldown, then only mark the
        // messages with ⏳, so a flood gets no flood of replies but every question an answer.
        if ((cooledDown.get(message.author.id) ?? 0) < Date.now()) {
          if (cooledDown.size > 10_000) cooledDown.clear();
          cooledDown.set(message.author.id, Date.now() + reply.retryAfterMs);
          await message.reply(renderBody(reply));
        } else {
          await message.react('⏳');
        }
        return;
      }
      const sent = await message.reply(renderBody(reply));
      deps.handler.remember(sent.id, reply);
    } catch (error) {
      deps.logger.error('message.failed', {
        messageId: message.id,
        channelId: message.channelId,
        userId: message.author.id,
        error,
      });
    }
  };
}
