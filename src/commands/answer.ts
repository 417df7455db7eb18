import type { ArticleInfo } from '../content/article.js';
import { ANSWER_PASSAGES, type Engine, type SearchResponse } from '../search/engine.js';
import { articlesOf, noAnswerReply, replyPassage, type Reply } from './reply.js';

/**
 * Answers a question in plain words with the passages that hold the answer, best first; or says
 * honestly that the content does not cover it. Shared by /ask and questions asked in channels.
 * Asked in a story's thread (`story`), it answers from that story when the story answers it
 * confidently, else from every article, saying so.
 */
export function answerQuestion(engine: Engine, question: string, limit = ANSWER_PASSAGES, story?: ArticleInfo): Reply {
  if (story !== undefined) {
    const own = engine.search(question, { limit, within: story });
    const fromStory = (): Reply => {
      const reply = answerFrom(engine, own);
      const note = `From “${story.title}”, the story of this thread.`;
      return { ...reply, body: reply.body ? `${note} ${reply.body}` : note };
    };
    if (own.reason === null && own.confidence === 'high') return fromStory();
    const everywhere = engine.search(question, { limit });
    // Unsure either way: the thread's story comes first.
    if (own.reason === null && everywhere.confidence !== 'high') return fromStory();
    const reply = answerFrom(engine, everywhere);
    const note = `“${story.title}”, the story of this thread, does not answer this clearly, so this comes from every article.`;
    return { ...reply, body: reply.body ? `${note} ${reply.body}` : note };
  }
  return answerFrom(engine, engine.search(question, { limit }));
}

/** The reply for a search's response. */
function answerFrom(engine: Engine, response: SearchResponse): Reply {
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
  if (response.confidence === 'low')
    return { ...reply, tone: 'hedged', title: 'Not sure', body: hedge(response.lacking ?? null), compact: true };
  if (response.about === null) return { ...reply, compact: true };
  return {
    ...reply,
    title: 'About the article',
    body: aboutNote(response.chosenArticle, engine.articles.length, passages.length),
  };
}

/** What a hedged answer says before its passage, with what the passage lacks of what was asked when that can be named. */
function hedge(lacking: string | null): string {
  return `I'm not sure the article covers this${lacking === null ? '' : ` (${lacking})`}; the closest passage is:`;
}

/** Which article(s) an answer about "the article" is about, when several are loaded. */
function aboutNote(chosen: string | null, loaded: number, answered: number): string | undefined {
  if (chosen !== null) return `Read as a question about “${chosen}”, the article your question names.`;
  if (loaded <= 1) return undefined;
  const shown =
    answered < loaded ? `the first ${answered} of the ${loaded} articles` : `each of the ${loaded} articles`;
  return `${loaded} articles are loaded, so this answers for ${shown}. Name one (a word of its title) to ask about it alone.`;
}
