import { ANSWER_PASSAGES, MAX_PASSAGES, MAX_QUESTION_LENGTH } from '../search/engine.js';
import { answerQuestion } from './answer.js';
import { defineCommand, type Choice, type CommandContext, type SuggestionSources } from './command.js';
import { answerButtons } from './answerActions.js';
import { recordQuestion } from './feedback.js';
import { isAnswer, type Reply } from './reply.js';

/** Suggestions for a question being typed: the user's own text first, then completions from the articles' words. */
export function suggestQuestions({ engine }: SuggestionSources, typed: string): Choice[] {
  return engine.suggest(typed, 25).map((text) => ({ name: text, value: text }));
}

export const ask = defineCommand({
  data: {
    name: 'ask',
    description: 'Ask a question about the article in your own words',
    options: [
      {
        name: 'question',
        description: 'Your question, e.g. who proposed the amendment?',
        type: 'string',
        required: true,
        autocomplete: suggestQuestions,
        maxLength: MAX_QUESTION_LENGTH,
      },
      {
        name: 'context',
        description: 'The earlier question a follow-up is read with',
        type: 'string',
        required: false,
        internal: true,
        maxLength: MAX_QUESTION_LENGTH,
      },
      {
        name: 'private',
        description: 'Show the answer only to you, with a button to share it',
        type: 'boolean',
        required: false,
      },
      {
        name: 'limit',
        description: `Passages to show (default ${ANSWER_PASSAGES})`,
        type: 'integer',
        required: false,
        minValue: 1,
        maxValue: MAX_PASSAGES,
      },
    ],
    rateLimit: 'questions',
    freeText: 'question',
    followUpOption: 'context',
  },
  execute: async (context, options) => {
    const question = options.question;
    // In a story's thread (see /feed), that story answers first.
    const story = (await context.feeds?.storyIn(context.invoker.channelId)) ?? undefined;
    const earlier = options.context !== undefined && options.context.trim() !== '' ? options.context : null;
    const limit = options.limit ?? ANSWER_PASSAGES;
    if (earlier === null) {
      const reply = answerQuestion(context.knowledge.engine, question, limit, story);
      // A private answer is shown to the asker alone, who may share it (see answerButtons).
      return withFeedback(context, question, options.private === true ? { ...reply, ephemeral: true } : reply, false);
    }
    // A follow-up ("what did he threaten?") is read together with the question it follows.
    const reply = answerQuestion(context.knowledge.engine, `${question} ${earlier}`, limit, story);
    const note = `Read with your earlier question: “${earlier}”.`;
    return withFeedback(
      context,
      question,
      { ...reply, query: question, body: reply.body ? `${note} ${reply.body}` : note },
      true,
    );
  },
});

/**
 * Records the question for /gaps: an answer gets 👍 and 👎 buttons tied to it, a question the
 * content does not cover is kept as a gap. Other refusals (empty, only common words) are not kept.
 * The answer is noted in the conversation (`followUp`: the question was read with an earlier one),
 * so questions replying to it can follow up on it: this is the last step of building a reply.
 */
export function withFeedback(context: CommandContext, question: string, reply: Reply, followUp: boolean): Reply {
  if (reply.reason === 'off-topic') {
    recordQuestion(context, question, 'uncovered');
    return reply;
  }
  if (!isAnswer(reply)) return reply;
  const id = recordQuestion(context, question, reply.tone === 'answer' ? 'answered' : 'hedged');
  // Only a chat answer shows one passage and offers the others behind "More passages".
  const more = reply.compact === true && (reply.passages?.length ?? 0) > 1;
  const answered =
    id === null
      ? reply
      : { ...reply, buttons: [...(reply.buttons ?? []), ...answerButtons(id, { more, share: reply.ephemeral })] };
  return context.conversation.answered(answered, { id, question, followUp });
}
