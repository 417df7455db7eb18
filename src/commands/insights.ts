import type { Engine } from '../search/engine.js';
import { ARTICLE_OPTION, selectArticles } from './articleOption.js';
import { defineCommand } from './command.js';
import { articleRef, type Reply } from './reply.js';

/** Articles one /insights reply shows: as many as fit in a Discord message with their sources. */
const MOST_ARTICLES = 5;

/**
 * The key insights of the chosen articles (all when none is named), with their sources. An article
 * that lists none (an imported story) gets its most central sentences instead, labelled as picked
 * from the article.
 */
export function insightsReply(engine: Engine, article?: string): Reply {
  const matching = selectArticles(engine, article);
  const articles = matching.slice(0, MOST_ARTICLES);
  const caption = articles.length === 1 ? articles[0]?.caption : null;
  const picked = articles.some((a) => a.insights.length === 0)
    ? 'Where an article lists no key insights, its most central sentences stand in, picked from the article.'
    : null;
  const more =
    matching.length > articles.length
      ? `These are ${articles.length} of the ${matching.length} articles: name one (a word of its title) to see its own.`
      : null;
  const body = [caption ? `Pictured: ${caption}` : null, picked, more].filter(Boolean).join('\n\n');
  return {
    tone: 'info',
    title: 'Key insights',
    ...(body ? { body } : {}),
    lists: articles.map((a) => {
      if (a.insights.length > 0) return { heading: a.title, items: a.insights };
      const summary = engine.summary(a);
      return summary.length > 0
        ? { heading: `${a.title} (picked from the article)`, items: summary }
        : { heading: a.title, items: ['(this article is too short to pick key sentences from)'] };
    }),
    articles: articles.map(articleRef),
    ephemeral: false,
  };
}

export const insights = defineCommand({
  data: {
    name: 'insights',
    description: 'The key insights of the article, with its sources',
    options: [ARTICLE_OPTION],
  },
  execute: (context, options) => insightsReply(context.knowledge.engine, options.article),
});
