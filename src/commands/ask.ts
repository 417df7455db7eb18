import { MAX_QUESTION_LENGTH, type Engine } from '../search/engine.js';
import { textOption, type Choice, type Command, type CommandContext } from './command.js';
import { answerButtons } from './answerActions.js';
import { recordQuestion } from './feedback.js';
import { articlesOf, isAnswer, noAnswerReply, replyPassage, type Reply } from './reply.js';

/** Passages an answer shows: the best one and up to two more. */
const ANSWER_PASSAGES = 3;
/** Most passages an answer may be asked to show. */
const MAX_PASSAGES = 25;

/**
 * Answers a question in plain words with the passages that hold the answer, best first; or says
 * honestly that the content does not cover it. Shared by /ask and questions asked in channels.
 */
export function answerQuestion(engine: Engine, question: string, limit = ANSWER_PASSAGES): Reply {
  const response = engine.search(question, { limit });
  if (response.reason !== null) return noAnswerReply(response.query, response.reason);
  const passages = response.hits.map(replyPassage);
  const reply: Reply = {
    tone: 'answer',
    title: 'Answer',
    query: response.query,
    passages,
    articles: articlesOf(passages),
    ephemeral: false,
  };
  // The closest passage is shown, said to be no more than that.
  if (response.confidence === 'low') return { ...reply, tone: 'hedged', title: 'Not sure', body: HEDGE, compact: true };
  if (response.about === null) return { ...reply, compact: true };
  return {
    ...reply,
    title: 'About the article',
    body: aboutNote(response.chosenArticle, engine.articles.length, passages.length),
  };
}

/** What a hedged answer says before its passage. */
export const HEDGE = "I'm not sure the article covers this; the closest passage is:";

/** Which article(s) an answer about "the article" is about, when several are loaded. */
function aboutNote(chosen: string | null, loaded: number, answered: number): string | undefined {
  if (chosen !== null) return `Read as a question about “${chosen}”, the article your question names.`;
  if (loaded <= 1) return undefined;
  const shown =
    answered < loaded ? `the first ${answered} of the ${loaded} articles` : `each of the ${loaded} articles`;
  return `${loaded} articles are loaded, so this answers for ${shown}. Name one (a word of its title) to ask about it alone.`;
}

const PRONOUN = /\b(?:he|she|it|they|him|her|them|his|hers|its|their|theirs|this|that|these|those|there)\b/i;

/**
 * Whether a question typed right after another reads as following up on it: short, and leaning on
 * a pronoun for what it is about ("what did he threaten to do?").
 *
 * @example
 * readsAsFollowUp('what did he threaten to do?') // => true
 * readsAsFollowUp('what did Hegseth say about the cartels?') // => false
 */
export function readsAsFollowUp(question: string): boolean {
  const words = question.trim().split(/\s+/);
  return words.length <= 8 && PRONOUN.test(question) && !/[A-Z]/.test(words.slice(1).join(' '));
}

/** Suggestions for a question being typed: the user's own text first, then completions from the articles' words. */
export function suggestQuestions(engine: Engine, typed: string): Choice[] {
  return engine.suggest(typed, 25).map((text) => ({ name: text, value: text }));
}

export const ask = {
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
    moderatorOnly: false,
    rateLimit: 'questions',
    defer: null,
    freeText: 'question',
    followUpOption: 'context',
  },
  execute: (context, options) => {
    const question = textOption(options.question) ?? '';
    const earlier = typeof options.context === 'string' && options.context.trim() !== '' ? options.context : null;
    const limit = Number(options.limit ?? ANSWER_PASSAGES);
    if (earlier === null) {
      const reply = answerQuestion(context.knowledge.engine, question, limit);
      // A private answer is shown to the asker alone, who may share it (see answerButtons).
      return withFeedback(context, question, options.private === true ? { ...reply, ephemeral: true } : reply);
    }
    // A follow-up ("what did he threaten?") is read together with the question it follows.
    const reply = answerQuestion(context.knowledge.engine, `${question} ${earlier}`, limit);
    const note = `Read with your earlier question: “${earlier}”.`;
    return withFeedback(context, question, {
      ...reply,
      query: question,
      body: reply.body ? `${note} ${reply.body}` : note,
    });
  },
} satisfies Command;

/**
 * Records the question for /gaps: an answer gets 👍 and 👎 buttons tied to it, a question the
 * content does not cover is kept as a gap. Other refusals (empty, only common words) are not kept.
 */
export function withFeedback(context: CommandContext, question: string, reply: Reply): Reply {
  if (reply.reason === 'off-topic') {
    recordQuestion(context, question, 'uncovered');
    return reply;
  }
  if (!isAnswer(reply)) return reply;
  const id = recordQuestion(context, question, reply.tone === 'answer' ? 'answered' : 'hedged');
  if (id === null) return reply;
  // Only a chat answer shows one passage and offers the others behind "More passages".
  const more = reply.compact === true && (reply.passages?.length ?? 0) > 1;
  return {
    ...reply,
    answerId: id,
    buttons: [...(reply.buttons ?? []), ...answerButtons(id, { more, share: reply.ephemeral })],
  };
}
