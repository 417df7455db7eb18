import { MAX_QUESTION_LENGTH, type Engine } from '../search/engine.js';
import type { Command } from './command.js';
import { articlesOf, noAnswerReply, replyPassage, type Reply } from './reply.js';

/** Passages an answer shows: the best one and up to two more. */
const ANSWER_PASSAGES = 3;

/**
 * Answers a question in plain words with the passages that hold the answer, best first; or says
 * honestly that the content does not cover it. Shared by /ask and questions asked in channels.
 */
export function answerQuestion(engine: Engine, question: string, limit = ANSWER_PASSAGES): Reply {
  const response = engine.search(question, { limit });
  if (response.reason !== null) return noAnswerReply(response.query, response.reason);
  const passages = response.hits.map(replyPassage);
  return { tone: 'answer', title: 'Answer', query: response.query, passages, articles: articlesOf(passages), ephemeral: false };
}

export const ask = {
  data: {
    name: 'ask',
    description: 'Ask a question about the article in your own words',
    options: [{ name: 'question', description: 'Your question, e.g. who proposed the amendment?', type: 'string', required: true, autocomplete: 'question', maxLength: MAX_QUESTION_LENGTH }],
    moderatorOnly: false,
  },
  execute: (context, options) => answerQuestion(context.knowledge.engine, String(options.question ?? '')),
} satisfies Command;
