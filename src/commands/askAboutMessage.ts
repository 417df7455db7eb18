import { MAX_QUESTION_LENGTH } from '../search/engine.js';
import { answerQuestion } from './answer.js';
import { withFeedback } from './ask.js';
import { defineCommand } from './command.js';

/**
 * "Ask the article" in a message's Apps menu: what the article says about the claim in that
 * message, shown only to the person who asked. Interactions carry the target message, so this
 * works without the Message Content intent.
 */
export const askAboutMessage = defineCommand({
  data: {
    name: 'Ask the article',
    description: 'What the article says about this message (shown only to you)',
    kind: 'message',
    targetOption: 'text',
    options: [{ name: 'text', description: 'The message’s text', type: 'string', required: true, internal: true }],
    rateLimit: 'questions',
  },
  execute(context, options) {
    const text = options.text.slice(0, MAX_QUESTION_LENGTH);
    if (text.trim() === '') {
      return {
        tone: 'info',
        title: 'Nothing to ask about',
        body: 'That message has no text to look up.',
        ephemeral: true,
      };
    }
    const reply = answerQuestion(context.knowledge.engine, text);
    return withFeedback(
      context,
      text,
      { ...reply, title: reply.tone === 'answer' ? 'What the article says about that' : reply.title, ephemeral: true },
      false,
    );
  },
});
