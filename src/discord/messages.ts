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
function looksLikeQuestion(text: string): boolean {
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
    // A reply to one of the bot's answers that reads as a question is meant for the bot; "thanks" is not.
    const repliedTo = message.reference?.messageId;
    const replies =
      repliedTo !== undefined && looksLikeQuestion(question) && (await deps.handler.carriesAnswer(repliedTo))
        ? repliedTo
        : null;
    if (!mentioned && !direct && !inAskChannel && replies === null) return;

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
        channelId: message.channelId,
      };
      const reply = await deps.handler.ask(question, invoker, replies === null ? {} : { repliedTo: replies });
      // A message cannot be answered privately: a notice already given (over the rate limit) is
      // only marked, so a flood gets no flood of replies but every question an answer.
      if (reply.brief !== undefined) {
        await message.react(reply.brief);
        return;
      }
      const sent = await message.reply(renderBody(reply));
      deps.handler.delivered(reply, { messageId: sent.id });
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
