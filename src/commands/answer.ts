import { ANSWER_PASSAGES, type Engine } from '../search/engine.js';
import { articlesOf, noAnswerReply, replyPassage, type Reply } from './reply.js';

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
const HEDGE = "I'm not sure the article covers this; the closest passage is:";

/** Which article(s) an answer about "the article" is about, when several are loaded. */
function aboutNote(chosen: string | null, loaded: number, answered: number): string | undefined {
  if (chosen !== null) return `Read as a question about “${chosen}”, the article your question names.`;
  if (loaded <= 1) return undefined;
  const shown =
    answered < loaded ? `the first ${answered} of the ${loaded} articles` : `each of the ${loaded} articles`;
  return `${loaded} articles are loaded, so this answers for ${shown}. Name one (a word of its title) to ask about it alone.`;
}
