import type { Engine } from '../search/engine.js';
import { ARTICLE_OPTION, selectArticles, textOption } from './articleOption.js';
import type { Command } from './command.js';
import { articleRef, type Reply } from './reply.js';

/** The key insights of the chosen articles (all when none is named), with their sources. */
export function insightsReply(engine: Engine, article?: string | number): Reply {
  const articles = selectArticles(engine, article);
  const caption = articles.length === 1 ? articles[0]?.caption : null;
  return {
    tone: 'info',
    title: 'Key insights',
    ...(caption ? { body: `Pictured: ${caption}` } : {}),
    lists: articles.map((a) => ({
      heading: a.title,
      items: a.insights.length > 0 ? a.insights : ['(this article lists no key insights)'],
    })),
    articles: articles.map(articleRef),
    ephemeral: false,
  };
}

export const insights = {
  data: {
    name: 'insights',
    description: 'The key insights of the article, with its sources',
    options: [ARTICLE_OPTION],
    moderatorOnly: false,
    rateLimited: false,
    defer: null,
  },
  execute: (context, options) => insightsReply(context.knowledge.engine, textOption(options.article)),
} satisfies Command;
